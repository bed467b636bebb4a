"""Repairing notes that went through a bad encoding round trip."""

import pytest

from knowledge.notes import load_chunks, load_notes
from knowledge.repair import MOJIBAKE_MARKERS, repair_text
from tests.support import SHIPPED_NOTES


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("ðŸ§\xa0 Notes â€“ Week 1", "🧠 Notes – Week 1"),
        ("Itâ€™s like", "It’s like"),
        ("Ã©tÃ©", "été"),
        ("â€œhappyâ€ and", "“happy” and"),  # closing quote lost its 0x9D byte, then a space
        ("## âš\xa0ï¸ Limitations", "## ⚠️ Limitations"),  # variation selector lost its 0x8F byte
        ("## â“ Open Questions\nWhatâ€™s next", "## ❓ Open Questions\nWhat’s next"),
        ("clean text stays clean — naïve café", "clean text stays clean — naïve café"),
    ],
)
def test_repair_fixes_mojibake(broken, fixed):
    """Mojibake, including sequences ftfy alone leaves behind, reads as the author wrote it."""
    assert repair_text(broken) == fixed


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("a.Chain-of-Thoughtâ€ prompting is", "a.“Chain-of-Thought” prompting is"),  # the shipped notes' slip
        ("- Few-Shot” means", "- “Few-Shot” means"),
        ("b.“Self-Consistency” asks", "b.“Self-Consistency” asks"),  # already whole
        ("he called it done” and left", "he called it done” and left"),  # where it opened is unknown
    ],
)
def test_a_term_opening_a_line_gets_its_lost_opening_quote(typed, shown):
    """A line starting with a term closed by ” but never opened shows the quote pair: the answer quoting it
    read "Chain-of-Thought” prompting involves ...". Elsewhere the opening could be anywhere: left alone."""
    assert repair_text(typed) == shown


def test_shipped_notes_have_no_mojibake_after_loading():
    """No indexed text or title of the shipped notes contains a mojibake sequence."""
    raw = (SHIPPED_NOTES / "llm-foundations-week1.md").read_text(encoding="utf-8")
    assert any(m in raw for m in MOJIBAKE_MARKERS)  # the shipped file really is broken
    for note in load_notes(SHIPPED_NOTES):
        assert not [m for m in MOJIBAKE_MARKERS if m in note.text]
    for chunk in load_chunks(SHIPPED_NOTES):
        text = chunk.title + chunk.text
        assert not [m for m in MOJIBAKE_MARKERS if m in text], chunk.title


def test_shipped_notes_are_byte_for_byte_the_groups_notes():
    """knowledge/notes ships the group's notes unchanged; repair happens only when loading."""
    shared = SHIPPED_NOTES.parent.parent.parent / "shared" / "notes"
    if not shared.is_dir():
        pytest.skip("shared/notes is not beside this checkout")
    for src in shared.iterdir():
        assert (SHIPPED_NOTES / src.name).read_bytes() == src.read_bytes()
