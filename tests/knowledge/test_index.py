"""Incremental ingest into Chroma: only what changed is embedded."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.index import NotesIndex, make_client
from knowledge.notes import load_chunks
from tests.support import SHIPPED_NOTES


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(SHIPPED_NOTES, folder)
    return folder


def test_incremental_ingest(notes, tmp_path, fake_embedder):
    """A second ingest embeds nothing; an edit re-embeds one passage; a deleted note's passages go."""
    index = NotesIndex(make_client(tmp_path / "chroma"), fake_embedder)
    first = index.ingest(load_chunks(notes))
    assert first.added == len(load_chunks(notes)) and first.unchanged == 0

    fake_embedder.texts_embedded = 0
    again = index.ingest(load_chunks(notes))
    assert (again.added, again.updated, again.removed, fake_embedder.texts_embedded) == (0, 0, 0, 0)

    note = notes / "llm-foundations-week1.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Chinese whispers", "the telephone game"),
                    encoding="utf-8")
    (notes / "extra.md").write_text("# Extra\n\nBeam search keeps the best few partial outputs.", encoding="utf-8")
    changed = index.ingest(load_chunks(notes))
    assert (changed.added, changed.updated, changed.removed) == (1, 1, 0)
    docs = index.chunks.get(include=["documents"])["documents"]
    assert any("the telephone game" in d for d in docs) and not any("Chinese whispers" in d for d in docs)

    (notes / "extra.md").unlink()
    removed = index.ingest(load_chunks(notes))
    assert removed.removed == 1
    sentence_owners = {m["chunk_id"] for m in index.sentences.get(include=["metadatas"])["metadatas"]}
    assert sentence_owners <= set(index.chunks.get()["ids"])


def test_model_change_rebuilds_the_index(notes, tmp_path, fake_embedder):
    """Switching the embedding model re-embeds everything instead of mixing incomparable vectors."""
    client = make_client(tmp_path / "chroma")
    NotesIndex(client, fake_embedder).ingest(load_chunks(notes))
    other = type(fake_embedder)(dim=32)
    other.name = "another-model"
    report = NotesIndex(client, other).ingest(load_chunks(notes))
    assert report.added == len(load_chunks(notes))


def test_a_change_to_sentence_splitting_reaches_an_existing_index(notes, tmp_path, fake_embedder, monkeypatch):
    """Code that cuts a passage into as many sentences as before, but other ones (a closing quote kept
    with its sentence), re-embeds those passages' sentences on the next ingest: answers never quote
    what the notes no longer hold as a sentence."""
    import knowledge.index as index_module
    from knowledge.text import sentences

    def old_cut(text):  # the old splitter, modelled: it left closing quotes out of sentences
        return [s.rstrip("”") for s in sentences(text)]

    client = make_client(tmp_path / "chroma")
    monkeypatch.setattr(index_module, "sentences", old_cut)
    monkeypatch.setattr(index_module, "CODE_VERSION", "older")
    NotesIndex(client, fake_embedder).ingest(load_chunks(notes))
    monkeypatch.undo()

    fake_embedder.texts_embedded = 0
    index = NotesIndex(client, fake_embedder)
    report = index.ingest(load_chunks(notes))
    assert report.updated >= 1 and fake_embedder.texts_embedded > 0, report
    stored = set(index.sentences.get(include=["documents"])["documents"])
    expected = {s for c in load_chunks(notes) for s in sentences(c.text)}
    assert stored == expected
    quoted = [s for s in expected if s.endswith("?”")]
    assert quoted and all(s in stored for s in quoted)

    fake_embedder.texts_embedded = 0
    again = index.ingest(load_chunks(notes))
    assert (again.updated, fake_embedder.texts_embedded) == (0, 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_chroma_server(notes, tmp_path, fake_embedder):
    """With a Chroma URL set, the index lives in a real `chroma run` server and answers queries."""
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip("chroma CLI not installed")
    port = _free_port()
    proc = subprocess.Popen([str(chroma), "run", "--host", "127.0.0.1", "--port", str(port),
                             "--path", str(tmp_path / "server")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        client = None
        while time.monotonic() < deadline:
            try:
                client = make_client(chroma_url=f"http://127.0.0.1:{port}")
                client.heartbeat()
                break
            except Exception:
                client = None
                time.sleep(0.5)
        assert client is not None, "chroma server did not start"
        index = NotesIndex(client, fake_embedder)
        chunks = load_chunks(notes)
        assert index.ingest(chunks).added == len(chunks)
        assert index.ingest(chunks).unchanged == len(chunks)
        best = index.query(fake_embedder.embed(["vanishing gradient problem"])[0], 3)
        titles = {c.id: c.title for c in chunks}
        assert any("vanishing gradient" in titles[cid] for cid, _ in best)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
