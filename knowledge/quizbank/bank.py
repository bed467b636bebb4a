"""``load_bank``: the one way a process gets its quiz bank, so every surface posts the same items."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.embedding import Embedder
from knowledge.notes import load_chunks
from knowledge.quizbank.generate import build_quiz_bank
from knowledge.types import QuizItem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A candidate item the quality gate dropped, and why (for ``quiz bank --rejected``)."""

    question: str
    reasons: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class QuizBank:
    items: tuple[QuizItem, ...]
    rejected: tuple[Rejected, ...] = ()
    problems: tuple[str, ...] = field(default=())  # e.g. deck file errors, "file:line: field: what is wrong"

    def __len__(self) -> int:
        return len(self.items)


def load_bank(notes_dir: Path, embedder: Embedder | None = None) -> QuizBank:
    """The quiz bank for the notes in ``notes_dir`` (blocking: run it in a worker thread).

    Raises ``NotesMissingError`` (a ``ConfigError``) when there are no notes.
    """
    items = build_quiz_bank(load_chunks(notes_dir), embedder=embedder)
    log.info("quiz bank: %d items", len(items))
    return QuizBank(tuple(items))
