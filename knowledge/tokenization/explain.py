"""Why the text split as it did: split words and findings, each with evidence from this text.

Every sentence here is built from the tokenizers' real output for the text at
hand (no rule of thumb): a finding is only made when the text shows it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache

from knowledge.tokenization.model import Finding, SplitWord, TokenizerResult
from knowledge.tokenization.visible import visible, visible_piece

_WORD = re.compile(r"[^\W\d_]{2,}(?:['’][^\W\d_]+)*")
_NUMBER = re.compile(r"[0-9]{4,}")
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")  # two or more whitespace, or any that is not a plain space
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SPACE_WORD = re.compile(r" [A-Za-z]{2,}")
SPECIAL_STRINGS = (
    "<|endoftext|>",
    "<|endofprompt|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<s>",
    "</s>",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "[UNK]",
)
_SCRIPT_LABELS = {
    "CJK": "CJK ideographs",
    "HIRAGANA": "Japanese kana",
    "KATAKANA": "Japanese kana",
    "HANGUL": "Korean Hangul",
    "ARABIC": "Arabic",
    "HEBREW": "Hebrew",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "DEVANAGARI": "Devanagari",
    "THAI": "Thai",
    "LATIN": "accented Latin",
}
MAX_FRAGMENT = 40


def code(fragment: str, *, piece: bool = False) -> str:
    """A user-text fragment as a code span, whitespace made visible, cut to a readable length.

    ``piece=True`` for a token's piece, whose ``<F0 9F>`` byte groups stay as they are.
    """
    shown = visible_piece(fragment) if piece else visible(fragment)
    if len(shown) > MAX_FRAGMENT:
        shown = shown[: MAX_FRAGMENT - 1] + "…"
    return f"`{shown}`"


def pieces_code(pieces: Sequence[str]) -> str:
    return "+".join(code(p, piece=True) for p in pieces)


def per_tokenizer(pairs: Sequence[tuple[str, Sequence[str]]]) -> str:
    """``o200k, cl100k: `Token`+`ization` · WordPiece: `token`+`##ization``` — equal splits grouped."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, pieces in pairs:
        groups.setdefault(tuple(pieces), []).append(name)
    return " · ".join(f"{', '.join(names)}: {pieces_code(p)}" for p, names in groups.items())


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class _Index:
    """Finds the tokens of one result that cover a span of the text."""

    def __init__(self, result: TokenizerResult) -> None:
        self.result = result
        self.ends = result.ends
        self.trailing = result.info.family != "SentencePiece"

    def covering(self, start: int, end: int) -> list[int]:
        """Indexes of the tokens holding text[start:end], with byte pieces of its edge characters."""
        r = self.result
        starts, ends, partial = r.starts, r.ends, r.partial
        n = len(starts)
        i = bisect_left(ends, start)
        out: list[int] = []
        while i < n:
            s, e = starts[i], ends[i]
            if s < end and e > start:
                out.append(i)
            elif s == e and i in partial and (s == end and out if self.trailing else s == start):
                # zero-length byte pieces: tiktoken's follow the piece that carries the
                # character, SentencePiece's come before it
                out.append(i)
            elif s >= end:
                break
            i += 1
        return out

    def count(self, start: int, end: int) -> int:
        """About how many tokens text[start:end] touches (byte pieces aside), cheaply."""
        return bisect_left(self.result.starts, end) - bisect_right(self.ends, start)

    def pieces(self, start: int, end: int) -> tuple[str, ...]:
        r = self.result
        text, lossless = r.text, r.info.lossless
        out = []
        for i in self.covering(start, end):
            if not lossless or i in r.partial:
                out.append(r.pieces[i])
            else:
                out.append(text[max(r.starts[i], start) : min(r.ends[i], end)])
        return tuple(p for p in out if p)


