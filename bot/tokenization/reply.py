"""``tokenize_reply``: the platform-neutral reply to ``/tokenize``."""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from pathlib import Path

from bot.replies import Image, Reply, Source
from bot.tokenization.chat import DEFAULT_MAX_CHARS, render_chat
from knowledge.tokenization.analysis import MAX_CHARS, analyze
from knowledge.tokenization.model import TokenizationReport, TokenizerResult
from knowledge.tokenization.pricing import PriceTable, load_pricing
from knowledge.tokenization.registry import TokenizerRegistry

log = logging.getLogger(__name__)

_pricing_cache: dict[tuple[str, int], PriceTable] = {}
_pricing_lock = threading.Lock()


def pricing_table(pricing_file: Path | None = None) -> PriceTable:
    """The price table, read once per file version (an edited file is picked up by its mtime)."""
    key = ("", 0) if pricing_file is None else (str(pricing_file), _mtime(pricing_file))
    with _pricing_lock:
        table = _pricing_cache.get(key)
        if table is None:
            table = _pricing_cache[key] = load_pricing(pricing_file)
        return table


def tokenize_reply(
    text: str,
    *,
    show_ids: bool = False,
    with_image: bool = False,
    notes_passage: Source | None = None,
    pricing_file: Path | None = None,
    registry: TokenizerRegistry | None = None,
    max_chars: int = MAX_CHARS,
    max_message_chars: int = DEFAULT_MAX_CHARS,
) -> Reply:
    """Tokenize ``text`` with the real tokenizers and build the chat reply.

    ``notes_passage`` (the notes' passage on tokenization, found by the caller)
    is cited as [1]. ``Reply.data`` holds the ``--json`` payload (see
    :func:`report_json`). Raises ``UserInputError`` for empty or too-long text,
    ``ConfigError`` for a broken pricing file or tokenizer data.

    CPU-bound: ~5 ms for 2,000 characters, ~50 ms more with the picture, and
    ~1 s once per process while the tokenizers (and fonts) load; async
    callers run it with ``asyncio.to_thread``.
    """
    pricing = pricing_table(pricing_file)
    report = analyze(text, registry=registry, pricing=pricing, max_chars=max_chars)
    passage = dataclasses.replace(notes_passage, n=1) if notes_passage is not None else None
    body = render_chat(report, show_ids=show_ids, passage=passage, max_chars=max_message_chars)
    image = None
    if with_image:
        from knowledge.tokenization.image import render_png

        image = Image(filename="tokens.png", data=render_png(report), alt=_alt(report))
    return Reply(
        text=body,
        title=f"Tokenization of {report.chars:,} characters",
        sources=(passage,) if passage else (),
        image=image,
        data=report_json(report, pricing),
    )


def warm_up(*, picture: bool = True, pricing_file: Path | None = None) -> None:
    """Load the tokenizers, the price table and (for pictures) the fonts now, not on the first /tokenize.

    About 1-2 s of CPU; call it from a worker thread at start.
    """
    pricing = pricing_table(pricing_file)
    report = analyze("warm up 🙂 日本語", pricing=pricing)
    if picture:
        from knowledge.tokenization.image import render_png

        render_png(report)


def report_json(report: TokenizationReport, pricing: PriceTable | None = None) -> dict:
    """The machine-readable result.

    ``tokenizers`` lists, per tokenizer, ``name``, ``count`` and ``tokens`` as
    ``{"id", "text"}`` in order. ``text`` is the slice of the input the token
    stands for (for the BPE and SentencePiece tokenizers the texts concatenate
    back to the input). A token the tokenizer writes differently from its text
    also has ``"piece"`` (``##ization``, ``[UNK]``, ``▁``); one that holds only
    some bytes of a character has ``"partial": true`` and a piece that shows
    those bytes in hex (``" <F0 9F>"``); such a character's text goes with the
    token that holds its first byte (SentencePiece: its last), the others have
    ``"text": ""``.
    """
    out: dict = {
        "characters": report.chars,
        "utf8_bytes": len(report.text.encode("utf-8")),
        "tokenizers": [_result_json(r) for r in report.results],
        "split_words": [
            {"word": w.word, "pieces": {name: list(p) for name, p in w.pieces}} for w in report.split_words
        ],
        "findings": [{"kind": f.kind, "text": f.text} for f in report.findings],
        "context": [
            {"window": w.window, "label": w.label, "tokenizer": w.tokenizer, "tokens": w.tokens, "share": w.share}
            for w in report.windows
        ],
        "prices": [
            {"model": p.model, "tokenizer": p.tokenizer, "tokens": p.tokens,
             "usd_per_million_input": p.usd_per_million, "usd": p.usd}
            for p in report.prices
        ],
        "pricing_as_of": report.pricing_as_of,
        "notes": list(report.notes),
    }
    if pricing is not None:
        out["pricing_sources"] = list(pricing.sources)
    return out


def _result_json(r: TokenizerResult) -> dict:
    text = r.text
    texts = [text[s:e] for s, e in zip(r.starts, r.ends, strict=True)]
    tokens = [{"id": tid, "text": t} for tid, t in zip(r.ids, texts, strict=True)]
    if r.info.family == "BPE":  # tiktoken pieces are the texts, except for byte pieces
        for i in r.partial:
            tokens[i]["piece"] = r.pieces[i]
    else:
        for tok, piece, t in zip(tokens, r.pieces, texts, strict=True):
            if piece != t:
                tok["piece"] = piece
    for i in r.partial:
        tokens[i]["partial"] = True
    return {
        "name": r.info.name,
        "label": r.info.label,
        "family": r.info.family,
        "vocab_size": r.info.vocab_size,
        "count": r.count,
        "chars_per_token": round(r.chars_per_token, 3),
        "tokens": tokens,
    }


def _alt(report: TokenizationReport) -> str:
    counts = ", ".join(f"{r.info.name} {r.count}" for r in report.results)
    return f"The text as coloured token chips, one band per tokenizer ({counts} tokens)."


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1  # load_pricing reports the problem
