"""The rubric (knowledge/quizbank/RUBRIC.md), as far as a program can check it, on the shipped bank."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from knowledge.notes import load_chunks
from knowledge.quizbank import load_bank
from knowledge.quizbank.cite import note_sections
from knowledge.quizbank.gate import DISTRACTOR_CAP, Gate, _pointer, _statement
from knowledge.quizbank.text import content_stems, norm_words
from knowledge.text import STOPWORDS
from knowledge.text import sentences as split_text

NOTES = Path(__file__).resolve().parents[2] / "knowledge" / "notes"


@pytest.fixture(scope="module")
def chunks():
    return load_chunks(NOTES)


@pytest.fixture(scope="module")
def bank():
    return load_bank(NOTES)


def test_the_shipped_bank_loads_without_problems(bank):
    """The shipped deck has no errors, covers or skips every section itself, and a blind sample of 30 fits in it."""
    assert bank.problems == ()
    assert bank.generated == 0
    assert bank.curated >= 30


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


def _choice(item):
    """The key and the wrong options of a choice item."""
    return item.answer_text, [o for n, o in enumerate(item.options) if n != item.answer]


def _common_stems(chunks) -> set[str]:
    """Words in more than a quarter of the notes' passages ("model", "word"): sharing one points at nothing."""
    df = Counter(s for c in chunks for s in content_stems(f"{c.title} {c.text}".replace("-", " ")))
    return {s for s, n in df.items() if n > len(chunks) / 4}


def _distinctive(text: str, common: set[str]) -> set[str]:
    return {s for s in content_stems(text.replace("-", " ")) if s not in common and not any(c.isdigit() for c in s)}


def _phrases(text: str) -> set[tuple[str, ...]]:
    """Runs of three words holding at least two content words: enough to recognise copied wording."""
    words = norm_words(text.replace("-", " "))
    return {
        tuple(words[i:i + 3]) for i in range(len(words) - 2)
        if len({w for w in words[i:i + 3] if w not in STOPWORDS}) >= 2
    }


def test_the_key_does_not_echo_the_question(bank, chunks):
    """Rule 5: a distinctive word of the question ("next-token", "subword") is in the key only if a wrong option has it too."""
    common = _common_stems(chunks)
    for item in bank.items:
        if item.kind == "true_false":
            continue
        key, wrong = _choice(item)
        echoed = _distinctive(item.question, common) & _distinctive(key, common)
        echoed -= set().union(*(_distinctive(w, common) for w in wrong))
        assert not echoed, (item.id, echoed)


def test_the_key_is_not_the_only_option_in_the_notes_wording(bank, chunks):
    """Rule 5: the key copies no phrase of the notes unless a wrong option does too (no verbatim key among paraphrases)."""
    notes = set().union(*(_phrases(c.text) for c in chunks))
    for item in bank.items:
        if item.kind == "true_false":
            continue
        key, wrong = _choice(item)
        copied = _phrases(key) & notes
        assert not copied or any(_phrases(w) & notes for w in wrong), (item.id, copied)


def test_the_key_is_never_the_longest_option(bank):
    """Rule 5: the key is never longer than every wrong option, so length does not give it away."""
    for item in bank.items:
        if item.kind != "true_false":
            key, wrong = _choice(item)
            assert len(key) <= max(len(w) for w in wrong), item.id


_RECALL = re.compile(
    r"\b(?:what do the notes (?:call|name|mean)|the notes (?:call|compare|liken)|which (?:analogy|example|comparison)"
    r"|according to the notes)\b",
    re.IGNORECASE,
)


def test_no_question_asks_for_a_label_or_an_analogy_of_the_notes(bank):
    """Rule 2: questions test the concept, never "what do the notes call this?" or "which analogy…"."""
    for item in bank.items:
        assert not _RECALL.search(item.question), item.id