def split_words(text: str, results: Sequence[TokenizerResult], limit: int = 12) -> tuple[tuple[SplitWord, ...], int, int]:
    """Words that some tokenizer cut into several tokens, most-cut first.

    Also returns how many distinct words there are and how many of them the
    first (reference) tokenizer keeps whole.
    """
    if not results:
        return (), 0, 0
    indexes = [_Index(r) for r in results]
    seen: set[str] = set()
    found: list[tuple[int, int, int, int, str]] = []
    whole = 0
    for m in _WORD.finditer(text):
        word = m.group()
        if word in seen:
            continue
        seen.add(word)
        start, end = m.span()
        counts = [ix.count(start, end) for ix in indexes]
        if counts[0] <= 1:
            whole += 1
        most = max(counts)
        if most > 1:
            found.append((-counts[0], -most, start, end, word))
    found.sort()
    out = tuple(
        SplitWord(word, start, tuple((ix.result.info.short, ix.pieces(start, end)) for ix in indexes))
        for _, _, start, end, word in found[:limit]
    )
    return out, len(seen), whole


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    """A coarse script label for a non-ASCII character; None for ASCII."""
    if ch.isascii():
        return None
    cp = ord(ch)
    if unicodedata.category(ch) == "So" and (cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF):
        return "emoji"
    first = unicodedata.name(ch, "").split(" ", 1)[0]
    return _SCRIPT_LABELS.get(first, "other non-ASCII")


def findings(
    text: str,
    results: Sequence[TokenizerResult],
    split: Sequence[SplitWord],
    words: int,
    whole: int,
    encoders: dict[str, object] | None = None,
) -> tuple[Finding, ...]:
    """The reasons, in the order a student meets them. ``encoders`` maps names to objects with ``encode``."""
    if not results:
        return ()
    ref = results[0]
    ix = {r.info.name: _Index(r) for r in results}
    out: list[Finding] = []

    if words:
        out.append(
            Finding(
                "common_words",
                f"**{whole} of {words}** words are one {ref.info.short} token each: frequent words got "
                "their own vocabulary entry in training.",
            )
        )
    if split:
        # A Latin-script word makes the clearest example; CJK runs come next.
        w = next((w for w in split if w.word.isascii()), split[0])
        per = per_tokenizer(w.pieces)
        out.append(
            Finding(
                "split_words",
                f"Rare words and names are built from known pieces: {code(w.word)} → {per}.",
            )
        )
    out.extend(_leading_space(ref, encoders))
    out.extend(_scripts(text, results, ix))
    out.extend(_numbers(text, results, ix))
    out.extend(_specials(text, results, ix))
    out.extend(_wordpiece(results))
    out.extend(_whitespace(ref))
    out.extend(_controls(text, ref))
    return tuple(out)


def _leading_space(ref: TokenizerResult, encoders: dict[str, object] | None) -> list[Finding]:
    enc = (encoders or {}).get(ref.info.name)
    for i in range(ref.count):
        t = ref.token_text(i)
        if len(t) > 2 and t[0] == " " and _SPACE_WORD.fullmatch(t):
            bare = ""
            if enc is not None:
                ids = enc.encode(t[1:])  # type: ignore[attr-defined]
                shown = f"id {ids[0]}" if len(ids) == 1 else plural(len(ids), "token")
                bare = f"; {code(t[1:])} without it is {shown}"
            return [
                Finding(
                    "leading_space",
                    f"A leading space is part of the token: {code(t)} is id {ref.ids[i]}{bare}.",
                )
            ]
    return []


def _numbers(text: str, results: Sequence[TokenizerResult], ix: dict[str, _Index]) -> list[Finding]:
    m = _NUMBER.search(text)
    if not m:
        return []
    per = per_tokenizer([(r.info.short, ix[r.info.name].pieces(m.start(), m.end())) for r in results])
    return [
        Finding(
            "numbers",
            f"Numbers split into groups (GPT: up to 3 digits): {code(m.group())} → {per}.",
        )
    ]


