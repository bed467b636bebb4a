"""The dated price table: packaged default, operator's copy, and errors the operator must fix."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.errors import ConfigError
from bot.tokenization.reply import tokenize_reply
from knowledge.tokenization.pricing import load_pricing

OPERATOR_TABLE = """
as_of = 2026-03-01
sources = ["my copy"]
window_tokenizer = "cl100k_base"
[[windows]]
tokens = 1000
label = "1k"
[[models]]
name = "Cheap"
tokenizer = "cl100k_base"
input_usd_per_million = 1.0
[[models]]
name = "Closed"
tokenizer = "no_such_tokenizer"
input_usd_per_million = 3.0
"""


def test_packaged_table_is_dated_and_sourced():
    """The shipped pricing.toml has an as_of date, sources, the notes' three windows and priced models."""
    table = load_pricing()
    assert isinstance(table.as_of, dt.date)
    assert table.sources
    assert [w.tokens for w in table.windows] == [4096, 128000, 200000]
    assert {m.tokenizer for m in table.models} >= {"o200k_base", "cl100k_base"}


def test_operator_copy_replaces_the_table(tmp_path):
    """pricing_file points at an edited copy; models whose tokenizer is not here are left out."""
    path = tmp_path / "prices.toml"
    path.write_text(OPERATOR_TABLE)
    reply = tokenize_reply("hello world " * 100, pricing_file=path)
    assert "prices as of 2026-03-01" in reply.text
    assert [p["model"] for p in reply.data["prices"]] == ["Cheap"]
    assert reply.data["context"][0]["tokenizer"] == "cl100k_base"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("as_of = \n", "pricing file"),
        ("sources = []\n", "missing key 'as_of'"),
        ('as_of = 2025-01-01\n[[models]]\nname = "x"\ntokenizer = "o200k_base"\ninput_usd_per_million = -1\n',
         "not negative"),
    ],
)
def test_broken_table_is_a_one_line_config_error(tmp_path, content, message):
    """A malformed table fails with a ConfigError naming the file and the problem."""
    path = tmp_path / "prices.toml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message) as info:
        load_pricing(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_file_is_a_config_error(tmp_path):
    """A pricing_file that does not exist is reported, not silently replaced by the default."""
    with pytest.raises(ConfigError, match="cannot read"):
        load_pricing(tmp_path / "nope.toml")
