"""The knowledge base: notes → index → retrieval → answers, in one object loaded once per process.

Everything here is synchronous and CPU-bound; the async core runs it in a worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

import numpy as np

from knowledge.answer import DEFAULT_THRESHOLD, Answer, compose
from knowledge.embedding import Embedder
from knowledge.index import COMPLETE, IndexStatus, IngestReport, NoteFile, NotesIndex, Progress
from knowledge.notes import note_files, read_library
from knowledge.retrieval import HybridRetriever, english_words, load_word_lists, use_word_cache
from knowledge.several import asked_separately, combined, distinct, leaning_follow_up, named_in, past_the_notes
from knowledge.types import Hit

log = logging.getLogger(__name__)


# A question is read for misheard terms (``KnowledgeBase._reread_misheard``) when refused or answered with less
# confidence than this; each word read as another must be this far from the notes alone (best cosine to a passage:
# "lava" 0.18, "paramedic" 0.21, "toke" 0.24; "llama" 0.45, "decoder" 0.37, names of the subject); and the
# question so read must come this much closer to the notes (best cosine: "banishing" 0.45 - 0.61; "probability"
# as "probabilistic" +0.01), or this much for words the notes write joined ("token ization") or function words typed
# together ("howmany"), unless the refusal was for the words read otherwise.
MISHEARD_WEAK = 0.6
MISHEARD_OFF_TOPIC = 0.3
MISHEARD_GAIN = 0.08
MISHEARD_JOINED_GAIN = 0.02


def _joined(typed: str, term: str) -> bool:
    """Whether ``term`` is the words ``typed`` written as one ("token ization" - "tokenization")."""
    return " " in typed and typed.replace(" ", "").lower() == term.replace(" ", "").lower()


class KnowledgeBase:
    """Reads the index for answers; ``ingest`` and ``check`` are the only writers, one at a time
    (``writer_lock``: a file lock beside an embedded index, a database lock with a server)."""

    def __init__(self, notes_dir: Path, index: NotesIndex, embedder: Embedder,
                 threshold: float | None = None,
                 writer_lock: Callable[[], AbstractContextManager] | None = None,
                 word_cache: Path | None = None) -> None:
        """``word_cache``: a folder to keep a quick-opening copy of wordfreq's lists in (made by the first
        ingest or question), and the notes' vocabulary vectors (made by the first question that needs
        them); without it the lists load into memory, half a second of a cold process, and the vectors
        are embedded once per process, 1.5 s."""
        self.notes_dir = notes_dir
        self._word_cache = word_cache
        if word_cache is not None:
            use_word_cache(word_cache)
        self.index = index
        self.embedder = embedder
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.writer_lock = writer_lock or contextlib.nullcontext
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()
        self._built_at: float | None = None  # of the index the retriever holds

    def _stats(self) -> list[NoteFile]:
        """Every candidate note file's size and mtime (no file is read)."""
        out = []
        for path in note_files(self.notes_dir):
            try:
                st = path.stat()
            except OSError:
                continue
            out.append(NoteFile(path.relative_to(self.notes_dir).as_posix(), st.st_size, st.st_mtime_ns, ""))
        return out

    def ingest(self, progress: Callable[[Progress], None] | None = None) -> IngestReport:
        """Bring the index in step with the notes folder (raises NotesMissingError).

        Notes whose size and mtime match the manifest are not even read; the others are compared
        passage by passage, and only new or changed passages are embedded.
        """
        with self.writer_lock():
            report = self._ingest(progress)
            if not (report.notes_rewritten or report.removed):
                self.index.ensure_copy()
        if report.notes_rewritten or report.removed:  # a no-change ingest keeps what is loaded
            self._reload()
        if self._word_cache is not None:
            load_word_lists()  # copied into the cache here, once, rather than on a reader's first question
        return report

    def _ingest(self, progress) -> IngestReport:
        # Sizes and mtimes before reading: a note saved while we read looks changed next time.
        stats = self._stats()
        if stats and not self.index.stale(stats):
            status = self.index.status()
            return IngestReport(unchanged=status.passages, notes=status.notes, skipped=list(status.skipped))
        library = read_library(self.notes_dir)
        by_path = {f.path: f for f in stats}
        files = [NoteFile(n.path, by_path[n.path].size if n.path in by_path else n.size,
                          by_path[n.path].mtime_ns if n.path in by_path else -1, n.digest)
                 for n in library.notes]
        read = {n.path for n in library.notes}
        files += [f for f in stats if f.path not in read]
        skipped = [{"path": s.path, "reason": s.reason} for s in library.skipped]
        return self.index.ingest(library.chunks, files, progress=progress, skipped=skipped)

    def check(self, repair: bool = True) -> tuple[list[str], IngestReport | None]:
        """What is inconsistent in the index; with ``repair``, fixed by an ingest. (problems, report)."""
        with self.writer_lock():
            library = read_library(self.notes_dir)
            problems = self.index.check(library.chunks, repair=repair)
            report = self._ingest(None) if repair else None
        if repair:
            self._reload()
        return problems, report

    def _reload(self) -> None:
        if self._retriever is not None:
            self._swap(self.index.record().get("built_at"))

    def _swap(self, built_at: float | None) -> None:
        """A new retriever, loaded beside the one serving, then swapped in: a question being
        answered in another thread keeps the one it started with, whole (never half reloaded)."""
        old = self._retriever
        fresh = HybridRetriever(self.index, self.embedder, old.dictionary if old else english_words(),
                                self._word_cache)
        with self._lock:
            self._retriever = fresh
            self._built_at = built_at

    def ensure_copy(self) -> None:
        """Leave the readers' copy of an index that has none (an index from before copies existed)."""
        if self.index.snapshot_root is not None and self.index.copy() is None:
            with self.writer_lock():
                self.index.ensure_copy()

    def refresh(self) -> bool:
        """Load the index again if another process completed an ingest since; True if it did."""
        if self._retriever is None:
            return False
        built_at = self.index.record().get("built_at")
        if built_at is None or built_at == self._built_at:
            return False
        self._swap(built_at)
        return True

    def status(self) -> IndexStatus:
        return self.index.status()

    def passage_count(self) -> int:
        """How many passages the index holds (0 until a first ingest), read from the index itself."""
        return self.index.passage_count()

    def ready(self) -> bool:
        """Whether a whole ingest has completed: a half-built first index is not served."""
        return self.index.record().get("state") == COMPLETE

    def notes_changed(self) -> bool:
        """Whether the notes may differ from the index, from file sizes and mtimes alone, or the code that
        splits them into passages changed since (an upgrade)."""
        return self.index.stale(self._stats())

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    built_at = self.index.record().get("built_at")
                    self._retriever = HybridRetriever(self.index, self.embedder, english_words(), self._word_cache)
                    self._built_at = built_at
        return self._retriever

    def warm_up(self) -> None:
        """Load the model and the in-memory indexes now rather than on the first question."""
        self.retriever  # noqa: B018
        load_word_lists()
        self.embedder.embed(["warm up"])

    def search(self, question: str, k: int = 5) -> tuple[Hit, ...]:
        r = self.retriever
        queries, vectors = self._embed_queries(r, [r.what_is_asked(question)])
        return r.search(queries[0], vectors[0], k=k).hits

    def _embed_queries(self, r: HybridRetriever, questions: list[str],
                       words: list[str] | None = None) -> tuple[list, np.ndarray]:
        """Analyse the questions and embed them, and their rare unknown words, in one model call (with ``words``
        given, their vectors too, after the questions')."""
        queries = [r.analyze(q) for q in questions]
        unseen = list(dict.fromkeys(w for q in queries for w in q.unseen))
        vecs = self.embedder.embed([q.embedded for q in queries] + unseen + (words or []))
        n, m = len(queries), len(queries) + len(unseen)
        placed = r.place_words(queries, dict(zip(unseen, vecs[n:m], strict=True)))
        return (placed, vecs[:n]) if words is None else (placed, np.concatenate([vecs[:n], vecs[m:]]))

    def answer(self, question: str, threshold: float | None = None) -> Answer:
        return self.answer_many([question], threshold)[0]

    def _reread_misheard(self, questions: list[str], out: list[Answer], results: list, limit: float,
                         reads: list, reread: list, near: dict[str, float]) -> None:
        """A question refused or weakly answered that reads as typed on a phone or dictated ("what is paramedic
        memory", "banishing gradient problem", "at in France time") is answered as the notes' terms put in
        (``HybridRetriever.misheard``: ``reads``, searched as ``reread``), saying so, when the evidence is strong:
        each word put right alone is far from anything the notes say (``near``, ``MISHEARD_OFF_TOPIC``: "llama",
        "decoder" are close, a subject of their own, and stay), and the question so read comes much closer to the
        notes (``MISHEARD_GAIN``; two words the notes write as one, "token ization", need less) or the refusal was
        for those very words ("They never mention “cloud”"), and is answered."""
        r = self.retriever
        for i, read in enumerate(reads):
            if read is None or out[i].parts or (out[i].grounded and out[i].confidence >= MISHEARD_WEAK):
                continue
            text, swaps = read
            if any(near.get(typed.lower(), 0.0) >= MISHEARD_OFF_TOPIC for typed, _ in swaps):
                continue
            res = reread[i]
            gain = res.best_dense - results[i].best_dense
            needed = MISHEARD_JOINED_GAIN if all(_joined(t, v) or _joined(v, t) for t, v in swaps) else MISHEARD_GAIN
            # (Or the refusal was for the very words read otherwise: "They never mention “cloud”.")
            named = {m.strip("“”").lower() for m in out[i].missing}
            if gain < needed and not (named and all(t.lower() in named for t, _ in swaps)):
                continue
            answer = compose(text, res, r, limit)
            if answer.grounded and not answer.parts:
                out[i] = replace(answer, question=questions[i], read_as=swaps)

    def answer_many(self, questions: list[str], threshold: float | None = None) -> list[Answer]:
        """Answers to several questions at once: one embedding call for all of them.

        The async core batches concurrent asks through this; answers are in the order asked.
        """
        if not questions:
            return []
        r = self.retriever
        # Code pasted with a question is its context, not what it asks, and so are the beliefs and asides a long
        # message thinks out loud around its questions (``HybridRetriever.what_is_asked``); each answer keeps the
        # question as typed.
        as_typed = list(questions)
        questions = [r.what_is_asked(q) for q in as_typed]
        # A message asking several things is answered whole and part by part, in the same batch.
        split = [asked_separately(q) for q in questions]
        leaning = [leaning_follow_up(q) if len(parts) == 1 else None for q, parts in zip(questions, split, strict=True)]
        texts = list(questions) + [p for parts in split if len(parts) > 1 for p in parts]
        texts += [pair[0] for pair in leaning if pair is not None]
        # Each question read with the notes' terms for words that look misheard, in the same model call, with
        # those words alone (see ``_reread_misheard``).
        reads = [r.misheard(q) for q in questions]
        rereads = [read[0] for read in reads if read is not None]
        typed = list(dict.fromkeys(t.lower() for read in reads if read is not None for t, v in read[1]
                                   if not _joined(t, v) and not _joined(v, t)))
        queries, vectors = self._embed_queries(r, texts + rereads, typed)
        limit = self.threshold if threshold is None else threshold
        results = r.search_many(queries, vectors[: len(queries)])
        results, again = results[: len(texts)], iter(results[len(texts):])
        reread = [next(again) if read is not None else None for read in reads]
        near = dict(zip(typed, (float((r.chunk_vecs @ v).max()) if len(r.chunk_vecs) else 1.0
                                for v in vectors[len(queries):]), strict=True))
        answers = [compose(text, res, r, limit) for text, res in zip(texts, results, strict=True)]
        out, at = answers[: len(questions)], len(questions)
        self._reread_misheard(questions, out, results, limit, reads, reread, near)
        for i, parts in enumerate(split):
            if len(parts) > 1:
                each = answers[at : at + len(parts)]
                at += len(parts)
                # (Never when the whole message finds nothing, where a part alone would be read out of context,
                # nor when no part does, where the whole message's answer is the better one.)
                if out[i].grounded and any(a.grounded for a in each) and distinct(each):
                    out[i] = combined(questions[i], list(zip(parts, each, strict=True)))
        for i, pair in enumerate(leaning):
            if pair is not None:
                first = answers[at]
                at += 1
                # A question the notes answer, then one about it they cannot ("... and in which year?"): the first
                # is answered, and the second said to be past them, rather than the whole refused. (The notes' own
                # open question answers nothing.)
                if not out[i].grounded and first.grounded and not first.parts and not first.open_question:
                    out[i] = combined(questions[i], [(pair[0], first), (pair[1], past_the_notes(pair[1], out[i]))])
                # ... and a message answered whole whose second question names what the notes never mention ("gpt3.5
                # ctx limit how much? also same for gpt-4o??"): the answer cannot be about it, and says so.
                elif out[i].grounded and first.grounded and not first.parts and not first.open_question and not out[i].parts:
                    names = named_in(pair[1], queries[i].foreign, pair[0])
                    if names:
                        unsaid = Answer(pair[1], False, (), (), out[i].hits, (), out[i].confidence, out[i].evidence, names)
                        out[i] = combined(questions[i], [(pair[0], first), (pair[1], unsaid)])
        return [a if a.question == t else replace(a, question=t) for a, t in zip(out, as_typed, strict=True)]
