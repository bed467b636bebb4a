"""Curated decks: the file format, its error messages, and how deck items and generated items combine."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from knowledge.notes import load_chunks
from knowledge.quizbank import load_bank
from knowledge.quizbank.cite import citation_titles, note_sections

NOTES = """# Networking Basics

## Transport protocols

TCP is a connection-oriented protocol that guarantees ordered delivery of bytes. Lost bytes are sent again, so a web page arrives whole.
UDP is a connectionless protocol that sends datagrams without delivery guarantees. Video calls use it because a late packet is useless anyway.

## What is DNS?

DNS translates human-readable domain names into IP addresses so that browsers can find servers. Without it, people would have to remember numeric addresses.

## Reading list

- Why is the sky blue?
"""

DECK = '''
[skip]
"Networking Basics › Reading list" = "questions only"

[[item]]
id = "tcp-vs-udp"
section = "Networking Basics › Transport protocols"
kind = "mcq"
question = "A video call drops a packet. Which protocol carries on without sending it again?"
answer = "UDP"
wrong = ["TCP", "DNS", "HTTP"]
explanation = "UDP sends datagrams without delivery guarantees: a late packet is useless in a call. TCP would resend it."

[[item]]
section = "Networking Basics › Transport protocols"
kind = "true_false"
question = "TCP delivers bytes in order and sends lost ones again."
answer = true
explanation = "TCP is connection-oriented: it guarantees ordered delivery, which is why a web page arrives whole."
'''


def _folder(tmp_path: Path, deck: str | None = DECK, notes: str = NOTES) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "net.md").write_text(notes, encoding="utf-8")
    if deck is not None:
        (folder / "net.deck.toml").write_text(deck, encoding="utf-8")
    return folder


def test_deck_items_come_first_and_cite_their_section(tmp_path):
    """Deck items lead the bank, keep their id, cite the section they name, and show the right answer."""
    bank = load_bank(_folder(tmp_path))
    assert [p for p in bank.problems if "deck.toml" in p] == []
    assert bank.curated == 2
    first, second = bank.items[:2]
    assert first.id == "tcp-vs-udp"
    assert first.answer_text == "UDP" and sorted(first.options) == ["DNS", "HTTP", "TCP", "UDP"]
    assert first.source_title == "Networking Basics › Transport protocols"
    assert first.source_path == "net.md"
    assert second.question == "True or false: TCP delivers bytes in order and sends lost ones again."
    assert second.answer_text == "True"


def test_generated_items_only_fill_sections_the_deck_leaves_open(tmp_path):
    """Generated items appear only in sections with no deck item and no skip; the rest are listed as dropped."""
    bank = load_bank(_folder(tmp_path))
    generated = bank.items[bank.curated:]
    assert {i.source_title for i in generated} <= {"Networking Basics › What is DNS?"}
    covered = [r for r in bank.rejected if r.source == "Networking Basics › Transport protocols"]
    assert covered and all(any("hand-written" in why for why in r.reasons) for r in covered)


def test_without_a_deck_the_bank_is_generated_and_gated(tmp_path):
    """With no deck, every item is generated, and what the gate drops is kept with its reasons."""
    bank = load_bank(_folder(tmp_path, deck=None))
    assert bank.curated == 0
    assert all(r.reasons for r in bank.rejected)


def test_the_answer_is_spread_evenly_over_the_places(tmp_path):
    """The author writing the key first does not put it first: across a deck each place holds the key equally often."""
    items = "\n".join(
        f'''[[item]]
section = "Networking Basics › What is DNS?"
kind = "mcq"
question = "Question number {n} about name lookups, which one?"
answer = "DNS"
wrong = ["TCP", "UDP", "HTTP"]
explanation = "DNS translates names into IP addresses; the others carry data."
''' for n in range(12))
    bank = load_bank(_folder(tmp_path, deck=items))
    assert sorted(Counter(i.answer for i in bank.items[:12]).values()) == [3, 3, 3, 3]
    assert all(i.answer_text == "DNS" for i in bank.items[:12])


def test_a_sub_heading_inside_a_passage_is_a_section_a_deck_can_cite(tmp_path):
    """A Title Case line standing alone inside a passage is a section beside the passage's own title line; "Let's see:" is not."""
    notes = (
        "# Notes\n\n## Caching\n\nCaching keeps answers close to the reader.\n\n⸻\n\nHow Caches Work:\n\n"
        "Let's see how it works:\n\nHits are fast and misses go to the origin server.\n\nBut Caches Go Stale:\n\n"
        "An entry can outlive the data it copies, so each entry carries an expiry time.\n"
    )
    folder = _folder(tmp_path, deck=None, notes=notes)
    sections = note_sections(load_chunks(folder))["net.md"]
    assert sections == ["Notes › Caching", "Notes › Caching › How Caches Work", "Notes › Caching › But Caches Go Stale"]
    deck = (
        '[[item]]\nsection = "Notes › Caching › But Caches Go Stale"\nkind = "true_false"\n'
        'question = "A cached entry can hold data older than its origin server has."\nanswer = true\n'
        'explanation = "An entry can outlive the data it copies; the expiry time bounds how long."\n'
    )
    (folder / "net.deck.toml").write_text(deck, encoding="utf-8")
    bank = load_bank(folder)
    assert not any("deck.toml" in p for p in bank.problems), bank.problems
    assert bank.items[0].source_title == "Notes › Caching › But Caches Go Stale"


