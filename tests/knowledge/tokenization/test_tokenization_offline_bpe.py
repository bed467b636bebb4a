"""The offline tiktoken encodings against tiktoken proper (tiktoken.get_encoding fed the same verified files)."""

from __future__ import annotations

import pytest
import tiktoken

from bot.errors import ConfigError
from knowledge.tokenization.openai_bpe import SPECS, load_encoding, rank_file_bytes, seed_tiktoken_cache
from knowledge.tokenization.registry import default_registry
from tests.knowledge.tokenization.corpus import CORPUS

NAMES = ("o200k_base", "cl100k_base")


@pytest.fixture(scope="module")
def proper(tmp_path_factory):
    """tiktoken's own get_encoding, loading from a cache dir seeded with bpe-openai's files (no network)."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    seed_tiktoken_cache(cache)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", str(cache))
        import tiktoken_ext.openai_public as public

        yield {
            name: (tiktoken.get_encoding(name), getattr(public, name)())
            for name in NAMES
        }


@pytest.mark.parametrize("name", NAMES)
def test_packaged_rank_file_has_tiktokens_hash(name):
    """bpe-openai's data/<name>.tiktoken.gz decompresses to exactly the file tiktoken expects."""
    import hashlib

    assert hashlib.sha256(rank_file_bytes(name)).hexdigest() == SPECS[name].sha256


@pytest.mark.parametrize("name", NAMES)
def test_spec_matches_tiktoken_ext(proper, name):
    """The copied split pattern and special tokens are tiktoken_ext.openai_public's own."""
    _, constructor = proper[name]
    assert SPECS[name].pat_str == constructor["pat_str"]
    assert SPECS[name].special_tokens == constructor["special_tokens"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_ids_and_counts_equal_tiktoken(proper, name, kind):
    """Ids and counts from the registry equal tiktoken's own, special-token strings read as plain text."""
    enc, _ = proper[name]
    text = CORPUS[kind]
    expected = enc.encode(text, allowed_special=set(), disallowed_special=())
    tok = default_registry().get(name)
    assert list(tok.tokenize(text).ids) == expected
    assert tok.count(text) == len(expected)


@pytest.mark.parametrize("name", NAMES)
def test_vocabulary_equals_tiktoken(proper, name):
    """The offline encoding has tiktoken's vocabulary size and decodes every sampled id to the same bytes."""
    enc, _ = proper[name]
    ours = load_encoding(name)
    assert ours.n_vocab == enc.n_vocab
    for tid in range(0, enc.max_token_value - 100, 997):
        assert ours.decode_single_token_bytes(tid) == enc.decode_single_token_bytes(tid)


def test_unknown_encoding_is_a_config_error():
    """Asking for an encoding with no packaged file fails with one clear ConfigError."""
    with pytest.raises(ConfigError, match="unknown OpenAI encoding"):
        load_encoding("p50k_base")
