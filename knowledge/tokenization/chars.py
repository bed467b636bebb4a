"""Characters as a reader sees them: grapheme clusters, emoji sequences, invisible characters, scripts.

A "character on screen" is a Unicode extended grapheme cluster (``regex``'s
``\\X``): 👨‍👩‍👧‍👦 is one, made of 7 code points (4 emoji and 3 zero-width
joiners) and 25 UTF-8 bytes; 🇫🇷 is one, made of 2 regional-indicator letters.
Tokenizers never see clusters: byte-level BPE sees bytes, WordPiece and
SentencePiece see code points. The findings name the parts so that a student
can see what was cut.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import emoji
import regex

_CLUSTER = regex.compile(r"\X")
# ASCII characters are clusters of their own, except CR LF and a letter a combining mark follows,
# so clusters are only searched where non-ASCII text is (with the character before it).
_NON_ASCII_RUN = regex.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")

ZWJ = "\u200d"
VS15 = "\ufe0e"
VS16 = "\ufe0f"
KEYCAP = "\u20e3"
SKIN_TONES = {
    0x1F3FB: "light skin tone",
    0x1F3FC: "medium-light skin tone",
    0x1F3FD: "medium skin tone",
    0x1F3FE: "medium-dark skin tone",
    0x1F3FF: "dark skin tone",
}
BIDI_CONTROLS = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Letters that draw nothing: used to make text look empty (Hangul fillers, the combining grapheme joiner).
_BLANK_LETTERS = frozenset([0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0])
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
    "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
    "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)
# Scripts written without spaces between words: a pre-tokenizer cannot find their words.
UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}]")
# Unicode scripts (the Script property, via regex) and how a student calls them.
_SCRIPTS = (
    ("Han", "Chinese characters (Han)"),
    ("Hiragana", "Japanese hiragana"),
    ("Katakana", "Japanese katakana"),
    ("Hangul", "Korean Hangul"),
    ("Arabic", "Arabic"),
    ("Hebrew", "Hebrew"),
    ("Cyrillic", "Cyrillic"),
    ("Greek", "Greek"),
    ("Devanagari", "Devanagari"),
    ("Bengali", "Bengali"),
    ("Tamil", "Tamil"),
    ("Thai", "Thai"),
    ("Armenian", "Armenian"),
    ("Georgian", "Georgian"),
    ("Ethiopic", "Ethiopic"),
    ("Latin", "Latin letters outside ASCII"),
)
_SCRIPT_PATTERNS = tuple((regex.compile(rf"\p{{Script={name}}}"), label) for name, label in _SCRIPTS)
_COMMON = regex.compile(r"[\p{Script=Common}\p{Script=Inherited}]")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def char_name(ch: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: the code point and its Unicode name (controls by their alias)."""
    cp = ord(ch)
    if cp < 0x20:
        name = _C0_NAMES[cp]
    elif cp == 0x7F:
        name = "DELETE"
    elif cp == 0xFEFF:
        name = "ZERO WIDTH NO-BREAK SPACE (byte order mark)"
    else:
        name = unicodedata.name(ch, "control character" if unicodedata.category(ch) == "Cc" else "unnamed")
    return f"U+{cp:04X} {name}"


@lru_cache(maxsize=8192)
def is_invisible(ch: str) -> bool:
    """Characters that draw nothing, or look like a plain space but are not one.

    Tab, newline, carriage return and the space itself are whitespace a reader
    expects and are left out. Format characters (Cf: zero-width space and
    joiners, soft hyphen, byte order mark, bidi controls), other controls (Cc),
    unusual spaces (Zs: no-break, thin, ideographic), line and paragraph
    separators, and the blank letters (Hangul fillers) are in.
    """
    if ch in " \t\n\r":
        return False
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Cc", "Zl", "Zp", "Zs") or ord(ch) in _BLANK_LETTERS


