"""What every finding is built from: the tokens covering a span, the words and clusters of the text.

A finding quotes this text's own tokens; the helpers here find them
(:class:`Index`), format them (:func:`code`, :func:`per_tokenizer`) and hold
what several findings share (:class:`Context`: the o200k pre-tokenizer's
chunks, the grapheme clusters), computed once per text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import regex

from knowledge.tokenization.chars import UNSPACED, Cluster, clusters
from knowledge.tokenization.model import TokenizerResult
from knowledge.tokenization.visible import visible, visible_piece

MAX_FRAGMENT = 40
MAX_PIECES = 12
_LETTER = regex.compile(r"\p{L}")
_LETTER_OR_MARK = regex.compile(r"[\p{L}\p{M}]")


def code(fragment: str, *, piece: bool = False, limit: int = MAX_FRAGMENT) -> str:
    """A user-text fragment as a code span, whitespace made visible, cut to a readable length.

    ``piece=True`` for a token's piece, whose ``<F0 9F>`` byte groups stay as they are.
    """
    shown = visible_piece(fragment) if piece else visible(fragment)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"`{shown}`"


def pieces_code(pieces: Sequence[str], limit: int = MAX_PIECES) -> str:
    """```Token`+`ization``; a long list is cut and ends with its count."""
    shown = "+".join(code(p, piece=True) for p in pieces[:limit])
    if len(pieces) > limit:
        shown += f"+… ({len(pieces)} tokens)"
    elif len(pieces) == 1:
        shown += " (1 token)"
    return shown


def per_tokenizer(pairs: Sequence[tuple[str, Sequence[str]]]) -> str:
    """``o200k, cl100k: `Token`+`ization` · WordPiece: `token`+`##ization``` — equal splits grouped."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, pieces in pairs:
        groups.setdefault(tuple(pieces), []).append(name)
    return " · ".join(f"{', '.join(names)}: {pieces_code(p) if p else '(no token)'}" for p, names in groups.items())


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Index:
    """Finds the tokens of one result that cover a span of the text."""

    def __init__(self, result: TokenizerResult) -> None:
        self.result = result
        self.ends = result.ends
        # tiktoken's zero-length byte pieces follow the piece that carries the character,
        # SentencePiece's come before it
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
            elif s == e and i in partial and (s == end and out if self.trailing else start <= s < end):
                out.append(i)
            elif s >= end:
                break
            i += 1
        return out

    def count(self, start: int, end: int) -> int:
        """About how many tokens text[start:end] touches (byte pieces aside), cheaply."""
        return bisect_left(self.result.starts, end) - bisect_right(self.ends, start)

    def one_token(self, start: int, end: int) -> bool:
        """Whether one token holds all of text[start:end] and no byte piece shares it."""
        r = self.result
        i = bisect_right(self.ends, start)
        if i >= len(r.starts) or r.starts[i] > start or r.ends[i] < end or i in r.partial:
            return False
        return True

    def is_token(self, start: int, end: int) -> bool:
        """Whether text[start:end] is exactly one whole token."""
        r = self.result
        i = bisect_left(r.starts, start)
        while i < len(r.starts) and r.starts[i] == r.ends[i] == start:  # zero-length byte pieces
            i += 1
        return i < len(r.starts) and r.starts[i] == start and r.ends[i] == end and i not in r.partial

    def pieces(self, start: int, end: int) -> tuple[str, ...]:
        """The tokenizer's pieces of text[start:end]: text slices clipped to the span, or its own pieces."""
        r = self.result
        text, lossless = r.text, r.info.lossless
        out = []
        for i in self.covering(start, end):
            if not lossless or i in r.partial or i in r.special:
                out.append(r.pieces[i])
            else:
                out.append(text[max(r.starts[i], start) : min(r.ends[i], end)])
        return tuple(p for p in out if p)


@dataclass(frozen=True, slots=True)
class Word:
    """A word as o200k's pre-tokenizer finds it: ``start:end`` are its letters, ``chunk`` the whole chunk."""

    start: int
    end: int
    chunk_start: int