@pytest.mark.parametrize(
    ("deck", "expected"),
    [
        ('[[item]]\nsection = "x"\nkind = "mcq\n', "net.deck.toml:3: not valid TOML"),
        (
            '[[item]]\nsection = "Networking Basics › Transport protocol"\nkind = "true_false"\n'
            'question = "TCP is reliable."\nanswer = true\nexplanation = "It resends lost bytes."\n',
            "net.deck.toml:2: item 1: section: 'Networking Basics › Transport protocol' is not a section of net.md; "
            "did you mean 'Networking Basics › Transport protocols'?",
        ),
        (
            '[[item]]\nsection = "Networking Basics › What is DNS?"\nkind = "mcq"\nquestion = "Which one?"\n'
            'answer = "DNS"\nwrong = ["TCP"]\nexplanation = "DNS names things."\n',
            "net.deck.toml:6: item 1: wrong: three wrong options",
        ),
        (
            '[[item]]\nsection = "Networking Basics › What is DNS?"\nkind = "true_false"\n'
            'question = "DNS maps names to addresses."\nanswer = "yes"\nexplanation = "So browsers find servers."\n',
            "net.deck.toml:5: item 1: answer: a true_false item's answer is true or false",
        ),
        (
            '[[item]]\nsection = "Networking Basics › What is DNS?"\nkind = "true_false"\nquestoin = "typo"\n'
            'answer = true\nexplanation = "x"\n',
            "net.deck.toml:4: item 1: questoin: unknown field",
        ),
        (
            '[[item]]\nsection = "Networking Basics › What is DNS?"\nkind = "essay"\nquestion = "Discuss DNS."\n'
            'answer = "x"\nexplanation = "x"\n',
            "net.deck.toml:3: item 1: kind: 'essay' is not one of mcq, true_false, fill_blank",
        ),
        ('[skip]\n"Networking Basics › Reading list" = ""\n', "skip: 'Networking Basics › Reading list' needs a reason"),
    ],
)
def test_deck_errors_name_the_line_and_the_field(tmp_path, deck, expected):
    """A broken deck entry is reported as file:line: item N: field: what is wrong, and nothing crashes."""
    bank = load_bank(_folder(tmp_path, deck=deck))
    assert any(p.startswith(expected) or expected in p for p in bank.problems), bank.problems


def test_a_broken_item_does_not_take_the_deck_down(tmp_path):
    """The good items of a deck still load when one item is broken."""
    broken = DECK + '\n[[item]]\nsection = "Networking Basics › What is DNS?"\nkind = "mcq"\n'
    bank = load_bank(_folder(tmp_path, deck=broken))
    assert bank.curated == 2
    assert any(p.startswith("net.deck.toml:21: item 3") for p in bank.problems), bank.problems


def test_an_uncovered_section_is_reported_for_a_decked_note(tmp_path):
    """A note with a deck gets a problem for each section with no item that the deck does not skip."""
    deck = DECK.replace('"Networking Basics › Reading list" = "questions only"', "")
    notes = NOTES.replace("- Why is the sky blue?", "- Why is the sky blue?\n- What makes rain?")
    bank = load_bank(_folder(tmp_path, deck=deck, notes=notes))
    assert any("Reading list" in p and "[skip]" in p for p in bank.problems), bank.problems


def test_cut_off_titles_are_never_cited(tmp_path):
    """A passage the loader titled with a cut-off sentence is cited by the subject before it, "(continued)"."""
    notes = (
        "# Notes\n\n--RAG : RAG consists of augmenting LLMs with a knowledge base.\n\n"
        "--Initially, every token is assigned a random vector as its embedding, and training moves it around.\n"
    )
    folder = _folder(tmp_path, deck=None, notes=notes)
    chunks = load_chunks(folder)
    cited = citation_titles(chunks)
    assert any(c.title.endswith("…") for c in chunks)  # the loader's own title is a fragment
    assert sorted(cited.values()) == ["Notes › RAG", "Notes › RAG (continued)"]
