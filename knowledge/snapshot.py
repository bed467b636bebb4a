"""A read-only copy of an embedded index as plain files, for readers that never open Chroma.

Answering needs every passage and sentence vector in memory (``HybridRetriever``), which is a
full read of the index: opening Chroma for it costs a reader about a second of imports before the
first answer (``studybuddy ask``), pages through every record (99 s at 50,000 passages), and
holds every sentence vector in memory. The writer (the ingest holding the writer lock) leaves the
same data beside the index as files instead:

    <chroma folder>-snapshot/<collection>/current.json   the pointer: which copy, the index's record,
                                                          every note's size and mtime
    <chroma folder>-snapshot/<collection>/<id>/          passages.json, passages.npy,
                                                          sentences.json, sentences.npy

The protocol that keeps a reader from ever answering from a copy that differs from the index:

- before an ingest changes anything in Chroma it removes the pointer (readers fall back to Chroma);
- after the ingest completed (the index's record is written) it writes a new copy under a new
  name, then moves the pointer to it in one rename, then deletes older copies;
- a copy is never changed once written, and vectors are memory-mapped, so a reader that loaded
  one keeps it whole whatever the writer does next (a removed file stays readable while mapped).

A crash between the first write and the new pointer leaves no pointer: readers use Chroma until
the next ingest writes a copy. Only embedded indexes have copies: replicas of a Chroma server
may run on other machines than the writer.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.types import Chunk

log = logging.getLogger(__name__)

POINTER = "current.json"
FORMAT = 1


def snapshot_dir(chroma_path: Path, collection: str) -> Path:
    return chroma_path.with_name(chroma_path.name + "-snapshot") / collection


@dataclass(frozen=True, slots=True)
class Sentences:
    chunk_ids: list[str]
    texts: list[str]
    positions: list[int]
    vectors: np.ndarray


class Snapshot:
    """One published copy: the index's record, the notes' stats, passages and sentences."""

    def __init__(self, folder: Path, pointer: dict) -> None:
        self.folder = folder
        self.pointer = pointer
        self.record: dict = pointer["record"]
        self.files: dict[str, list[int]] = pointer["files"]
        self.passages: int = pointer["passages"]
        self._chunks: list[Chunk] | None = None
        self._chunk_vecs: np.ndarray | None = None
        self._sentences: Sentences | None = None

    @classmethod
    def open(cls, root: Path, model: str) -> Snapshot | None:
        """The published copy for ``model`` (its pointer only; files load on first use), or None."""
        try:
            pointer = json.loads((root / POINTER).read_text(encoding="utf-8"))
            if pointer.get("format") != FORMAT or pointer["record"].get("model") != model:
                return None
            return cls(root / pointer["dir"], pointer)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.info("not using the index copy in %s: %s", root, exc)
            return None

    @property
    def name(self) -> str:
        return self.folder.name

    def load(self) -> Snapshot:
        """Read the copy's files (raises OSError if a newer copy replaced it since the pointer was read)."""
        if self._chunks is not None:
            return self
        rows = json.loads((self.folder / "passages.json").read_text(encoding="utf-8"))
        chunks = [Chunk(*row) for row in rows]
        chunk_vecs = np.load(self.folder / "passages.npy", mmap_mode="r")
        sent = json.loads((self.folder / "sentences.json").read_text(encoding="utf-8"))
        sentences = Sentences(sent["chunk_ids"], sent["texts"], sent["positions"],
                              np.load(self.folder / "sentences.npy", mmap_mode="r"))
        if len(chunks) != len(chunk_vecs) or len(sentences.texts) != len(sentences.vectors):
            raise ValueError("the copy's files disagree")
        self._chunks, self._chunk_vecs, self._sentences = chunks, chunk_vecs, sentences
        return self

    # The reading interface of NotesIndex, for HybridRetriever.
    def load_chunks(self) -> list[Chunk]:
        return list(self.load()._chunks)

    def load_chunk_vectors(self, ids) -> np.ndarray:
        self.load()
        if not len(ids):
            return np.zeros((0, 0), dtype=np.float32)
        if [c.id for c in self._chunks] == list(ids):
            return self._chunk_vecs
        row = {c.id: k for k, c in enumerate(self._chunks)}
        return np.asarray(self._chunk_vecs[[row[i] for i in ids]])

    def load_sentences(self) -> tuple[list[str], list[str], list[int], np.ndarray]:
        s = self.load()._sentences
        if not s.texts:
            return [], [], [], np.zeros((0, 0), dtype=np.float32)
        return list(s.chunk_ids), list(s.texts), list(s.positions), s.vectors


def retire(root: Path) -> None:
    """Readers stop using the published copy (before the index changes)."""
    try:
        (root / POINTER).unlink()
    except FileNotFoundError:
        pass


def publish(root: Path, record: dict, files: dict[str, list[int]], chunks: list[Chunk], chunk_vecs: np.ndarray,
            sentences: Sentences) -> None:
    """Write a new copy and point readers to it; older copies are removed."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"copy-{uuid.uuid4().hex[:12]}"
    folder = root / name
    folder.mkdir()
    _write_json(folder / "passages.json",
                [[c.id, c.title, c.text, c.source, c.content_hash, c.order] for c in chunks])
    _write_npy(folder / "passages.npy", chunk_vecs)
    _write_json(folder / "sentences.json", {"chunk_ids": sentences.chunk_ids, "texts": sentences.texts,
                                            "positions": sentences.positions})
    _write_npy(folder / "sentences.npy", sentences.vectors)
    pointer = {"format": FORMAT, "dir": name, "record": record, "files": files, "passages": len(chunks)}
    tmp = root / f".{name}.json.tmp"
    _write_json(tmp, pointer)
    os.replace(tmp, root / POINTER)
    for old in root.iterdir():
        if old.name != name and old.name.startswith("copy-"):
            shutil.rmtree(old, ignore_errors=True)


def _write_json(path: Path, value) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())


def _write_npy(path: Path, rows) -> None:
    """An array, or a list of equal-length rows written one by one into the file (no second copy of
    what may be hundreds of megabytes of vectors in memory)."""
    if isinstance(rows, np.ndarray) and rows.ndim == 2:
        shape = rows.shape
    else:
        shape = (len(rows), len(rows[0]) if len(rows) else 0)
    if not shape[0] or not shape[1]:  # an empty file cannot be mapped
        with open(path, "wb") as f:
            np.save(f, np.zeros(shape, dtype=np.float32))
            f.flush()
            os.fsync(f.fileno())
        return
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=shape)
    for start in range(0, shape[0], 4096):
        part = rows[start : start + 4096]
        if len(part):
            out[start : start + len(part)] = np.asarray(part, dtype=np.float32).reshape(len(part), shape[1])
    out.flush()
    del out
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def repoint(root: Path, copy: Snapshot, record: dict, files: dict[str, list[int]]) -> None:
    """Point readers to the same copy with a new record and notes' stats (nothing re-embedded)."""
    pointer = {**copy.pointer, "record": record, "files": files}
    tmp = root / f".{copy.name}.{uuid.uuid4().hex[:6]}.json.tmp"
    _write_json(tmp, pointer)
    os.replace(tmp, root / POINTER)
