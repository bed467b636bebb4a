"""The vector index in Chroma, kept in step with the notes by content hash.

Two collections: one vector per chunk (what dense retrieval searches) and one per
sentence (what the answer composer ranks, loaded into memory once). Ingest only
embeds chunks whose content hash is new or changed, replaces changed ones and
removes chunks of deleted notes, so a restart with unchanged notes embeds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.embedding import Embedder
from knowledge.text import sentences
from knowledge.types import Chunk

log = logging.getLogger(__name__)

def embedding_text(chunk: Chunk) -> str:
    # The title carries the question a Q&A entry answers: embed it with the text.
    return f"{chunk.title}\n{chunk.text}"


@dataclass(frozen=True, slots=True)
class IngestReport:
    added: int
    updated: int
    removed: int
    unchanged: int
    embedded: int  # texts sent to the model (chunks + sentences)

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged, "embedded": self.embedded,
        }


def make_client(chroma_path: Path | None = None, chroma_url: str | None = None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        from urllib.parse import urlparse

        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(
            host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
            ssl=u.scheme == "https", settings=settings,
        )
    assert chroma_path is not None
    chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_path), settings=settings)


class NotesIndex:
    """Chunks and sentence vectors in Chroma, plus in-memory copies for fast answering."""

    def __init__(self, client, embedder: Embedder, collection: str = "notes") -> None:
        self.client = client
        self.embedder = embedder
        self.name = collection
        self._chunks = None
        self._sentences = None

    # ---------------------------------------------------------------- collections
    def _collection(self, suffix: str = ""):
        meta = {"hnsw:space": "cosine", "embedding_model": self.embedder.name}
        col = self.client.get_or_create_collection(
            self.name + suffix, metadata=meta, embedding_function=None
        )
        if (col.metadata or {}).get("embedding_model") != self.embedder.name:
            # Vectors of another model are not comparable: start this collection over.
            log.warning("embedding model changed to %s: rebuilding %s", self.embedder.name, col.name)
            self.client.delete_collection(col.name)
            col = self.client.create_collection(col.name, metadata=meta, embedding_function=None)
        return col

    @property
    def chunks(self):
        if self._chunks is None:
            self._chunks = self._collection()
        return self._chunks

    @property
    def sentences(self):
        if self._sentences is None:
            self._sentences = self._collection("_sentences")
        return self._sentences

    # ---------------------------------------------------------------- ingest
    def ingest(self, chunks: list[Chunk], progress: Callable[[int, int], None] | None = None) -> IngestReport:
        existing = self.chunks.get(include=["metadatas"])
        known = {i: (m or {}).get("content_hash") for i, m in zip(existing["ids"], existing["metadatas"], strict=True)}
        current = {c.id: c for c in chunks}
        added = [c for c in chunks if c.id not in known]
        updated = [c for c in chunks if c.id in known and known[c.id] != c.content_hash]
        removed = [i for i in known if i not in current]
        unchanged = len(chunks) - len(added) - len(updated)
        # Order may change without text changing (a note edited above): keep metadata current.
        moved = [c for c in chunks if c.id in known and known[c.id] == c.content_hash]

        todo = added + updated
        embedded = 0
        if removed:
            self.chunks.delete(ids=removed)
            self.sentences.delete(where={"chunk_id": {"$in": removed}})
        if updated:
            self.sentences.delete(where={"chunk_id": {"$in": [c.id for c in updated]}})
        batch = 64
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            vecs = self.embedder.embed([embedding_text(c) for c in part])
            self.chunks.upsert(
                ids=[c.id for c in part], embeddings=vecs.tolist(),
                documents=[c.text for c in part], metadatas=[_meta(c) for c in part],
            )
            sent_ids, sent_texts, sent_meta = [], [], []
            for c in part:
                for k, s in enumerate(sentences(c.text)):
                    sent_ids.append(f"{c.id}:{k}")
                    sent_texts.append(s)
                    sent_meta.append({"chunk_id": c.id, "position": k})
            if sent_texts:
                svecs = self.embedder.embed(sent_texts)
                self.sentences.upsert(
                    ids=sent_ids, embeddings=svecs.tolist(), documents=sent_texts, metadatas=sent_meta
                )
            embedded += len(part) + len(sent_texts)
            if progress:
                progress(min(start + batch, len(todo)), len(todo))
        if moved:
            self.chunks.update(ids=[c.id for c in moved], metadatas=[_meta(c) for c in moved])
        log.info("ingest: %d added, %d updated, %d removed, %d unchanged",
                 len(added), len(updated), len(removed), unchanged)
        return IngestReport(len(added), len(updated), len(removed), unchanged, embedded)

    # ---------------------------------------------------------------- reading
    def load_chunks(self) -> list[Chunk]:
        got = self.chunks.get(include=["documents", "metadatas"])
        out = [
            Chunk(i, m["title"], d, m["source"], m["content_hash"], int(m["order"]))
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(out, key=lambda c: (c.source, c.order))

    def load_sentences(self) -> tuple[list[str], list[str], list[int], np.ndarray]:
        """(chunk ids, sentences, positions, unit vectors) of every indexed sentence."""
        got = self.sentences.get(include=["documents", "metadatas", "embeddings"])
        if not got["ids"]:
            return [], [], [], np.zeros((0, 0), dtype=np.float32)
        return (
            [m["chunk_id"] for m in got["metadatas"]],
            list(got["documents"]),
            [int(m["position"]) for m in got["metadatas"]],
            np.asarray(got["embeddings"], dtype=np.float32),
        )

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``n`` nearest chunks."""
        count = self.chunks.count()
        if not count:
            return []
        res = self.chunks.query(query_embeddings=[vector.tolist()], n_results=min(n, count), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]


def _meta(c: Chunk) -> dict:
    return {"title": c.title, "source": c.source, "content_hash": c.content_hash, "order": c.order}
