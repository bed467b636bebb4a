"""The quiz bank: hand-written deck items first, generated items (through a strict gate) filling gaps.

``load_bank(notes_dir, embedder=None)`` is the one way a process gets its bank: it reads the
``*.deck.toml`` decks next to the notes (``deck.py``), generates candidates from the notes
(``generate.py``), keeps only those that pass the gate (``gate.py``) in sections no deck
covers, and cites every item by a real heading path (``cite.py``). ``validate_item`` lists
what is wrong with an item's form; ``bank_to_json`` and ``rejected_to_json`` give plain data.
RUBRIC.md says what a good item is.
"""

from knowledge.quizbank.bank import QuizBank, Rejected, load_bank
from knowledge.quizbank.export import bank_to_json, rejected_to_json
from knowledge.quizbank.generate import build_quiz_bank
from knowledge.quizbank.validate import validate_item

__all__ = [
    "QuizBank", "Rejected", "bank_to_json", "build_quiz_bank", "load_bank", "rejected_to_json", "validate_item",
]
