"""``load_bank``: the one way a process gets its quiz bank, so every surface posts the same items.

Hand-written deck items come first (``*.deck.toml`` next to the notes, see ``deck.py``);
items generated from the notes only fill sections no deck item cites and no deck skips,
and only if they pass the strict gate (``gate.py``). What the gate dropped, and every
problem found in a deck, travel with the bank so ``studybuddy quiz bank`` can show them.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.embedding import Embedder
from knowledge.notes import load_chunks
from knowledge.quizbank.cite import citation_titles, note_sections
from knowledge.quizbank.deck import find_decks, load_deck
from knowledge.quizbank.gate import TRUE_SHARE, Gate, Rejected, balance_true_false, true_share
from knowledge.quizbank.generate import build_quiz_bank
from knowledge.text import section_key
from knowledge.types import QuizItem

log = logging.getLogger(__name__)

__all__ = ["QuizBank", "Rejected", "load_bank"]


@dataclass(frozen=True, slots=True)
class QuizBank:
    items: tuple[QuizItem, ...]
    rejected: tuple[Rejected, ...] = ()
    problems: tuple[str, ...] = field(default=())  # e.g. deck file errors, "file:line: item N: field: what is wrong"
    curated: int = 0  # how many of ``items`` (the first ones) come from decks

    def __len__(self) -> int:
        return len(self.items)

    @property
    def generated(self) -> int:
        return len(self.items) - self.curated


def load_bank(notes_dir: Path, embedder: Embedder | None = None) -> QuizBank:
    """The quiz bank for the notes in ``notes_dir`` (blocking: run it in a worker thread).

    Raises ``NotesMissingError`` (a ``ConfigError``) when there are no notes. A broken deck
    does not raise: its problems are in ``QuizBank.problems`` and its good items still load.
    """
    notes_dir = Path(notes_dir)
    chunks = load_chunks(notes_dir)
    sections = note_sections(chunks)
    problems: list[str] = []
    curated: list[QuizItem] = []
    skipped: dict[tuple[str, str], str] = {}
    decked: set[str] = set()
    for path in find_decks(notes_dir):
        deck = load_deck(path, notes_dir, sections)
        problems += deck.problems
        if deck.note is None:
            continue
        decked.add(deck.note)
        ids = {i.id for i in curated}
        curated += [i for i in deck.items if i.id not in ids]
        skipped.update({(deck.note, s): why for s, why in deck.skip.items()})

    cited = {(i.source_path, i.source_title) for i in curated}
    by_title = citation_titles(chunks)
    fixed_title = {c.title: by_title[c.id] for c in chunks}
    gaps: list[QuizItem] = []
    rejected: list[Rejected] = []
    gate = Gate(chunks)
    for item in build_quiz_bank(chunks, embedder=embedder):
        title = fixed_title.get(item.source_title, item.source_title)
        item = dataclasses.replace(item, source_title=title, topic=section_key(title))
        where = (item.source_path, title)
        if where in cited or where in skipped:
            why = "its section has hand-written deck items" if where in cited else f"the deck skips it: {skipped[where]}"
            rejected.append(Rejected(item.question, (*gate.reasons(item), why), title))
        else:
            gaps.append(item)
    generated, dropped = gate.select(gaps, curated)
    rejected += dropped
    items, unbalanced = balance_true_false([*curated, *generated], {i.id for i in generated})
    rejected += unbalanced

    share = true_share(items)
    n_tf = sum(1 for i in items if i.kind == "true_false")
    # Below four statements no split lands in 45–55 %; the warning would only be noise.
    if share is not None and n_tf >= 4 and not TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
        problems.append(
            f"True/False balance: {round(100 * share)}% of the true/false items are True "
            f"(keep it within {round(100 * TRUE_SHARE[0])}–{round(100 * TRUE_SHARE[1])}%: "
            "otherwise always answering one side pays)"
        )
    covered = {(i.source_path, i.source_title) for i in items}
    for note in sorted(decked):
        for section in sections.get(note, []):
            if (note, section) not in covered and (note, section) not in skipped:
                problems.append(
                    f"{note}: no item cites {section!r}: add one to its deck, or list it under [skip] with a reason"
                )
    n_curated = sum(1 for i in items if i in curated)
    log.info("quiz bank: %d items (%d from decks, %d generated), %d rejected, %d problems",
             len(items), n_curated, len(items) - n_curated, len(rejected), len(problems))
    for problem in problems:
        log.warning("quiz bank: %s", problem)
    return QuizBank(tuple(items), tuple(rejected), tuple(problems), n_curated)
