"""The knowledge base: notes → index → retrieval → answers, in one object loaded once per process.

Everything here is synchronous and CPU-bound; the async core runs it in a worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from knowledge.answer import DEFAULT_THRESHOLD, Answer, compose
from knowledge.embedding import Embedder
from knowledge.index import IngestReport, NotesIndex
from knowledge.notes import load_chunks
from knowledge.retrieval import HybridRetriever, english_words
from knowledge.types import Hit

log = logging.getLogger(__name__)


class KnowledgeBase:
    def __init__(self, notes_dir: Path, index: NotesIndex, embedder: Embedder,
                 threshold: float | None = None) -> None:
        self.notes_dir = notes_dir
        self.index = index
        self.embedder = embedder
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()

    def ingest(self, progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Bring the index in step with the notes folder (raises NotesMissingError)."""
        report = self.index.ingest(load_chunks(self.notes_dir), progress=progress)
        with self._lock:
            if self._retriever is not None:
                self._retriever.reload()
        return report

    def passage_count(self) -> int:
        """How many passages the index holds (0 until a first ingest), read from the index itself."""
        return self.index.chunks.count()

    def notes_changed(self) -> bool:
        """Whether the notes may differ from the index. Always True for now: ingest is
        incremental by content hash, so an unchanged folder costs a read and embeds nothing."""
        return True

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    self._retriever = HybridRetriever(self.index, self.embedder, english_words())
        return self._retriever

    def warm_up(self) -> None:
        """Load the model and the in-memory indexes now rather than on the first question."""
        self.retriever  # noqa: B018
        self.embedder.embed(["warm up"])

    def search(self, question: str, k: int = 5) -> tuple[Hit, ...]:
        r = self.retriever
        queries, vectors = self._embed_queries(r, [question])
        return r.search(queries[0], vectors[0], k=k).hits

    def _embed_queries(self, r: HybridRetriever, questions: list[str]) -> tuple[list, np.ndarray]:
        """Analyse the questions and embed them, and their rare unknown words, in one model call."""
        queries = [r.analyze(q) for q in questions]
        words = list(dict.fromkeys(w for q in queries for w in q.unseen))
        vecs = self.embedder.embed([q.corrected for q in queries] + words)
        n = len(queries)
        return r.place_words(queries, dict(zip(words, vecs[n:], strict=True))), vecs[:n]

    def answer(self, question: str, threshold: float | None = None) -> Answer:
        return self.answer_many([question], threshold)[0]

    def answer_many(self, questions: list[str], threshold: float | None = None) -> list[Answer]:
        """Answers to several questions at once: one embedding call for all of them.

        The async core batches concurrent asks through this; answers are in the order asked.
        """
        if not questions:
            return []
        r = self.retriever
        queries, vectors = self._embed_queries(r, questions)
        limit = self.threshold if threshold is None else threshold
        return [compose(text, res, r, limit)
                for text, res in zip(questions, r.search_many(queries, vectors), strict=True)]
