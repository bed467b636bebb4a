"""`studybuddy tokenize`: argument or stdin, whole output, --json, --image pages, --ids, --special, and exit 2
with a clear message for bad input."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from adapters.console.tokenize_cli import page_paths, register
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


def _run(args: list[str], **kw):
    return CliRunner().invoke(_app(kw.pop("calls", None)), ["tokenize", *args], **kw)


def test_json_output():
    """--json prints per tokenizer name, count and tokens, and skips the notes lookup."""
    calls: list = []
    result = _run(["--json", "Hello <|endoftext|>"], calls=calls)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    o200k = data["tokenizers"][0]
    assert o200k["name"] == "o200k_base"
    assert "".join(t["text"] for t in o200k["tokens"]) == "Hello <|endoftext|>"
    assert calls == []


def test_text_from_stdin_with_picture_and_ids(tmp_path):
    """`-` reads standard input; --image writes a PNG; --ids adds the ids; the notes passage is cited."""
    out = tmp_path / "t.png"
    result = _run(["--ids", "--image", str(out), "-"], input="def f():\n  pass\n")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "24912" not in result.stdout and "[1] Tokenization" in result.stdout
    assert "│1314" in result.stdout  # o200k "def", its id under it


def test_terminal_output_has_every_token():
    """The command has no message limit: a long text prints every token, never '… more tokens'."""
    result = _run(["--json", "word " * 3000])
    count = json.loads(result.stdout)["tokenizers"][0]["count"]
    text = _run(["word " * 3000])
    assert text.exit_code == 0
    assert "more tokens" not in text.stdout and f"{count:,}" in text.stdout


def test_long_text_picture_is_written_in_pages(tmp_path):
    """A text too long for one picture is written as FILE, FILE-2.png, ... and each path is printed."""
    out = tmp_path / "tokens.png"
    result = _run(["--image", str(out), "Tokenization is fun, 日本語 🙂. " * 200])
    assert result.exit_code == 0, result.output
    pages = sorted(tmp_path.glob("tokens*.png"))
    assert len(pages) > 1 and out in pages and (tmp_path / "tokens-2.png") in pages
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    assert result.stdout.count("picture written to") == len(pages)


def test_page_paths():
    """Pages after the first get -2, -3, ... before the suffix."""
    from pathlib import Path

    assert page_paths(Path("a/t.png"), 3) == [Path("a/t.png"), Path("a/t-2.png"), Path("a/t-3.png")]


def test_special_switch():
    """--special encodes <|endoftext|> as o200k's control token 199999."""
    data = json.loads(_run(["--json", "--special", "a <|endoftext|>"]).stdout)
    assert 199999 in [t["id"] for t in data["tokenizers"][0]["tokens"]]


def test_empty_text_exits_2_with_usage():
    """An empty text prints the usage hint on stderr and exits 2."""
    result = _run([""])
    assert result.exit_code == 2
    assert "/tokenize" in result.stderr


def test_huge_stdin_is_refused_with_its_true_length():
    """A 1 MB paste is refused (exit 2) with its real length, not a truncated one."""
    result = _run(["-"], input="é" * 1_000_000)
    assert result.exit_code == 2
    assert "1,000,000 characters" in result.stderr


def test_bad_bytes_on_stdin_are_noted(tmp_path):
    """Bytes that are not UTF-8 become U+FFFD, and stderr says how many there were."""
    result = _run(["--json", "-"], input=b"ok \xff\xfe done")
    assert result.exit_code == 0, result.output
    assert "2 bytes that are not UTF-8" in result.stderr
    assert "\ufffd" in json.loads(result.stdout)["tokenizers"][0]["tokens"][1]["text"] or "\ufffd" in result.stdout


def test_image_to_a_missing_folder_is_a_clear_error(tmp_path):
    """--image into a folder that does not exist exits 2 before any work, naming the folder."""
    result = _run(["--image", str(tmp_path / "nope" / "t.png"), "hello"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "nope" in result.stderr


def test_image_to_a_directory_is_a_clear_error(tmp_path):
    """--image pointing at a folder exits 2 and suggests a file name."""
    result = _run(["--image", str(tmp_path), "hello"])
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_text_starting_with_dash_gets_a_hint():
    """Text that looks like an option is rejected with the way to pass it: put -- before it."""
    result = _run(["-x marks the spot"])
    assert result.exit_code == 2
    assert "put -- before it" in result.stderr
    ok = _run(["--json", "--", "-x marks the spot"])
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["characters"] == len("-x marks the spot")
