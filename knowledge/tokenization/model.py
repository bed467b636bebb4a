"""Small frozen result types of the tokenizer explainer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenizerInfo:
    """Which tokenizer: ``name`` is the stable key used in JSON and options."""

    name: str  # "o200k_base"
    label: str  # who uses it: "GPT-4o"
    short: str  # for tight chat lines: "o200k"
    family: str  # "BPE" | "WordPiece" | "SentencePiece"
    vocab_size: int
    lossless: bool  # token texts concatenate back to the input (byte-level BPE, SentencePiece)


@dataclass(frozen=True, slots=True)
class Token:
    """One token.

    ``text`` is the slice of the input this token stands for; for lossless
    tokenizers the texts concatenate back to the input exactly. A character
    whose UTF-8 bytes are split over several tokens belongs to the token that
    holds its first byte (the convention of tiktoken's ``decode_with_offsets``;
    SentencePiece's own offsets give it to the last byte piece); the other
    pieces have ``text == ""`` and are shown by their bytes.

    ``piece`` is how the tokenizer itself writes the token: the decoded text,
    ``<F0 9F 98>`` for bytes that are not a whole character, ``##ization`` for
    a WordPiece continuation, ``[UNK]`` for an unknown character.
    """

    id: int
    text: str
    piece: str
    start: int
    end: int
    partial: bool  # holds bytes of a character that does not start and end inside it


@dataclass(frozen=True, slots=True)
class TokenizerResult:
    """One tokenizer's tokens for ``text``, stored by column (thousands of tokens are cheap).

    Token ``i`` covers ``text[starts[i]:ends[i]]`` and is written ``pieces[i]``;
    ``partial`` holds the indexes of tokens that hold only some bytes of a
    character. :meth:`token` and :attr:`tokens` give :class:`Token` objects.
    """

    info: TokenizerInfo
    text: str
    ids: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    pieces: tuple[str, ...]
    partial: frozenset[int] = frozenset()

    @property
    def count(self) -> int:
        return len(self.ids)

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def token(self, i: int) -> Token:
        s, e = self.starts[i], self.ends[i]
        return Token(self.ids[i], self.text[s:e], self.pieces[i], s, e, i in self.partial)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(self.token(i) for i in range(len(self.ids)))

    @property
    def chars_per_token(self) -> float:
        return len(self.text) / len(self.ids) if self.ids else 0.0


@dataclass(frozen=True, slots=True)
class SplitWord:
    """A word of the input that some tokenizer cut into several tokens."""

    word: str
    start: int
    pieces: tuple[tuple[str, tuple[str, ...]], ...]  # (tokenizer name, its pieces of the word)


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason the text split as it did, with the evidence taken from this text."""

    kind: str  # "common_words", "split_words", "leading_space", "bytes", "numbers", ...
    text: str  # a sentence in the reply's markdown subset


@dataclass(frozen=True, slots=True)
class WindowShare:
    label: str
    window: int
    tokenizer: str
    tokens: int

    @property
    def share(self) -> float:
        return self.tokens / self.window


@dataclass(frozen=True, slots=True)
class PriceEstimate:
    model: str
    tokenizer: str
    tokens: int
    usd_per_million: float

    @property
    def usd(self) -> float:
        return self.tokens * self.usd_per_million / 1_000_000


@dataclass(frozen=True, slots=True)
class TokenizationReport:
    text: str
    results: tuple[TokenizerResult, ...]
    split_words: tuple[SplitWord, ...] = ()
    findings: tuple[Finding, ...] = ()
    windows: tuple[WindowShare, ...] = ()
    prices: tuple[PriceEstimate, ...] = ()
    pricing_as_of: str | None = None
    notes: tuple[str, ...] = ()  # things done to the input, e.g. lone surrogates replaced

    @property
    def chars(self) -> int:
        return len(self.text)

    def result(self, name: str) -> TokenizerResult | None:
        return next((r for r in self.results if r.info.name == name), None)
