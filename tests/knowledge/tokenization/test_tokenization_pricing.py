"""The dated price table: packaged default, operator's copy, per-model counts, estimates, age, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.errors import ConfigError
from knowledge.tokenization.analysis import analyze
from knowledge.tokenization.pricing import load_pricing

OPERATOR_TABLE = """
as_of = 2026-03-01
sources = ["my copy"]
[[models]]
name = "Cheap"
tokenizer = "cl100k_base"
input_usd_per_million = 1.0
context_window = 1000
[[models]]
name = "Closed"
tokenizer = "no_such_tokenizer"
input_usd_per_million = 3.0
"""


def test_packaged_table_is_dated_sourced_and_prices_every_tokenizer_family():
    """The shipped table has a date, sources, and models priced with o200k, cl100k and Mistral's SentencePiece."""
    table = load_pricing()
    assert isinstance(table.as_of, dt.date)
    assert table.sources
    assert {m.tokenizer for m in table.models} >= {"o200k_base", "cl100k_base", "mistral_sentencepiece"}
    assert all(m.context_window for m in table.models)


def test_each_model_is_counted_with_its_own_tokenizer():
    """GPT-4o's cost uses the o200k count, GPT-4 Turbo's cl100k's, Mistral's SentencePiece's."""
    report = analyze("Tokenization costs money: 12345 tokens, 🙂 and 日本語. " * 20, pricing=load_pricing())
    counts = {r.info.name: r.count for r in report.results}
    costs = {c.model: c for c in report.costs}
    assert costs["GPT-4o"].tokens == counts["o200k_base"]
    assert costs["GPT-4 Turbo"].tokens == counts["cl100k_base"]
    assert costs["Mistral 7B"].tokens == counts["mistral_sentencepiece"]
    assert costs["GPT-4o"].usd == pytest.approx(counts["o200k_base"] * 2.5 / 1e6)
    assert costs["GPT-4 Turbo"].share == pytest.approx(counts["cl100k_base"] / 128_000)


def test_claude_is_marked_as_an_estimate():
    """A model whose tokenizer is not available is counted with a stand-in and flagged as an estimate."""
    costs = {c.model: c for c in analyze("hello", pricing=load_pricing()).costs}
    claude = next(c for name, c in costs.items() if name.startswith("Claude"))
    assert claude.estimate and not costs["GPT-4o"].estimate


@pytest.mark.parametrize(("today", "stale"), [(dt.date(2025, 3, 1), False), (dt.date(2025, 9, 1), True)])
def test_price_table_age_warns_after_six_months(today, stale):
    """The table's age is computed against today; older than about six months is stale."""
    p = analyze("hello", pricing=load_pricing(), today=today).pricing
    assert p.as_of == "2025-01-15" and p.stale is stale


def test_operator_copy_replaces_the_table(tmp_path):
    """pricing_file points at an edited copy; models whose tokenizer is not here are left out, none guessed."""
    path = tmp_path / "prices.toml"
    path.write_text(OPERATOR_TABLE)
    report = analyze("hello world " * 100, pricing=load_pricing(path))
    assert [c.model for c in report.costs] == ["Cheap"]
    assert report.pricing.as_of == "2026-03-01"
    assert report.costs[0].share == report.result("cl100k_base").count / 1000


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("as_of = \n", "pricing file"),
        ("sources = []\n", "missing key 'as_of'"),
        ('as_of = 2025-01-01\n[[models]]\nname = "x"\ntokenizer = "o200k_base"\ninput_usd_per_million = -1\n',
         "not negative"),
        ('as_of = 2025-01-01\n[[models]]\nname = "x"\ntokenizer = "o200k_base"\ninput_usd_per_million = 1\n'
         'estimate = "yes"\n', "estimate must be true or false"),
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
