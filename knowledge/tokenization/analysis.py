"""``analyze(text)``: run the real tokenizers over a text and explain the result."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from knowledge.errors import UserInputError
from knowledge.tokenization.explain import explain
from knowledge.tokenization.model import TokenizationReport
from knowledge.tokenization.pricing import PriceTable
from knowledge.tokenization.registry import TokenizerRegistry, default_registry

log = logging.getLogger(__name__)

MAX_CHARS = 100_000
USAGE = (
    "Give me some text to tokenize, e.g. `/tokenize Tokenization splits words into pieces 🙂` "
    "(up to 100,000 characters)."
)


def prepare_text(text: str | None, *, max_chars: int = MAX_CHARS) -> tuple[str, tuple[str, ...]]:
    """Check a user's text and make it encodable; returns the text and notes on what was changed.

    Raises UserInputError for empty or too-long text. Lone surrogates (which a
    terminal can hand over for undecodable bytes) cannot be UTF-8 encoded, so
    they become U+FFFD, and the reply says so.
    """
    if not text:
        raise UserInputError(USAGE)
    check_length(len(text), max_chars)
    notes: tuple[str, ...] = ()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Through UTF-16 (as tiktoken does): surrogate pairs join into one character,
        # stray halves become U+FFFD.
        fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        notes = ("Some characters were not valid Unicode and are shown as U+FFFD (�).",)
        text = fixed
    return text, notes


def check_length(chars: int, max_chars: int = MAX_CHARS) -> None:
    """Raise UserInputError, with the true length, for a text over ``max_chars`` characters."""
    if chars > max_chars:
        raise UserInputError(
            f"That text is {chars:,} characters; /tokenize takes up to {max_chars:,}. "
            "Paste a shorter part, or split it into pieces."
        )


def decode_text_file(data: bytes) -> str:
    """Text of an attached .txt file: UTF-8 (BOM allowed), or UTF-16 with a BOM; bad bytes become U+FFFD."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")


def analyze(
    text: str,
    *,
    names: Iterable[str] | None = None,
    registry: TokenizerRegistry | None = None,
    pricing: PriceTable | None = None,
    max_chars: int = MAX_CHARS,
    special_tokens: bool = False,
    today: dt.date | None = None,
) -> TokenizationReport:
    """Tokenize ``text`` with every available tokenizer (or those in ``names``) and explain it.

    ``special_tokens=True`` encodes special-token strings typed in the text as
    the control tokens each library would make of them when allowed (tiktoken's
    ``allowed_special``, Hugging Face's default); off, they are plain text.
    ``today`` dates the price table's age (tests pin it).

    CPU-bound (a few ms for 2,000 characters, more for 100,000): async callers
    run it in a worker thread.
    """
    text, notes = prepare_text(text, max_chars=max_chars)
    reg = registry or default_registry()
    tokenizers = reg.available(names)
    results = tuple(t.tokenize(text, special=special_tokens) for t in tokenizers)
    why = explain(text, results, {t.info.name: t for t in tokenizers}, special=special_tokens)
    counts = {r.info.name: r.count for r in results}
    return TokenizationReport(
        text=text,
        results=results,
        split_words=why.split_words,
        split_words_total=why.split_words_total,
        findings=why.findings,
        costs=pricing.costs(counts) if pricing else (),
        limits=why.limits,
        pricing=pricing.pricing(today) if pricing else None,
        words=why.words,
        notes=notes,
        special_tokens=special_tokens,
        graphemes=why.graphemes,
    )
