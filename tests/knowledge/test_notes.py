"""Loading a notes folder and cutting it into titled chunks."""

import logging

import pytest

from knowledge.notes import NotesMissingError, load_chunks
from tests.support import SHIPPED_NOTES


@pytest.fixture(scope="module")
def chunks():
    return load_chunks(SHIPPED_NOTES)


def _titled(chunks, needle):
    return [c for c in chunks if needle in c.text]


@pytest.mark.parametrize(
    ("passage", "title_part"),
    [
        ("It’s like playing Chinese whispers", "What is the vanishing gradient problem?"),
        ("Tokenization is the initial phase", "Tokenization"),
        ("RAG simply consists", "RAG"),
        ("“Few-Shot Prompting” is when", "Few-Shot Prompting"),
        ("Chain-of-Thought” prompting involves", "Chain-of-Thought"),
        ("“Self-Consistency” involves", "Self-Consistency"),
        ("CLM is more “natural”", "CLM"),
        ("Adds [MASK] to real sentences", "BERT (MLM) vs GPT (CLM)"),
        ("Fixed context size", "Limitations of Transformers"),
    ],
)
def test_chunks_have_meaningful_titles(chunks, passage, title_part):
    """Every passage, with or without a heading of its own, is cited under a title that names its topic."""
    found = _titled(chunks, passage)
    assert found, passage
    assert title_part in found[0].title


def test_structure_splits_techniques_and_rules(chunks):
    """Lettered techniques, '--' ideas and rules each become their own passage."""
    for a, b in [("Few-Shot Prompting” is when", "Self-Consistency” involves"),
                 ("RAG simply consists", "Tokenization is the initial phase"),
                 ("What is an RNN", "vanishing gradient")]:
        ca = _titled(chunks, a) or [c for c in chunks if a in c.title]
        cb = _titled(chunks, b) or [c for c in chunks if b in c.title]
        assert ca and cb and ca[0].id != cb[0].id


def test_repeated_block_is_indexed_once(chunks):
    """The notebook header pasted three times in the notes is one passage."""
    assert len(_titled(chunks, "This notebook contains answers")) == 1


def test_ids_and_hashes_are_stable_and_unique(chunks):
    """The same notes give the same ids and hashes; no two passages share an id."""
    again = load_chunks(SHIPPED_NOTES)
    assert [(c.id, c.content_hash) for c in chunks] == [(c.id, c.content_hash) for c in again]
    assert len({c.id for c in chunks}) == len(chunks)


def test_editing_one_passage_keeps_the_others_ids(tmp_path):
    """Editing a passage changes its hash, not its id, and leaves other passages untouched."""
    text = (SHIPPED_NOTES / "llm-foundations-week1.md").read_text(encoding="utf-8")
    (tmp_path / "n.md").write_text(text, encoding="utf-8")
    before = {c.id: c.content_hash for c in load_chunks(tmp_path)}
    (tmp_path / "n.md").write_text(text.replace("Chinese whispers", "telephone"), encoding="utf-8")
    after = {c.id: c.content_hash for c in load_chunks(tmp_path)}
    assert before.keys() == after.keys()
    assert sum(before[k] != after[k] for k in before) == 1


def test_bad_files_are_skipped_with_a_warning(tmp_path, caplog):
    """Binary and non-UTF-8 files are skipped with a warning naming them; the rest still loads."""
    (tmp_path / "good.md").write_text("# Topic\n\nAttention lets tokens look at each other.", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with caplog.at_level(logging.WARNING):
        chunks = load_chunks(tmp_path)
    assert [c.source for c in chunks] == ["good.md"]
    assert "binary.md" in caplog.text and "latin1.txt" in caplog.text


@pytest.mark.parametrize("setup", ["missing", "empty", "only-binary"])
def test_no_notes_is_a_clear_error(tmp_path, setup):
    """A missing or empty notes folder is reported, not silently indexed as nothing."""
    folder = tmp_path / "notes"
    if setup != "missing":
        folder.mkdir()
    if setup == "only-binary":
        (folder / "x.md").write_bytes(b"\x00\x01")
    with pytest.raises(NotesMissingError):
        load_chunks(folder)
