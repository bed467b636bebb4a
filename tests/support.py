"""Helpers shared by tests (imported as ``tests.support``)."""

from __future__ import annotations

import contextlib
import hashlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_NOTES = ROOT / "knowledge" / "notes"


class WordHashEmbedder:
    """A tiny working embedder for unit tests: bag of hashed words, unit length. Counts its calls."""

    name = "word-hash-test"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.texts_embedded = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
            if not n:
                out[i, 0] = 1.0
        return out


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> datetime:
        self.now += timedelta(**kw)
        return self.now

    def set(self, now: datetime) -> datetime:
        self.now = now.astimezone(timezone.utc)
        return self.now


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Url(str):
    def __new__(cls, value: str, process):
        self = super().__new__(cls, value)
        self.process = process
        return self


@contextlib.contextmanager
def chroma_server(path: Path, timeout: float = 90, port: int | None = None):
    """A real `chroma run` server on 127.0.0.1 storing in ``path``; yields its URL, stops it after.

    The URL carries the process as ``url.process`` (a test may kill it)."""
    import subprocess
    import sys
    import time
    import urllib.request

    chroma = Path(sys.executable).with_name("chroma")
    port = port or free_port()
    proc = subprocess.Popen([str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.3)
        yield _Url(url, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def notes_knowledge_base(root: Path, notes: dict[str, str], embedder):
    """A knowledge base over small notes written for a test (``{file name: text}``), ingested."""
    from knowledge.base import KnowledgeBase
    from knowledge.index import NotesIndex, make_client

    (root / "notes").mkdir()
    for name, text in notes.items():
        (root / "notes" / name).write_text(text, encoding="utf-8")
    base = KnowledgeBase(root / "notes", NotesIndex(make_client(root / "chroma"), embedder), embedder)
    base.ingest()
    return base


class StemWords:
    """Stands in for the retriever (its stems are lower-case words) and the search result (its query) in unit
    tests of the answer composer's choices."""

    def __init__(self, question: str = ""):
        self.query = type("Q", (), {"terms": tuple(self.stems_of(question)), "corrected": question, "after": ()})()

    @staticmethod
    def stems_of(text: str) -> set[str]:
        return set(re.findall(r"[a-z]+", text.lower()))


def evidence_by_heading(r, query, name: str) -> dict[str, float]:
    """One piece of re-ranking evidence for every passage of the notes, by the passage's own heading."""
    vector = r.embedder.embed([query.corrected])[0]
    dense = r.chunk_vecs @ vector
    keyword, _ = r._pool(query, dense)
    return {r.headings[i].split(" › ")[-1]: r.evidence(query, vector, i, keyword, dense)[name]
            for i in range(len(r.chunks))}
