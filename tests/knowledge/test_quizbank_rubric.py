"""The rubric (knowledge/quizbank/RUBRIC.md), as far as a program can check it, on the shipped bank."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from knowledge.notes import load_chunks
from knowledge.quizbank import load_bank
from knowledge.quizbank.cite import note_sections
from knowledge.quizbank.gate import DISTRACTOR_CAP, Gate, _pointer, _statement
from knowledge.quizbank.text import content_stems
from knowledge.text import sentences as split_text

NOTES = Path(__file__).resolve().parents[2] / "knowledge" / "notes"


@pytest.fixture(scope="module")
def chunks():
    return load_chunks(NOTES)


@pytest.fixture(scope="module")
def bank():
    return load_bank(NOTES)


def test_the_shipped_bank_loads_without_problems(bank):
    """The shipped deck has no errors, covers or skips every section, and is balanced."""
    assert bank.problems == ()
    assert bank.curated >= 50


def test_every_item_cites_a_real_section(bank, chunks):
    """Rule 9: every citation is a heading path of the notes, never a cut-off sentence."""
    sections = note_sections(chunks)
    for item in bank.items:
        assert item.source_title in sections[item.source_path], item.source_title
        assert not any(part.endswith("…") and len(part) > 45 for part in item.source_title.split(" › "))


def test_every_section_is_covered_or_skipped_with_a_reason(bank, chunks):
    """Every section of the notes has an item, except those the deck skips (each skip has a reason)."""
    import tomllib

    deck = tomllib.loads((NOTES / "llm-foundations-week1.deck.toml").read_text(encoding="utf-8"))
    skipped = {s for s, why in deck["skip"].items() if why.strip()}
    covered = {i.source_title for i in bank.items}
    for note, sections in note_sections(chunks).items():
        missing = [s for s in sections if s not in covered and s not in skipped]
        assert missing == [], (note, missing)
    assert len(skipped) <= 4  # skipping is for sections with nothing to test, not for hard ones


def test_true_and_false_are_balanced(bank):
    """Whole bank: True is 45–55 % of the true/false items, so always answering True does not pay."""
    tf = [i for i in bank.items if i.kind == "true_false"]
    assert len(tf) >= 10
    assert 0.45 <= sum(i.answer == 0 for i in tf) / len(tf) <= 0.55


def test_the_key_position_varies(bank):
    """Rule 5: no option position holds the key in more than 40 % of the choice items."""
    choice = [i for i in bank.items if i.kind != "true_false"]
    assert max(Counter(i.answer for i in choice).values()) <= 0.4 * len(choice)


def test_explanations_add_beyond_the_question(bank):
    """Rule 3: each explanation has a sentence with three or more content words not in the question or key."""
    for item in bank.items:
        shown = content_stems(f"{item.question} {' '.join(item.options)}")
        assert any(len(content_stems(s) - shown) >= 3 for s in split_text(item.explanation)), item.id


def test_no_question_word_points_at_its_key(bank):
    """Rule 5: no word of a fill-in or a term question shares its stem with a one- or two-word key."""
    for item in bank.items:
        key = item.answer_text
        if item.kind != "true_false" and len(key.split()) <= 2:
            assert _pointer(_statement(item), key) == [], item.id


def test_clean_text_and_no_copied_typos(bank, chunks):
    """Rule 8: no semicolon lists, options fit a button, no typo copied from the notes."""
    gate = Gate(chunks)
    for item in bank.items:
        assert ";" not in item.question, item.id
        assert all(len(o) <= 70 for o in item.options), item.id
        assert gate._typos(item) == [], item.id


def test_one_item_per_question_and_distractors_capped(bank):
    """Whole bank: no repeated question, no wrong option in more than the cap of items."""
    assert len({i.question.casefold() for i in bank.items}) == len(bank.items)
    wrong = Counter(o.casefold() for i in bank.items if i.kind != "true_false"
                    for n, o in enumerate(i.options) if n != i.answer)
    assert max(wrong.values()) <= DISTRACTOR_CAP, wrong.most_common(3)


def test_the_chat_and_the_cli_get_the_same_bank(bank, real_embedder):
    """With the embedding model (the chat) or without (the one-shot CLI), the shipped bank is the same."""
    assert load_bank(NOTES, embedder=real_embedder).items == bank.items
