"""``tokenize_reply``: the platform-neutral reply to ``/tokenize``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import threading
from pathlib import Path

from bot.replies import Image, Reply, Source
from bot.tokenization.chat import length, render_chat
from knowledge.tokenization.analysis import MAX_CHARS, analyze, prepare_text
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
    max_message_chars: int | None = None,
    special_tokens: bool = False,
    columns: int | None = None,
    registry: TokenizerRegistry | None = None,
    max_chars: int = MAX_CHARS,
    today: dt.date | None = None,
) -> Reply:
    """Tokenize ``text`` with the real tokenizers and build the reply.

    ``max_message_chars`` is the surface's message limit (Discord 2,000, a
    Slack section 3,000; ``bot.tokenization.chat.DEFAULT_MAX_CHARS`` is 1,900,
    under Discord's): the reply trims to it and says how to see the rest.
    ``None`` (the default) is a surface with no limit (a terminal): every
    token, split word and finding is shown. ``special_tokens=True`` encodes special-token strings
    typed in the text (``<|endoftext|>``, ``[CLS]``) as the control tokens the
    libraries make of them when allowed (tiktoken's ``allowed_special``,
    Hugging Face's default; sentencepiece never does); off, they are plain
    text and the reply says what each library would do. ``columns`` is where
    rows of ids wrap (``show_ids``); ``today`` dates the price table (tests).

    ``notes_passage`` (the notes' passage on tokenization, found by the
    caller, e.g. with ``knowledge.tokenization.notes_passage``) is cited as
    [1]. ``Reply.data`` holds the ``--json`` payload (see :func:`report_json`).
    Raises ``UserInputError`` for empty or too-long text (checked first, in
    microseconds), ``ConfigError`` for a broken pricing file or tokenizer data.

    CPU-bound: a few ms for 2,000 characters, ~50 ms more with the picture,
    and ~1 s once per process while the tokenizers (and fonts) load; async
    callers run it with ``asyncio.to_thread``.
    """
    return explain_text(text, show_ids=show_ids, with_image=with_image, notes_passage=notes_passage,
                        pricing_file=pricing_file, max_message_chars=max_message_chars,
                        special_tokens=special_tokens, columns=columns, registry=registry, max_chars=max_chars,
                        today=today)[0]


def explain_text(
    text: str,
    *,
    show_ids: bool = False,
    with_image: bool = False,
    notes_passage: Source | None = None,
    pricing_file: Path | None = None,
    max_message_chars: int | None = None,
    special_tokens: bool = False,
    columns: int | None = None,
    registry: TokenizerRegistry | None = None,
    max_chars: int = MAX_CHARS,
    today: dt.date | None = None,
) -> tuple[Reply, TokenizationReport]:
    """:func:`tokenize_reply` and the report behind it (the CLI draws every picture page from it)."""
    prepare_text(text, max_chars=max_chars)  # a too-long paste is refused before any other work
    pricing = pricing_table(pricing_file)
    report = analyze(text, registry=registry, pricing=pricing, max_chars=max_chars, special_tokens=special_tokens,
                     today=today)
    passage = dataclasses.replace(notes_passage, n=1) if notes_passage is not None else None
    body = render_chat(report, show_ids=show_ids, passage=passage, max_chars=max_message_chars, columns=columns)
    image = None
    if with_image:
        from knowledge.tokenization.image import page_count, render_png

        pages = page_count(report)
        image = Image(filename="tokens.png", data=render_png(report), alt=_alt(report, pages))
        if pages > 1:
            body += (f"\n\n*The picture shows page 1 of {pages} (every token of the first part of the text); "
                     "`studybuddy tokenize --image FILE` writes every page.*")
    reply = Reply(
        text=body,
        title=f"Tokenization of {length(report)}",
        sources=(passage,) if passage else (),
        image=image,
        data=report_json(report, pricing),
    )
    return reply, report


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
    ``"text": ""``. A control token (special tokens on) has ``"special": true``.
    ``costs`` has one entry per priced model, counted with its own tokenizer
    (``estimate`` when another tokenizer stands in for it).
    """
    p = report.pricing
    out: dict = {
        "characters": report.chars,
        "characters_on_screen": report.on_screen,
        "utf8_bytes": len(report.text.encode("utf-8")),
        "special_tokens": report.special_tokens,
        "tokenizers": [_result_json(r) for r in report.results],
        "words": ({"words": report.words.words, "whole": report.words.whole, "reference": report.words.reference}
                  if report.words else None),
        "split_words": [
            {"word": w.word, "pieces": {name: list(p) for name, p in w.pieces}} for w in report.split_words
        ],
        "split_words_total": report.split_words_total,
        "findings": [{"kind": f.kind, "text": f.text} for f in report.findings],
        "limits": [{"kind": f.kind, "text": f.text} for f in report.limits],
        "costs": [
            {"model": c.model, "tokenizer": c.tokenizer, "tokens": c.tokens, "estimate": c.estimate,
             "usd_per_million_input": c.usd_per_million, "usd": c.usd, "context_window": c.context_window,
             "share": c.share}
            for c in report.costs
        ],
        "pricing": ({"as_of": p.as_of, "age_days": p.age_days, "stale": p.stale, "sources": list(p.sources)}
                    if p else None),
        "notes": list(report.notes),
    }
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
    for i in r.special:
        tokens[i]["special"] = True
    return {
        "name": r.info.name,
        "label": r.info.label,
        "family": r.info.family,
        "vocab_size": r.info.vocab_size,
        "count": r.count,
        "chars_per_token": round(r.chars_per_token, 3),
        "tokens": tokens,
    }


def _alt(report: TokenizationReport, pages: int) -> str:
    counts = ", ".join(f"{r.info.name} {r.count}" for r in report.results)
    more = f" Page 1 of {pages}." if pages > 1 else ""
    return f"The text as coloured token chips, one band per tokenizer ({counts} tokens).{more}"


def _mtime(path: Path) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1  # load_pricing reports the problem