@lru_cache(maxsize=8192)
def is_combining(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def is_diacritic(ch: str) -> bool:
    """A combining accent from the diacritical-marks blocks (not a vowel sign of an Indic script)."""
    cp = ord(ch)
    return (0x0300 <= cp <= 0x036F or 0x1AB0 <= cp <= 0x1AFF or 0x1DC0 <= cp <= 0x1DFF
            or 0x20D0 <= cp <= 0x20FF or 0xFE20 <= cp <= 0xFE2F)


@lru_cache(maxsize=8192)
def script_of(ch: str) -> str | None:
    """The script of a non-ASCII letter or mark (Unicode's Script property); None for ASCII, symbols,
    punctuation, digits and characters shared by all scripts (Common, Inherited)."""
    if ch.isascii() or unicodedata.category(ch)[0] not in "LM" or _COMMON.match(ch):
        return None
    for pattern, label in _SCRIPT_PATTERNS:
        if pattern.match(ch):
            return label
    return "letters of other scripts"


@dataclass(frozen=True, slots=True)
class Cluster:
    """One grapheme cluster of the text that is more than a plain ASCII character."""

    start: int
    end: int
    text: str
    kind: str  # see classify()

    @property
    def code_points(self) -> int:
        return len(self.text)

    @property
    def nbytes(self) -> int:
        return utf8_len(self.text)


def clusters(text: str) -> Iterator[Cluster]:
    """The grapheme clusters of ``text`` that hold a non-ASCII code point, classified, in order."""
    for run in _NON_ASCII_RUN.finditer(text):
        base = run.start()
        for m in _CLUSTER.finditer(run.group()):
            c = m.group()
            if c.isascii():
                continue
            yield Cluster(base + m.start(), base + m.end(), c, classify(c))


_EMOJI_STYLE = regex.compile(r"\p{Emoji_Presentation}")


def _is_emoji(c: str) -> bool:
    if not emoji.is_emoji(c):
        return False
    # ©, ❤, ☺, ↔ and the like have emoji data but Unicode shows them as text (Emoji_Presentation=No)
    # unless U+FE0F asks for emoji style; sequences (keycaps, ZWJ, skin tones, flags) are emoji.
    return len(c) > 1 or VS16 in c or KEYCAP in c or bool(_EMOJI_STYLE.match(c))


@lru_cache(maxsize=4096)
def classify(c: str) -> str:
    """What kind of cluster ``c`` is.

    ``emoji_zwj`` (emoji joined by U+200D), ``flag`` (two regional
    indicators), ``tag_flag`` (🏴 and tag characters), ``keycap``,
    ``skin_tone`` (emoji + modifier), ``emoji_vs16`` (a character + U+FE0F),
    ``emoji`` (one code point), ``combining`` (a letter + combining accents),
    ``invisible`` (see :func:`is_invisible`), ``other`` (any other non-ASCII
    character: a letter of another script, a symbol, an Indic conjunct).
    """
    cps = [ord(ch) for ch in c]
    if len(cps) == 2 and all(0x1F1E6 <= cp <= 0x1F1FF for cp in cps):
        return "flag"
    if cps[0] == 0x1F3F4 and len(cps) > 1 and all(0xE0020 <= cp <= 0xE007F for cp in cps[1:]):
        return "tag_flag"
    if _is_emoji(c):
        if ZWJ in c:
            return "emoji_zwj"
        if KEYCAP in c:
            return "keycap"
        if any(cp in SKIN_TONES for cp in cps):
            return "skin_tone"
        if VS16 in c:
            return "emoji_vs16"
        if len(cps) == 1:
            return "emoji"
    if len(cps) == 1 and is_invisible(c):
        return "invisible"
    if len(cps) > 1 and any(is_diacritic(ch) for ch in c[1:]) and unicodedata.category(c[0])[0] == "L":
        return "combining"
    return "other"


def emoji_name(c: str) -> str:
    """The CLDR short name (``thumbs up: medium skin tone``), or the Unicode name of a single code point."""
    data = emoji.EMOJI_DATA.get(c) or emoji.EMOJI_DATA.get(c.replace(VS16, ""))
    if data:
        return data["en"].strip(":").replace("_", " ")
    if len(c) == 1:
        return unicodedata.name(c, "emoji").lower()
    return "emoji sequence"


def parts(c: str) -> str:
    """The code points of a cluster, joiners and modifiers by name: ``👨 + ZWJ + 👩``."""
    out = []
    for ch in c:
        cp = ord(ch)
        if ch == ZWJ:
            out.append("ZWJ")
        elif ch == VS16:
            out.append("U+FE0F")
        elif ch == KEYCAP:
            out.append("U+20E3")
        elif cp in SKIN_TONES:
            out.append(f"U+{cp:04X}")
        elif 0x1F1E6 <= cp <= 0x1F1FF:
            out.append(chr(ord("A") + cp - 0x1F1E6))
        elif 0xE0020 <= cp <= 0xE007F:
            out.append(f"tag {chr(cp - 0xE0000)}" if 0xE0021 <= cp <= 0xE007E else f"U+{cp:04X}")
        else:
            out.append(ch)
    return " + ".join(out)
