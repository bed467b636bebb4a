"""The quiz bank: quiz items generated from the notes and checked before use.

``build_quiz_bank(chunks, embedder=None)`` reads the concepts the notes define and turns them
into multiple-choice, true/false and fill-in-the-blank items; ``validate_item`` lists what is
wrong with an item; ``format_bank_table`` and ``bank_to_json`` present a bank.
"""

from knowledge.quizbank.generate import build_quiz_bank
from knowledge.quizbank.present import bank_to_json, format_bank_table
from knowledge.quizbank.validate import validate_item

__all__ = ["bank_to_json", "build_quiz_bank", "format_bank_table", "validate_item"]
