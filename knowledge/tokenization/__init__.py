"""Real tokenizers side by side and why text splits: the domain part of the ``/tokenize`` explainer.

Nothing is loaded at import time; the tokenizers load on first use (see
:mod:`knowledge.tokenization.registry`). Chat formatting lives in ``bot.tokenization``.
"""

from knowledge.tokenization.analysis import MAX_CHARS, analyze, check_length, decode_text_file, prepare_text
from knowledge.tokenization.model import TokenizationReport, TokenizerResult
from knowledge.tokenization.passage import NotesPassage, notes_passage

__all__ = [
    "MAX_CHARS",
    "NotesPassage",
    "TokenizationReport",
    "TokenizerResult",
    "analyze",
    "check_length",
    "decode_text_file",
    "notes_passage",
    "prepare_text",
]