@lru_cache(maxsize=1)
def _o200k_pattern() -> regex.Pattern:
    """o200k's pre-tokenizer with its two word alternatives in a group: the same matches, words marked."""
    from knowledge.tokenization.openai_bpe import O200K_PARTS

    words, rest = O200K_PARTS[:2], O200K_PARTS[2:]
    return regex.compile("(" + "|".join(words) + ")|" + "|".join(rest))


class Context:
    """One text, its results and the tokenizer objects, with what several findings share."""

    def __init__(self, text: str, results: Sequence[TokenizerResult], tokenizers: dict[str, object],
                 special: bool = False) -> None:
        self.text = text
        self.results = tuple(results)
        self.tokenizers = tokenizers
        self.special = special
        self.index = {r.info.name: Index(r) for r in self.results}
        self.ref = self.results[0]

    def result(self, family: str) -> TokenizerResult | None:
        return next((r for r in self.results if r.info.family == family), None)

    def tokenizer(self, name: str):
        return self.tokenizers.get(name)

    def evidence(self, start: int, end: int) -> str:
        """Every tokenizer's pieces of text[start:end], equal splits grouped."""
        return per_tokenizer([(r.info.short, self.index[r.info.name].pieces(start, end)) for r in self.results])

    def holding(self, spans: Sequence[tuple[int, int]]) -> dict[str, int]:
        """Per tokenizer, how many tokens hold some of ``spans`` (a byte piece counts with its character)."""
        out: dict[str, int] = {}
        for r in self.results:
            ix = self.index[r.info.name]
            held: set[int] = set()
            for s, e in spans:
                held.update(ix.covering(s, e))
            out[r.info.short] = len(held)
        return out

    @cached_property
    def _scan(self) -> tuple[list[tuple[int, int]], list[Word], list[tuple[int, int]]]:
        """One pass of o200k's own pattern: its chunks, the words among them, the unspaced runs."""
        text = self.text
        ascii_text = text.isascii()
        unspaced_at = [] if ascii_text else [m.start() for m in UNSPACED.finditer(text)]
        chunks: list[tuple[int, int]] = []
        words: list[Word] = []
        unspaced: list[tuple[int, int]] = []
        for m in _o200k_pattern().finditer(text):
            s, e = m.span()
            chunks.append((s, e))
            if m.start(1) < 0:
                continue
            chunk = m.group()
            if ascii_text or chunk.isascii():
                words.append(Word(s if chunk[0].isalpha() else s + 1, e, s))
                continue
            letter = _LETTER.search(chunk)
            if letter is None:  # marks alone (U+FE0F after an emoji) make no word
                continue
            if unspaced_at:
                k = bisect_left(unspaced_at, s)
                if k < len(unspaced_at) and unspaced_at[k] < e:
                    unspaced.append((s + letter.start(), e))
                    continue
            first = _LETTER_OR_MARK.search(chunk)
            words.append(Word(s + first.start(), e, s))
        return chunks, words, unspaced

    @property
    def chunks(self) -> list[tuple[int, int]]:
        """o200k's pre-tokenizer chunks (its own regex), as character spans."""
        return self._scan[0]

    @property
    def words(self) -> list[Word]:
        """Chunks holding letters, in scripts that put spaces between words; their letters from the first."""
        return self._scan[1]

    @property
    def unspaced(self) -> list[tuple[int, int]]:
        """Chunks holding letters of a script written without spaces (Chinese, Japanese, Thai, ...), from
        their first letter (the chunk may open with a space or a punctuation mark)."""
        return self._scan[2]

    @cached_property
    def graphemes(self) -> int:
        """Characters on screen: code points, less the extra ones inside clusters, less CR of CR LF."""
        return len(self.text) - sum(c.code_points - 1 for c in self.clusters) - self.text.count("\r\n")

    @cached_property
    def clusters(self) -> list[Cluster]:
        """Grapheme clusters holding non-ASCII code points."""
        return [] if self.text.isascii() else list(clusters(self.text))
