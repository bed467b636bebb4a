"""Curated quiz decks: items a study group writes by hand, in a TOML file next to its notes.

A deck for ``week1.md`` is ``week1.deck.toml`` in the same folder (any ``*.deck.toml`` may
name its note with ``notes = "..."``). The loader reads only note suffixes (.md, .txt), so a
deck is never indexed as notes. Format (see RUBRIC.md for what makes a good item)::

    notes = "week1.md"                # optional: defaults to the note with the deck's stem

    [skip]                            # sections with nothing to quiz, and why
    "Week 1 › Open Questions" = "questions the author still has; nothing is stated"

    [[item]]
    section = "Week 1 › What is RAG?" # the heading path the item cites (as `quiz bank` shows it)
    kind = "mcq"                      # mcq | true_false | fill_blank
    question = "Which of these ...?"
    answer = "RAG"                    # the right option; true or false for a true_false item
    wrong = ["CLIP", "BERT", "GPT"]   # three wrong options (mcq and fill_blank)
    explanation = "Why, or the contrast the notes give."
    id = "rag-purpose"                # optional: keeps the id stable across edits

Every problem is reported as ``file:line: item N: field: what is wrong``; a broken item is
left out and the rest of the deck still loads.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.quizbank.validate import BLANK, KINDS, TRUE_FALSE, form_problems
from knowledge.text import section_key
from knowledge.types import QuizItem

DECK_SUFFIX = ".deck.toml"
TF_PREFIX = "True or false: "
_ITEM_FIELDS = {"id", "section", "kind", "question", "answer", "wrong", "explanation", "keep_order"}
_TOP_FIELDS = {"notes", "skip", "item"}
_HEADER = re.compile(r"^\s*\[\[\s*item\s*\]\]\s*(?:#.*)?$")


@dataclass
class Deck:
    """What one deck file gave: its items, the sections it skips (with why), and its problems."""

    path: str  # relative to the notes dir
    note: str | None  # the note it belongs to
    items: list[QuizItem] = field(default_factory=list)
    skip: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def find_decks(notes_dir: Path) -> list[Path]:
    return sorted(
        p for p in notes_dir.rglob(f"*{DECK_SUFFIX}")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(notes_dir).parts)
    )


def _item_lines(raw: str) -> list[int]:
    """1-based line of each ``[[item]]`` header, in order (for error positions)."""
    return [n for n, line in enumerate(raw.splitlines(), 1) if _HEADER.match(line)]


def _field_line(raw_lines: list[str], start: int, end: int, name: str) -> int:
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for n in range(start, min(end, len(raw_lines) + 1)):
        if pattern.match(raw_lines[n - 1]):
            return n
    return start


def _closest(value: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f"; did you mean {match[0]!r}?" if match else ""


def load_deck(path: Path, notes_dir: Path, sections: dict[str, list[str]]) -> Deck:
    """Parse and check one deck. ``sections``: note path → its citable heading paths."""
    rel = path.relative_to(notes_dir).as_posix()
    deck = Deck(rel, None)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        deck.problems.append(f"{rel}: cannot read the deck ({exc}); save it as UTF-8 text")
        return deck
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        # The message ends with "(at line N, column M)"; put the position first like every other problem.
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"{rel}:{m.group(1)}" if m else rel
        reason = re.sub(r"\s*\(at line.*\)$", "", msg)
        deck.problems.append(f"{where}: not valid TOML: {reason}")
        return deck

    for key in sorted(set(data) - _TOP_FIELDS):
        deck.problems.append(f"{rel}: unknown top-level field {key!r} (fields: notes, skip, item)")
    deck.note = _note_for(path, notes_dir, data.get("notes"), sections, deck)
    if deck.note is None:
        return deck
    valid = sections[deck.note]

    skip = data.get("skip", {})
    if not isinstance(skip, dict):
        deck.problems.append(f"{rel}: skip: must be a table of section = reason")
        skip = {}
    for section, reason in skip.items():
        if section not in valid:
            deck.problems.append(f"{rel}: skip: {section!r} is not a section of {deck.note}{_closest(section, valid)}")
        elif not isinstance(reason, str) or not reason.strip():
            deck.problems.append(f"{rel}: skip: {section!r} needs a reason (why there is nothing to quiz)")
        else:
            deck.skip[section] = reason.strip()

    rows = data.get("item", [])
    if not isinstance(rows, list):
        deck.problems.append(f"{rel}: item: write each item under its own [[item]] header")
        return deck
    raw_lines = raw.splitlines()
    headers = _item_lines(raw)
    if len(headers) != len(rows):  # e.g. a header inside a multi-line string: fall back to item numbers
        headers = [1] * len(rows)
    bounds = [*headers[1:], len(raw_lines) + 1] if headers else []
    seen_q: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    kept: set[str] = set()
    for n, (row, start, end) in enumerate(zip(rows, headers, bounds, strict=True), 1):
        def where(name: str | None = None, n=n, start=start, end=end) -> str:
            line = _field_line(raw_lines, start, end, name) if name else start
            return f"{rel}:{line}: item {n}" + (f": {name}" if name else "")

        item, errors = _build(row, deck.note, valid, where)
        if item is None:
            deck.problems += errors
            continue
        q = " ".join(item.question.casefold().split())
        if q in seen_q:
            deck.problems.append(f"{where('question')}: the same question as item {seen_q[q]}")
            continue
        if item.id in seen_id:
            deck.problems.append(f"{where('id')}: id {item.id!r} is already used by item {seen_id[item.id]}")
            continue
        seen_q[q], seen_id[item.id] = n, n
        deck.items.append(item)
        if row.get("keep_order"):
            kept.add(item.id)
    deck.items = _deal_key_positions(deck.items, kept)
    return deck


def _note_for(path: Path, notes_dir: Path, named, sections: dict[str, list[str]], deck: Deck) -> str | None:
    if named is not None:
        if not isinstance(named, str) or named not in sections:
            deck.problems.append(
                f"{deck.path}: notes: {named!r} is not a note in {notes_dir}{_closest(str(named), list(sections))}"
            )
            return None
        return named
    stem = path.relative_to(notes_dir).as_posix().removesuffix(DECK_SUFFIX)
    for note in sections:
        if note.rsplit(".", 1)[0] == stem:
            return note
    deck.problems.append(
        f"{deck.path}: no note named {stem}.md next to it; add `notes = \"file.md\"` at the top of the deck"
    )
    return None


def _text(row: dict, name: str, where, errors: list[str], *, required: bool = True) -> str:
    value = row.get(name)
    if value is None:
        if required:
            errors.append(f"{where()}: {name}: missing")
        return ""
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where(name)}: must be non-empty text")
        return ""
    return " ".join(value.split())


def _build(row: dict, note: str, valid: list[str], where) -> tuple[QuizItem | None, list[str]]:
    errors: list[str] = []
    if not isinstance(row, dict):
        return None, [f"{where()}: not a table of fields"]
    for key in sorted(set(row) - _ITEM_FIELDS):
        errors.append(f"{where(key)}: unknown field (fields: {', '.join(sorted(_ITEM_FIELDS))})")
    kind = _text(row, "kind", where, errors)
    if kind and kind not in KINDS:
        errors.append(f"{where('kind')}: {kind!r} is not one of {', '.join(KINDS)}")
    section = _text(row, "section", where, errors)
    if section and section not in valid:
        errors.append(f"{where('section')}: {section!r} is not a section of {note}{_closest(section, valid)}")
    question = _text(row, "question", where, errors)
    explanation = _text(row, "explanation", where, errors)
    answer = row.get("answer")
    options: tuple[str, ...] = ()
    index = 0
    if kind == "true_false":
        if not isinstance(answer, bool):
            errors.append(f"{where('answer')}: a true_false item's answer is true or false (no quotes)")
        if "wrong" in row:
            errors.append(f"{where('wrong')}: a true_false item has no wrong options to list")
        if question and not question.startswith(TF_PREFIX):
            question = TF_PREFIX + question
        options, index = TRUE_FALSE, (0 if answer is True else 1)
    elif kind in ("mcq", "fill_blank"):
        wrong = row.get("wrong")
        if not isinstance(answer, str) or not answer.strip():
            errors.append(f"{where('answer')}: the text of the right option")
        elif not isinstance(wrong, list) or len(wrong) != 3 or not all(isinstance(w, str) and w.strip() for w in wrong):
            errors.append(f"{where('wrong')}: three wrong options, e.g. wrong = [\"A\", \"B\", \"C\"]")
        else:
            answer = " ".join(answer.split())
            wrong = [" ".join(w.split()) for w in wrong]
            if row.get("keep_order"):
                options, index = (answer, *wrong), 0
            else:
                options, index = _shuffle(answer, wrong, f"{note}\x00{question}")
        if kind == "fill_blank" and question and question.count(BLANK) != 1:
            errors.append(f"{where('question')}: a fill_blank question has exactly one {BLANK}")
    item_id = row.get("id")
    if item_id is not None and (not isinstance(item_id, str) or not re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", item_id)):
        errors.append(f"{where('id')}: letters, digits and - _ . : only, at most 64 characters")
    if errors:
        return None, errors
    key_text = options[index]
    item = QuizItem(
        id=item_id or _item_id(note, question, key_text),
        kind=kind,
        question=question,
        options=options,
        answer=index,
        explanation=explanation,
        source_title=section,
        source_path=note,
        topic=section_key(section),
    )
    problems = form_problems(item)
    if problems:
        return None, [f"{where()}: {p}" for p in problems]
    return item, []


def _item_id(note: str, question: str, answer: str) -> str:
    raw = "\x00".join(("deck", note, question, answer))
    return "d" + hashlib.sha256(raw.encode()).hexdigest()[:15]


def _deal_key_positions(items: list[QuizItem], kept: set[str]) -> list[QuizItem]:
    """Spread the keys evenly over the four positions across the deck.

    Hashing each item alone leaves clumps (9 of 22 keys in one place is common), so a student
    who always picks that place does well. Items are dealt positions 1, 2, 3, 4, 1, ... in an
    order fixed by their ids, so neither the author's order nor the item's wording decides it.
    Items marked ``keep_order`` keep the author's order.
    """
    choice = sorted(
        (i for i in items if i.kind != "true_false" and i.id not in kept),
        key=lambda i: hashlib.sha256(i.id.encode()).hexdigest(),
    )
    place = {}
    for rank, item in enumerate(choice):
        pos = rank % len(item.options)
        wrong = [o for n, o in enumerate(item.options) if n != item.answer]
        place[item.id] = dataclasses.replace(item, options=(*wrong[:pos], item.answer_text, *wrong[pos:]), answer=pos)
    return [place.get(i.id, i) for i in items]


def _shuffle(answer: str, wrong: list[str], seed: str) -> tuple[tuple[str, ...], int]:
    """Options in an order fixed by the item's content: the author's order never gives the key away."""
    options = sorted([answer, *wrong], key=lambda o: hashlib.sha256(f"{seed}\x00{o}".encode()).hexdigest())
    return tuple(options), options.index(answer)
