"""Real tokenizers side by side and why text splits: the domain part of the ``/tokenize`` explainer.

Nothing is loaded at import time; the tokenizers load on first use (see
:mod:`knowledge.tokenization.registry`). Chat formatting lives in ``bot.tokenization``.
"""

from knowledge.tokenization.analysis import MAX_CHARS, analyze, decode_text_file
from knowledge.tokenization.model import TokenizationReport, TokenizerResult

__all__ = ["MAX_CHARS", "TokenizationReport", "TokenizerResult", "analyze", "decode_text_file"]
