"""tiktoken encodings built offline from the rank files the ``bpe-openai`` package ships.

tiktoken fetches its ``*.tiktoken`` rank files from a blob store on first use.
There is no network at run time here, so the same files are read from
``bpe_openai/data/<name>.tiktoken.gz``, checked against the SHA-256 that
tiktoken itself expects for them, and handed to :class:`tiktoken.Encoding` with
tiktoken's own split pattern and special tokens. The result is tiktoken's Rust
encoder on tiktoken's data, so counts and ids are tiktoken's own; the tests
compare it, id for id, with ``tiktoken.get_encoding`` fed the same file.

The constants below are copied from ``tiktoken_ext/openai_public.py``
(tiktoken 0.14). Calling those constructor functions is not an option: they
download the file before returning the pattern.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.errors import ConfigError

if TYPE_CHECKING:
    import tiktoken

log = logging.getLogger(__name__)

ENDOFTEXT = "<|endoftext|>"
FIM_PREFIX = "<|fim_prefix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_SUFFIX = "<|fim_suffix|>"
ENDOFPROMPT = "<|endofprompt|>"

_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
# The first two alternatives match words (letters and marks, a contraction ending, one optional
# leading non-letter); the explainer groups them to find words the way o200k cuts them.
O200K_PARTS = (
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
)
_O200K_PAT = "|".join(O200K_PARTS)


@dataclass(frozen=True, slots=True)
class OpenAIEncodingSpec:
    """What tiktoken needs besides the ranks, and where tiktoken would fetch them."""

    name: str
    url: str
    sha256: str  # of the uncompressed rank file, as tiktoken checks it
    pat_str: str
    special_tokens: dict[str, int]


SPECS: dict[str, OpenAIEncodingSpec] = {
    "o200k_base": OpenAIEncodingSpec(
        name="o200k_base",
        url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str=_O200K_PAT,
        special_tokens={ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    ),
    "cl100k_base": OpenAIEncodingSpec(
        name="cl100k_base",
        url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=_CL100K_PAT,
        special_tokens={
            ENDOFTEXT: 100257,
            FIM_PREFIX: 100258,
            FIM_MIDDLE: 100259,
            FIM_SUFFIX: 100260,
            ENDOFPROMPT: 100276,
        },
    ),
}


def rank_file_bytes(name: str) -> bytes:
    """The uncompressed rank file for ``name`` from ``bpe-openai``, verified against tiktoken's hash."""
    spec = _spec(name)
    try:
        packed = (_bpe_openai_dir() / "data" / f"{name}.tiktoken.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigError(
            f"tokenizer {name}: the bpe-openai package (with data/{name}.tiktoken.gz) is not installed"
        ) from exc
    data = gzip.decompress(packed)
    actual = hashlib.sha256(data).hexdigest()
    if actual != spec.sha256:
        raise ConfigError(
            f"tokenizer {name}: bpe-openai's rank file has sha256 {actual}, tiktoken expects {spec.sha256}"
        )
    return data


def _bpe_openai_dir() -> Path:
    """Where the bpe-openai package is, found without importing it: its import builds every model's
    encoding (seconds), and only its data files are wanted here."""
    spec = importlib.util.find_spec("bpe_openai")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("bpe_openai")
    return Path(next(iter(spec.submodule_search_locations)))


def load_ranks(name: str) -> dict[bytes, int]:
    """Every token's bytes and rank (its id) from the packaged rank file."""
    data = rank_file_bytes(name)
    # Same parsing as tiktoken.load.load_tiktoken_bpe, which only takes a path or URL.
    return {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in data.splitlines() if line)
    }


def load_encoding(name: str, ranks: dict[bytes, int] | None = None) -> tiktoken.Encoding:
    """Build tiktoken's ``name`` encoding from the packaged rank file; never touches the network."""
    import tiktoken

    spec = _spec(name)
    ranks = load_ranks(name) if ranks is None else ranks
    log.info("loaded %s from bpe-openai (%d ranks)", name, len(ranks))
    return tiktoken.Encoding(
        name=spec.name,
        pat_str=spec.pat_str,
        mergeable_ranks=ranks,
        special_tokens=dict(spec.special_tokens),
    )


def seed_tiktoken_cache(cache_dir: Path, names: tuple[str, ...] = tuple(SPECS)) -> None:
    """Write the verified rank files where tiktoken's own loader looks for them.

    With ``TIKTOKEN_CACHE_DIR=cache_dir`` set, ``tiktoken.get_encoding(name)``
    then works offline (tiktoken keys its cache by the SHA-1 of the URL and
    re-checks the SHA-256). The bot itself does not need this; tests and the
    benchmark use it to compare against tiktoken proper, and an operator can use
    it for other tools.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        spec = _spec(name)
        target = cache_dir / hashlib.sha1(spec.url.encode()).hexdigest()
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(rank_file_bytes(name))
        os.replace(tmp, target)


def _spec(name: str) -> OpenAIEncodingSpec:
    try:
        return SPECS[name]
    except KeyError:
        raise ConfigError(f"unknown OpenAI encoding {name!r}; known: {', '.join(SPECS)}") from None
