"""Text repair for notes that went through a bad encoding round trip.

ftfy fixes most mojibake. What it leaves behind are sequences where one byte of
the original UTF-8 was lost: cp1252 has no character for 0x81, 0x8D, 0x8F,
0x90 and 0x9D, so the broken export dropped them ("â€" was the closing quote
E2 80 9D, "ï¸" was the emoji variation selector EF B8 8F). For each such
leftover we put every undefined byte back at every position, keep the
candidates that decode to an assigned character, and rank them: an emoji
that fits the emoji sequence around it first, then quotes, then symbols.
"""

from __future__ import annotations

import re
import unicodedata

import emoji
import ftfy

# Bytes cp1252 leaves undefined: the ones a cp1252 round trip loses.
_LOST_BYTES = (0x9D, 0x8F, 0x8D, 0x90, 0x81)
_VS16 = "\ufe0f"


def _cp1252_byte(ch: str) -> int | None:
    try:
        b = ch.encode("cp1252")
    except UnicodeEncodeError:
        # latin-1 fills the holes in cp1252 with C1 controls; ftfy may leave those.
        o = ord(ch)
        return o if 0x80 <= o <= 0x9F else None
    return b[0] if len(b) == 1 else None


def _is_lead(ch: str) -> bool:
    b = _cp1252_byte(ch)
    return b is not None and 0xC2 <= b <= 0xF4


def _is_cont(ch: str) -> bool:
    b = _cp1252_byte(ch)
    return b is not None and 0x80 <= b <= 0xBF


def _needed(lead: int) -> int:
    if lead >= 0xF0:
        return 4
    if lead >= 0xE0:
        return 3
    return 2


_CATEGORY_RANK = {"Pi": 0, "Pf": 0, "So": 1, "Po": 2, "Pd": 3, "Sm": 4, "Sc": 4}
_EXCLUDED = {"Cn", "Co", "Cs", "Cc", "Cf", "Zs", "Zl", "Zp"}


def _candidates(raw: bytes, missing: int) -> set[str]:
    found: set[bytes] = {raw}
    for _ in range(missing):
        found = {
            b[:i] + bytes([lost]) + b[i:]
            for b in found
            for i in range(1, len(b) + 1)
            for lost in _LOST_BYTES
        }
    out = set()
    for b in found:
        try:
            s = b.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(s) == 1 and unicodedata.category(s) not in _EXCLUDED:
            out.add(s)
    return out


def _rank(cand: str, before: str, after: str) -> tuple:
    followed_by_vs = after.startswith(_VS16) or after.startswith("ï¸")
    if cand == _VS16:
        # A variation selector only makes sense right after a character that takes it.
        fits = bool(before) and (before[-1] + _VS16) in emoji.EMOJI_DATA
        return (0 if fits else 9, 0, 0, cand)
    is_emoji = cand in emoji.EMOJI_DATA
    takes_vs = (cand + _VS16) in emoji.EMOJI_DATA
    return (
        0 if (followed_by_vs and takes_vs) else 1,
        0 if is_emoji else 1,
        _CATEGORY_RANK.get(unicodedata.category(cand), 5),
        cand,
    )


def _repair_leftovers(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_lead(ch):
            need = _needed(_cp1252_byte(ch))
            j = i + 1
            while j < n and j - i < need and _is_cont(text[j]):
                j += 1
            if j > i + 1:  # at least one continuation: this is mojibake, not a lone letter
                raw = bytes(_cp1252_byte(c) for c in text[i:j])
                missing = need - len(raw)
                cands = _candidates(raw, missing) if missing <= 1 else set()
                if cands:
                    before = "".join(out)[-2:]
                    ranked = sorted((_rank(c, before, text[j:]), c) for c in cands)
                    tied = len(ranked) > 1 and ranked[0][0][:3] == ranked[1][0][:3]
                    # Several equally likely characters (the lost byte of 🔍 could as well
                    # make 🍔): drop it. A missing emoji misleads nobody; a wrong one does.
                    if not tied:
                        out.append(ranked[0][1])
                    i = j
                    continue
                if missing > 1:
                    # Too much is lost to say what it was; dropping it beats showing garbage.
                    i = j
                    continue
        out.append(ch)
        i += 1
    return "".join(out)


MOJIBAKE_MARKERS = ("â€", "Ã", "ðŸ", "ï¸", "Â")
_MARKER_RE = re.compile("|".join(map(re.escape, MOJIBAKE_MARKERS)))


def repair_text(text: str) -> str:
    """Return ``text`` with mojibake undone, curly quotes kept and line breaks normalised."""
    if _MARKER_RE.search(text):
        # Before ftfy: its inconsistent-UTF-8 pass reads "â€ " (a closing quote whose 0x9D
        # byte was lost, then a space) as a dagger. Gated on clear mojibake markers so a
        # clean "à…" in real French is never touched.
        text = _repair_leftovers(text)
    fixed = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC", restore_byte_a0=False)
    if _MARKER_RE.search(fixed):
        fixed = _repair_leftovers(fixed)
    return _OPENING_LOST.sub("\\1“\\2", fixed)


# A line that starts with a quoted term whose opening quote was never typed ("a.Chain-of-Thought” prompting
# ...", beside "b.“Few-Shot Prompting” is ..."): the term gets it back. Only at the start of a line (after a
# list marker), where the term can only start there, and only with no opening quote before it.
_OPENING_LOST = re.compile(r"(?m)^(\s*(?:[-*•]\s*|[a-z0-9]{1,2}[.)]\s*)?)([\w][\w-]*”)")


def has_mojibake(text: str) -> bool:
    return bool(_MARKER_RE.search(text))
