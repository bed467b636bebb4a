"""Make whitespace and invisible characters visible, the way the playgrounds do.

space → ``·``, newline → ``↵``, tab → ``→``, carriage return → ``␍``, other C0
controls → their Control Pictures (NUL → ``␀``), DEL → ``␡``; every other
invisible character (C1 controls, format characters such as zero-width joiners
and bidi overrides, unusual spaces, line/paragraph separators, blank letters
such as the Hangul filler) → ``<U+200D>``. A fragment that starts with a
combining mark (a token holding only the accent of ``é`` typed as ``e`` +
U+0301) gets a dotted circle to sit on: ``◌́``.
Showing bidi overrides as code points also keeps a pasted text from reversing
the rest of the bot's message. A backtick becomes ``ˋ`` (U+02CB) so that user
text can never close the code span or block it is shown in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.tokenization.model import TokenizerResult

DOTTED_CIRCLE = "\u25cc"  # what a combining mark is drawn on when it has no letter
# Letters that draw nothing (Hangul fillers, the combining grapheme joiner): shown by code point.
_BLANK_LETTERS = frozenset([0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0])
_NAMED = {" ": "·", "\n": "↵", "\t": "→", "\r": "␍", "\x7f": "␡", "`": "ˋ"}


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x20):
        table[cp] = chr(0x2400 + cp)  # Control Pictures block
    for ch, shown in _NAMED.items():
        table[ord(ch)] = shown
    # Format characters beyond U+2FFFF are only the tag characters (U+E0000 block).
    for cp in (*range(0x80, 0x30000), *range(0xE0000, 0xE1000)):
        if cp in table:
            continue
        cat = unicodedata.category(chr(cp))
        if cat in ("Cc", "Cf", "Zl", "Zp") or (cat == "Zs" and cp != 0x20) or cp in _BLANK_LETTERS:
            table[cp] = f"<U+{cp:04X}>"
    return table


def visible(text: str) -> str:
    """``text`` with whitespace and invisible characters replaced by visible marks."""
    shown = text.translate(_table())
    if shown and unicodedata.category(shown[0])[0] == "M":
        lead = 1
        while lead < len(shown) and unicodedata.category(shown[lead])[0] == "M":
            lead += 1
        marks = shown[:lead]
        if any("\ufe00" <= m <= "\ufe0f" for m in marks):
            # a variation selector has nothing to draw even on a dotted circle: name the marks
            return "".join(f"<U+{ord(m):04X}>" for m in marks) + shown[lead:]
        shown = DOTTED_CIRCLE + shown
    return shown


def is_invisible(ch: str) -> bool:
    """True for a character :func:`visible` replaces (whitespace, controls, format characters)."""
    return ord(ch) in _table()


_HEX_RUN = re.compile(r"(<[0-9A-F]{2}(?: [0-9A-F]{2})*>)")


def visible_piece(piece: str) -> str:
    """Like :func:`visible`, but leaves ``<F0 9F>`` byte groups (see ``registry.hex_bytes``) as they are."""
    if "<" not in piece:
        return visible(piece)
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(_HEX_RUN.split(piece)))


SEPARATOR = "│"  # closes each token in a chat view; a token that contains it shows "¦"


def display(result: TokenizerResult, i: int) -> str:
    """How token ``i`` is shown: its text with visible whitespace, or the tokenizer's piece.

    WordPiece shows its own pieces (``##ization``, ``[UNK]``); a token holding
    part of a character shows its bytes (``<F0 9F>``); a token that covers no
    text (SentencePiece's word-start mark) shows its piece (``▁``).
    """
    if result.info.family == "WordPiece" or i in result.partial or i in result.special:
        shown = visible_piece(result.pieces[i])
    else:
        text = result.token_text(i)
        shown = visible(text) if text else visible_piece(result.pieces[i])
    return shown.replace(SEPARATOR, "¦")
