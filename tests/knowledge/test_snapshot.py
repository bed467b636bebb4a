"""The readers' copy of an embedded index: what a reader loads instead of opening Chroma.

It must hold exactly what the index holds after every kind of ingest, disappear the moment an
ingest starts changing the index (an interrupted ingest leaves readers on the index itself), and
answer questions exactly as the index does.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from knowledge.base import KnowledgeBase
from knowledge.index import NotesIndex, make_client
from knowledge.notes import load_chunks
from knowledge.snapshot import Snapshot
from tests.support import SHIPPED_NOTES

QUESTIONS = [
    "what is rag", "pls explain vanishing gradiant", "how are embeddings trained",
    "what are the limitations of transformers", "what does temperature do", "what is the capital of France",
]


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(SHIPPED_NOTES, folder)
    return folder


def _index_contents(index: NotesIndex):
    """Passages, their vectors and their sentences as the index itself (Chroma) holds them."""
    chunks = index.load_chunks()
    vecs = index.load_chunk_vectors([c.id for c in chunks])
    ids, texts, positions, svecs = index.load_sentences()
    return chunks, vecs, _by_passage(ids, texts, positions, svecs)


def _by_passage(ids, texts, positions, vecs) -> dict[str, list]:
    out: dict[str, list] = {}
    for cid, text, pos, vec in zip(ids, texts, positions, vecs, strict=True):
        out.setdefault(cid, []).append((pos, text, np.asarray(vec)))
    return {cid: sorted(rows, key=lambda r: r[0]) for cid, rows in out.items()}


def assert_copy_matches_index(index: NotesIndex) -> None:
    copy = Snapshot.open(index.snapshot_root, index.embedder.name)
    assert copy is not None, "a completed ingest leaves a copy for readers"
    copy.load()
    chunks, vecs, sentences = _index_contents(index)
    got = copy.load_chunks()
    assert [(c.id, c.title, c.text, c.source, c.order) for c in got] == \
        [(c.id, c.title, c.text, c.source, c.order) for c in chunks]
    np.testing.assert_allclose(copy.load_chunk_vectors([c.id for c in got]), vecs, atol=1e-6)
    got_sentences = _by_passage(*copy.load_sentences())
    assert got_sentences.keys() == sentences.keys()
    for cid, rows in sentences.items():
        assert [(p, t) for p, t, _ in got_sentences[cid]] == [(p, t) for p, t, _ in rows]
        np.testing.assert_allclose(np.stack([v for *_, v in got_sentences[cid]]),
                                   np.stack([v for *_, v in rows]), atol=1e-6)
    assert copy.record["state"] == "complete" and copy.passages == len(chunks)


def test_the_copy_holds_what_the_index_holds_after_every_kind_of_ingest(notes, tmp_path, fake_embedder):
    index = NotesIndex(make_client(tmp_path / "chroma"), fake_embedder, snapshot_root=tmp_path / "copy")
    index.ingest(load_chunks(notes))
    assert_copy_matches_index(index)

    note = notes / "llm-foundations-week1.md"
    note.write_text(note.read_text(encoding="utf-8").replace("Chinese whispers", "the telephone game"),
                    encoding="utf-8")
    (notes / "extra.md").write_text("# Extra\n\nBeam search keeps the best few partial outputs. It is greedy.",
                                    encoding="utf-8")
    fake_embedder.texts_embedded = 0
    index.ingest(load_chunks(notes))
    assert fake_embedder.texts_embedded < 20, "an edit re-embeds only what changed, the copy included"
    assert_copy_matches_index(index)
    texts = [c.text for c in Snapshot.open(index.snapshot_root, fake_embedder.name).load_chunks()]
    assert any("the telephone game" in t for t in texts) and not any("Chinese whispers" in t for t in texts)

    (notes / "extra.md").unlink()
    index.ingest(load_chunks(notes))
    assert_copy_matches_index(index)
    assert all(c.source != "extra.md" for c in Snapshot.open(index.snapshot_root, fake_embedder.name).load_chunks())
    assert len(list((tmp_path / "copy").glob("copy-*"))) == 1, "older copies are removed"


def test_an_interrupted_ingest_leaves_readers_on_the_index_itself(notes, tmp_path, fake_embedder):
    root = tmp_path / "copy"
    index = NotesIndex(make_client(tmp_path / "chroma"), fake_embedder, snapshot_root=root)
    index.ingest(load_chunks(notes))
    before = Snapshot.open(root, fake_embedder.name)
    assert index.reader() is not index  # answers load from the copy

    (notes / "extra.md").write_text("# Extra\n\nBeam search keeps the best few partial outputs.", encoding="utf-8")
    real_embed = fake_embedder.embed

    def crash(texts):
        raise KeyboardInterrupt  # Ctrl-C in the middle of embedding the new note

    fake_embedder.embed = crash
    with pytest.raises(KeyboardInterrupt):
        index.ingest(load_chunks(notes))
    fake_embedder.embed = real_embed

    assert Snapshot.open(root, fake_embedder.name) is None, "the copy went before the index changed"
    assert index.reader() is index and index.status().incomplete == ("extra.md",)
    assert before.load_chunks(), "a reader that loaded the old copy keeps it whole"

    index.ingest(load_chunks(notes))
    assert_copy_matches_index(index)
    assert any(c.source == "extra.md" for c in index.reader().load_chunks())


def test_an_index_built_without_a_copy_gets_one_without_embedding_anything(notes, tmp_path, fake_embedder):
    client = make_client(tmp_path / "chroma")
    NotesIndex(client, fake_embedder).ingest(load_chunks(notes))  # an index from before copies existed
    index = NotesIndex(client, fake_embedder, snapshot_root=tmp_path / "copy")
    kb = KnowledgeBase(notes, index, fake_embedder)
    fake_embedder.texts_embedded = 0
    report = kb.ingest()
    assert report.embedded == 0 and fake_embedder.texts_embedded == 0
    assert_copy_matches_index(index)


def test_a_copy_of_another_model_is_not_used(notes, tmp_path, fake_embedder):
    index = NotesIndex(make_client(tmp_path / "chroma"), fake_embedder, snapshot_root=tmp_path / "copy")
    index.ingest(load_chunks(notes))
    other = type(fake_embedder)(dim=32)
    other.name = "another-model"
    assert Snapshot.open(tmp_path / "copy", other.name) is None
    assert NotesIndex(lambda: make_client(tmp_path / "chroma"), other, snapshot_root=tmp_path / "copy").copy() is None


def test_answers_from_the_copy_are_the_answers_from_the_index(knowledge_base, real_embedder, chroma_client,
                                                              tmp_path):
    index = NotesIndex(chroma_client, real_embedder, knowledge_base.index.name, snapshot_root=tmp_path / "copy")
    assert index.ensure_copy()
    from_copy = KnowledgeBase(SHIPPED_NOTES, index, real_embedder)
    assert from_copy.index.reader() is not from_copy.index
    for question in QUESTIONS:
        a, b = knowledge_base.answer(question), from_copy.answer(question)
        assert a.markdown() == b.markdown(), question
        assert [h.chunk_id for h in a.hits] == [h.chunk_id for h in b.hits], question
        assert a.confidence == pytest.approx(b.confidence, abs=1e-5)


def test_a_reader_answers_from_the_copy_without_opening_the_index(notes, tmp_path, fake_embedder):
    """Opening Chroma costs a reader a second; with a copy, a reader never opens it."""
    root = tmp_path / "copy"
    writer = NotesIndex(make_client(tmp_path / "chroma"), fake_embedder, snapshot_root=root)
    KnowledgeBase(notes, writer, fake_embedder).ingest()

    def no_chroma():
        raise AssertionError("the reader opened the index")

    reader = KnowledgeBase(notes, NotesIndex(no_chroma, fake_embedder, snapshot_root=root), fake_embedder)
    assert reader.ready() and not reader.notes_changed()
    assert reader.status().passages == len(load_chunks(notes))
    assert reader.answer("what is rag").grounded
    (notes / "llm-foundations-week1.md").touch()
    assert reader.notes_changed(), "an edited note is noticed from the copy's record of the files"
