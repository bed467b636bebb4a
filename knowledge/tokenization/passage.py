"""The notes' passage on tokenization, found by its words: no embedding model needed.

``studybuddy tokenize`` cites the notes in every reply. Finding the passage
by a semantic search would load the embedding model (seconds) to quote the
same passage every time; a keyword score over the notes' chunks (tens of
milliseconds) finds it as well, because the topic's own words (token,
tokenization, subword, BPE) name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.notes import load_chunks
from knowledge.types import Chunk

# Word stems of the topic; a word counts when it starts with one of them.
TOPIC_STEMS = ("token", "subword", "bpe", "wordpiece", "sentencepiece", "byte-pair", "byte pair")
TITLE_WEIGHT = 3
_WORD = re.compile(r"[a-z][a-z-]*")


@dataclass(frozen=True, slots=True)
class NotesPassage:
    title: str
    path: str  # the note, relative to the notes folder
    text: str
    score: float  # topic words per 100 words, title words counted TITLE_WEIGHT times


def topic_score(chunk: Chunk, stems: tuple[str, ...] = TOPIC_STEMS) -> float:
    title = _WORD.findall(chunk.title.lower())
    body = _WORD.findall(chunk.text.lower())
    if not body:
        return 0.0
    hits = sum(1 for w in body if w.startswith(stems)) + TITLE_WEIGHT * sum(1 for w in title if w.startswith(stems))
    return 100.0 * hits / (len(body) + len(title))


def best_passage(chunks: list[Chunk], stems: tuple[str, ...] = TOPIC_STEMS) -> NotesPassage | None:
    """The chunk where the topic's words are densest (the first of equals); None when no chunk has one."""
    best, best_score = None, 0.0
    for chunk in chunks:
        score = topic_score(chunk, stems)
        if score > best_score:
            best, best_score = chunk, score
    if best is None:
        return None
    return NotesPassage(best.title, best.source, best.text, round(best_score, 2))


def notes_passage(notes_dir: Path) -> NotesPassage | None:
    """The notes' passage on tokenization; None when the notes say nothing about it.

    Raises ``NotesMissingError`` (a ConfigError) when the folder has no notes.
    """
    return best_passage(load_chunks(notes_dir))
