"""`studybuddy tokenize`: argument or stdin, --json, --image, --ids, and exit code 2 for bad input."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from adapters.console.tokenize_cli import register
from bot.replies import Source

PASSAGE = Source(1, "Tokenization", "notes.md", "Tokenization breaks text into tokens.", 0.9)


def _app(calls: list | None = None) -> typer.Typer:
    app = typer.Typer()

    def lookup():
        if calls is not None:
            calls.append(1)
        return PASSAGE

    register(app, passage_lookup=lookup)

    @app.command("noop")  # a second command keeps typer from collapsing the app into one command
    def noop() -> None:
        pass

    return app


def test_json_output():
    """--json prints per tokenizer name, count and tokens, and skips the notes lookup."""
    calls: list = []
    result = CliRunner().invoke(_app(calls), ["tokenize", "--json", "Hello <|endoftext|>"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    o200k = data["tokenizers"][0]
    assert o200k["name"] == "o200k_base"
    assert "".join(t["text"] for t in o200k["tokens"]) == "Hello <|endoftext|>"
    assert calls == []


def test_text_from_stdin_with_picture_and_ids(tmp_path):
    """`-` reads standard input; --image writes a PNG; --ids adds the ids; the notes passage is cited."""
    out = tmp_path / "t.png"
    result = CliRunner().invoke(_app(), ["tokenize", "--ids", "--image", str(out), "-"], input="def f():\n  pass\n")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "ids " in result.stdout and "[1] Tokenization" in result.stdout


def test_empty_text_exits_2_with_usage():
    """An empty text prints the usage hint on stderr and exits 2."""
    result = CliRunner().invoke(_app(), ["tokenize", ""])
    assert result.exit_code == 2
    assert "/tokenize" in result.stderr
