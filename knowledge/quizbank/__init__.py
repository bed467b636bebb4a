"""The quiz bank: quiz items generated from the notes and checked before use.

``load_bank(notes_dir, embedder=None)`` is the one way a process gets its bank.
``build_quiz_bank(chunks, embedder=None)`` reads the concepts the notes define and turns them
into multiple-choice, true/false and fill-in-the-blank items; ``validate_item`` lists what is
wrong with an item; ``bank_to_json`` gives a bank as plain data.
"""

from knowledge.quizbank.bank import QuizBank, Rejected, load_bank
from knowledge.quizbank.export import bank_to_json
from knowledge.quizbank.generate import build_quiz_bank
from knowledge.quizbank.validate import validate_item

__all__ = ["QuizBank", "Rejected", "bank_to_json", "build_quiz_bank", "load_bank", "validate_item"]
