"""Small typed results that flow out of ``knowledge``: chunks, hits, answers, quiz items."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Chunk:
    """One indexable passage of a note.

    ``id`` is stable for the same (note, heading path, position-independent text),
    ``content_hash`` changes whenever the text changes.
    """

    id: str
    title: str  # heading path, e.g. "Anurag's LLM Q&A Notebook › What is an RNN in simple terms?"
    text: str  # repaired, clean text (no mojibake)
    source: str  # note path relative to the notes dir, e.g. "llm-foundations-week1.md"
    content_hash: str
    order: int  # position in the note, for reading order


@dataclass(frozen=True, slots=True)
class Hit:
    chunk_id: str
    title: str
    text: str
    source: str
    score: float  # fused score, higher is better
    dense: float = 0.0  # cosine similarity of question and passage (0..1)
    sentence: float = 0.0  # cosine similarity of question and the passage's best stating sentence
    keyword: float = 0.0  # BM25 score of the passage for the question's content words
    coverage: float = 0.0  # share of the question's rare vocabulary (idf-weighted) in the passage
    heading: float = 0.0  # cosine similarity of question and the passage's headings
    # the most of the question's rare vocabulary (idf and English rarity) one stating sentence holds
    sentence_coverage: float = 0.0


@dataclass(frozen=True, slots=True)
class QuizItem:
    """A validated quiz question generated from the notes.

    Every format is answered by picking one of ``options`` (so it maps to buttons):
    multiple choice has four, true/false has ("True", "False"), fill-in-the-blank
    offers four candidate terms. ``answer`` is the index of the correct option.
    """

    id: str  # stable hash of the content
    kind: str  # "mcq" | "true_false" | "fill_blank"
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str  # sentence(s) from the notes that explain the answer
    source_title: str
    source_path: str
    topic: str  # top-level section, used to rotate topics

    @property
    def answer_text(self) -> str:
        return self.options[self.answer]


class Level(str, Enum):
    """How an answer is pitched: the first answer, or a re-answer from the same passages."""

    NORMAL = "normal"
    SIMPLER = "simpler"  # shorter, plainer
    DEEPER = "deeper"  # fuller, with more passages
    EXAMPLE = "example"  # a concrete example (the notes' own, extractively)
