"""``studybuddy tokenize "TEXT" [--json] [--image FILE] [--ids]`` (``-`` reads standard input)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from bot.errors import StudyBuddyError
from bot.replies import Reply, Source

log = logging.getLogger(__name__)

# More bytes than this cannot be MAX_CHARS characters of UTF-8: stop reading and say it is too long.
_STDIN_LIMIT_BYTES = 4 * 100_000 + 4


def register(app: typer.Typer, passage_lookup: Callable[[], Source | None] | None = None) -> None:
    """Add the ``tokenize`` command to ``app``.

    ``passage_lookup`` returns the notes' passage on tokenization to cite; it is
    only called for the human-readable output (``--json`` skips the notes index).
    """

    @app.command("tokenize")
    def tokenize(
        text: Annotated[str, typer.Argument(help="The text to tokenize, or - to read it from standard input.")],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print name, count and tokens per tokenizer as JSON.")
        ] = False,
        image: Annotated[
            Path | None, typer.Option("--image", help="Also write the token picture (PNG) to FILE.", metavar="FILE")
        ] = None,
        ids: Annotated[bool, typer.Option("--ids", help="Show token ids under each tokenizer's tokens.")] = False,
    ) -> None:
        """How real tokenizers (GPT-4o, GPT-4, BERT WordPiece, Mistral SentencePiece) cut TEXT, and why."""
        from bot.config import Settings
        from bot.tokenization.reply import tokenize_reply

        if text == "-":
            text = _read_stdin()
        settings = Settings()
        passage = passage_lookup() if (passage_lookup is not None and not as_json) else None
        try:
            reply = tokenize_reply(
                text,
                show_ids=ids,
                with_image=image is not None,
                notes_passage=passage,
                pricing_file=settings.pricing_file,
            )
        except StudyBuddyError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        if image is not None and reply.image is not None:
            image.write_bytes(reply.image.data)
        if as_json:
            typer.echo(json.dumps(reply.data, ensure_ascii=False, indent=2))
        else:
            _print(reply, image)


def _read_stdin() -> str:
    data = sys.stdin.buffer.read(_STDIN_LIMIT_BYTES + 1)
    # Undecodable bytes become U+FFFD; a too-long text is reported by the length check.
    return data.decode("utf-8-sig", "replace")


def _print(reply: Reply, image: Path | None) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console()
    if reply.title:
        console.print(f"[bold]{reply.title}[/]", highlight=False)
    console.print(Markdown(reply.text))
    for src in reply.sources:
        console.print(f"[{src.n}] {src.title} — {src.path}", highlight=False, markup=False)
    if image is not None:
        console.print(f"picture written to {image}", style="dim", highlight=False)
