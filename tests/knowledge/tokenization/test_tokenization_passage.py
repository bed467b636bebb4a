"""The notes' passage on tokenization, found by keyword without the embedding model."""

from __future__ import annotations

import pytest

from bot.config import PACKAGE_NOTES_DIR
from knowledge.notes import NotesMissingError, load_chunks
from knowledge.tokenization.passage import best_passage, notes_passage
from knowledge.types import Chunk

PACKAGED = PACKAGE_NOTES_DIR


def _chunk(title: str, text: str, order: int = 0) -> Chunk:
    return Chunk(f"id{order}", title, text, "notes.md", "h", order)


def test_packaged_notes_give_their_tokenization_passage():
    """On the shipped notes the passage found is the one that defines tokenization."""
    found = notes_passage(PACKAGED)
    assert found is not None
    assert "Tokenization" in found.title and found.text.startswith("Tokenization is")
    assert found.path.endswith(".md")


def test_densest_passage_wins_and_none_without_the_topic():
    """The chunk where token words are densest is chosen; notes without them give None."""
    chunks = [
        _chunk("RNNs", "Recurrent networks read one token at a time and forget early context.", 0),
        _chunk("Subwords", "Tokenizers cut words into subword tokens; BPE merges frequent byte pairs.", 1),
    ]
    assert best_passage(chunks).title == "Subwords"
    assert best_passage([_chunk("RNNs", "Recurrent networks forget early context.")]) is None


def test_matches_the_chunker_of_the_notes(tmp_path):
    """The passage is one of the notes' own chunks (same loader, same repair, same cut)."""
    (tmp_path / "n.md").write_text("# Intro\nHello.\n\n# Tokens\nA tokenizer turns text into tokens.\n")
    found = notes_passage(tmp_path)
    assert (found.title, found.text) in {(c.title, c.text) for c in load_chunks(tmp_path)}
    assert "Tokens" in found.title


def test_missing_notes_folder_is_a_config_error(tmp_path):
    """No notes at all is the operator's problem, reported as such."""
    with pytest.raises(NotesMissingError):
        notes_passage(tmp_path / "nope")
