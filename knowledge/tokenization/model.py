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
    special: bool = False  # a control token (only with special tokens switched on)


@dataclass(frozen=True, slots=True)
class TokenizerResult:
    """One tokenizer's tokens for ``text``, stored by column (thousands of tokens are cheap).

    Token ``i`` covers ``text[starts[i]:ends[i]]`` and is written ``pieces[i]``;
    ``partial`` holds the indexes of tokens that hold only some bytes of a
    character (a character split over bytes is held by a run of them). ``special`` holds the indexes of control tokens
    (``<|endoftext|>`` as id 199999), present only when special tokens are on.
    :meth:`token` and :attr:`tokens` give :class:`Token` objects.
    """

    info: TokenizerInfo
    text: str
    ids: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    pieces: tuple[str, ...]
    partial: frozenset[int] = frozenset()
    special: frozenset[int] = frozenset()

    @property
    def count(self) -> int:
        return len(self.ids)

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def token(self, i: int) -> Token:
        s, e = self.starts[i], self.ends[i]
        return Token(self.ids[i], self.text[s:e], self.pieces[i], s, e, i in self.partial, i in self.special)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(self.token(i) for i in range(len(self.ids)))

    @property
    def chars_per_token(self) -> float:
        return len(self.text) / len(self.ids) if self.ids else 0.0


@dataclass(frozen=True, slots=True)
class SplitWord:
    """A word of the input that some tokenizer cut into several tokens.

    ``pieces`` holds every tokenizer's pieces of the word, a one-piece entry
    where it kept the word whole.
    """

    word: str
    start: int
    pieces: tuple[tuple[str, tuple[str, ...]], ...]  # (tokenizer short name, its pieces of the word)


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason the text split as it did, with the evidence taken from this text.

    ``kind`` is stable (tests and the JSON use it); the kinds are listed in
    :mod:`knowledge.tokenization.explain`.
    """

    kind: str
    text: str  # sentences in the reply's markdown subset


@dataclass(frozen=True, slots=True)
class ModelCost:
    """What the text costs one model, counted with that model's tokenizer.

    ``estimate`` is set when the model's own tokenizer is not available (not
    public, as for Claude) and another tokenizer's count stands in for it.
    """

    model: str
    tokenizer: str
    tokens: int
    usd_per_million: float
    context_window: int | None
    estimate: bool = False

    @property
    def usd(self) -> float:
        return self.tokens * self.usd_per_million / 1_000_000

    @property
    def share(self) -> float | None:
        return self.tokens / self.context_window if self.context_window else None


@dataclass(frozen=True, slots=True)
class Pricing:
    """The price table's date and whether it is older than the age a reader should trust."""

    as_of: str  # ISO date
    age_days: int
    stale: bool
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WordStats:
    """Words as o200k's pre-tokenizer cuts them, in scripts that put spaces between words."""

    words: int  # occurrences
    whole: int  # of which the reference tokenizer keeps in one token
    reference: str  # short name of that tokenizer


@dataclass(frozen=True, slots=True)
class TokenizationReport:
    text: str
    results: tuple[TokenizerResult, ...]
    split_words: tuple[SplitWord, ...] = ()
    split_words_total: int = 0  # distinct split words; ``split_words`` holds the first of them
    findings: tuple[Finding, ...] = ()
    costs: tuple[ModelCost, ...] = ()
    limits: tuple[Finding, ...] = ()  # context limits the text exceeds (BERT's 512 tokens)
    pricing: Pricing | None = None
    words: WordStats | None = None
    notes: tuple[str, ...] = ()  # things done to the input, e.g. lone surrogates replaced
    special_tokens: bool = False  # special-token strings were encoded as control tokens
    graphemes: int | None = None  # characters on screen (grapheme clusters), when counted

    @property
    def chars(self) -> int:
        """Code points, what ``len`` counts and the length limit is about."""
        return len(self.text)

    @property
    def on_screen(self) -> int:
        """Characters as a reader counts them (grapheme clusters): 👨‍👩‍👧‍👦 is one."""
        return self.chars if self.graphemes is None else self.graphemes

    def result(self, name: str) -> TokenizerResult | None:
        return next((r for r in self.results if r.info.name == name), None)