def _scripts(text: str, results: Sequence[TokenizerResult], ix: dict[str, _Index]) -> list[Finding]:
    if text.isascii():
        return []
    positions: dict[str, list[int]] = {}
    nbytes: dict[str, int] = {}
    for m in _NON_ASCII.finditer(text):
        for i in range(m.start(), m.end()):
            ch = text[i]
            s = script_of(ch)
            if s is None or (s == "other non-ASCII" and unicodedata.category(ch)[0] in "CZM"):
                continue
            positions.setdefault(s, []).append(i)
            nbytes[s] = nbytes.get(s, 0) + len(ch.encode("utf-8"))
    runs = {sc: _runs(pos) for sc, pos in positions.items()}
    per_script = {r.info.name: _tokens_by_script(ix[r.info.name], runs) for r in results}
    out: list[Finding] = []
    for s in sorted(positions, key=lambda k: positions[k][0])[:3]:
        counts = ", ".join(f"{r.info.short} {per_script[r.info.name].get(s, 0)}" for r in results)
        if s == "emoji":
            # the emoji that the most tokenizers cut shows the byte pieces best
            def cuts(i: int) -> int:
                return sum(len(ix[r.info.name].pieces(i, i + 1)) for r in results)

            i = max(positions[s][:50], key=cuts)
            ch = text[i]
            pairs = [(r.info.short, ix[r.info.name].pieces(i, i + 1)) for r in results]
            size = plural(len(ch.encode("utf-8")), "UTF-8 byte")
            if any(len(p) > 1 for _, p in pairs):
                why = f"without a merge for it, BPE spends a token per byte group: {code(ch)} → {per_tokenizer(pairs)}"
            else:
                why = f"{code(ch)} is common enough to have its own token: {per_tokenizer(pairs)}"
            many = len(positions[s]) > 1
            out.append(Finding("bytes", f"An emoji is {size}; {why}." + (f" Tokens holding emoji: {counts}." if many else "")))
        else:
            n = len(positions[s])
            out.append(
                Finding(
                    "bytes",
                    f"{s}: {plural(n, 'character')}, {plural(nbytes[s], 'byte')}. More bytes per character and "
                    f"less training text mean fewer characters per token. Tokens: {counts}.",
                )
            )
    return out


def _tokens_by_script(index: _Index, runs: dict[str, list[tuple[int, int]]]) -> dict[str, int]:
    """How many tokens hold characters of each script (a byte piece counts with its character)."""
    counts: dict[str, int] = {}
    for script, spans in runs.items():
        held: set[int] = set()
        for start, end in spans:
            held.update(index.covering(start, end))
        counts[script] = len(held)
    return counts


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Sorted character positions → maximal [start, end) runs."""
    out: list[tuple[int, int]] = []
    for p in positions:
        if out and out[-1][1] == p:
            out[-1] = (out[-1][0], p + 1)
        else:
            out.append((p, p + 1))
    return out


def _whitespace(ref: TokenizerResult) -> list[Finding]:
    text = ref.text
    if not _SPACE_RUN.search(text):
        return []
    spaces = [i for i, (s, e) in enumerate(zip(ref.starts, ref.ends, strict=True))
              if e - s > 0 and text[s:e].isspace() and text[s:e] != " "]
    if not spaces:
        return []
    longest = max(spaces, key=lambda i: ref.ends[i] - ref.starts[i])
    t = ref.token_text(longest)
    return [
        Finding(
            "whitespace",
            f"Whitespace counts: {plural(len(spaces), ref.info.short + ' token')} here "
            f"{'is a run' if len(spaces) == 1 else 'are runs'} of spaces, tabs or newlines; "
            f"{code(t)} ({plural(len(t), 'character')}) is one token, id {ref.ids[longest]}.",
        )
    ]


def _specials(text: str, results: Sequence[TokenizerResult], ix: dict[str, _Index]) -> list[Finding]:
    for s in SPECIAL_STRINGS:
        i = text.find(s)
        if i < 0:
            continue
        counts = ", ".join(f"{r.info.short} {len(ix[r.info.name].covering(i, i + len(s)))}" for r in results)
        return [
            Finding(
                "special_text",
                f"{code(s)} typed in a message is plain text (tokens: {counts}); only the application can "
                "insert the real control token.",
            )
        ]
    return []


def _controls(text: str, ref: TokenizerResult) -> list[Finding]:
    ctrl = next((c for c in text if c < " " and c not in "\n\t\r" or "\x7f" <= c <= "\x9f"), None)
    if ctrl is None:
        return []
    return [
        Finding(
            "controls",
            f"Control characters are tokens too: {code(ctrl)} is U+{ord(ctrl):04X}, drawn as a picture here.",
        )
    ]


def _wordpiece(results: Sequence[TokenizerResult]) -> list[Finding]:
    wp = next((r for r in results if r.info.family == "WordPiece"), None)
    if wp is None:
        return []
    unk = sum(1 for p in wp.pieces if p == "[UNK]")
    text = (
        "WordPiece lowercases, drops spaces and marks a word's continuation with `##`; "
        "byte-level BPE keeps both, so its tokens rebuild the text exactly."
    )
    if unk:
        text += f" `[UNK]` ×{unk}: WordPiece has no piece for those characters; BPE falls back to bytes."
    return [Finding("wordpiece", text)]
