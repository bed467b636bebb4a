"""The tokenizer explainer (``/tokenize``): real tokenizers side by side, why text splits, cost, a picture.

Nothing is loaded at import time; the tokenizers load on first use (see
:mod:`bot.tokenization.registry`).
"""

from bot.tokenization.analysis import MAX_CHARS, analyze, decode_text_file
from bot.tokenization.model import TokenizationReport, TokenizerResult
from bot.tokenization.reply import report_json, tokenize_reply, warm_up

__all__ = [
    "MAX_CHARS",
    "TokenizationReport",
    "TokenizerResult",
    "analyze",
    "decode_text_file",
    "report_json",
    "tokenize_reply",
    "warm_up",
]
