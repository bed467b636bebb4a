"""``studybuddy tokenize TEXT [--json] [--image FILE] [--ids] [--special]`` (``-`` reads standard input).

A terminal has no message limit, so every token, split word and finding is
printed (through a pager when it is taller than the terminal). The notes'
passage on tokenization is found by its words, not by the embedding model, so
the command starts in about a second.
"""

from __future__ import annotations

import codecs
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from bot.errors import StudyBuddyError
from bot.replies import Reply, Source

log = logging.getLogger(__name__)

_READ_CHUNK = 1 << 16


# The click exceptions typer raises: its own vendored copy in recent typer, click itself in older ones.
_click_errors = sys.modules[typer.BadParameter.__module__]


class _TokenizeCommand(TyperCommand):
    """Says how to tokenize a text that starts with ``-`` instead of only rejecting it as an option."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except _click_errors.NoSuchOption as exc:
            raise _click_errors.UsageError(
                f"{exc.format_message()}\nTo tokenize text that starts with '-', put -- before it: "
                "studybuddy tokenize -- '-your text'",
                ctx,
            ) from None


def default_passage(notes_dir: Path) -> Source | None:
    """The notes' passage on tokenization by keyword (no embedding model); None if the notes lack one."""
    from knowledge.errors import ConfigError
    from knowledge.tokenization.passage import notes_passage

    try:
        found = notes_passage(notes_dir)
    except ConfigError as exc:  # no notes folder: the explanation stands without a citation
        log.warning("no notes passage to cite: %s", exc)
        return None
    if found is None:
        return None
    return Source(n=1, title=found.title, path=found.path, text=found.text, score=found.score)


def register(app: typer.Typer, passage_lookup: Callable[[], Source | None] | None = None) -> None:
    """Add the ``tokenize`` command to ``app``.

    ``passage_lookup`` returns the notes' passage on tokenization to cite
    (:func:`default_passage` on the settings' notes folder when None); it is
    only called for the human-readable output (``--json`` skips the notes).
    """

    @app.command("tokenize", cls=_TokenizeCommand)
    def tokenize(
        ctx: typer.Context,
        text: Annotated[str, typer.Argument(help="The text to tokenize, or - to read it from standard input.")],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print name, count and tokens per tokenizer as JSON.")
        ] = False,
        image: Annotated[
            Path | None,
            typer.Option("--image", help="Also draw every token as PNG: FILE, then FILE-2.png, ... for a long text.",
                         metavar="FILE"),
        ] = None,
        ids: Annotated[bool, typer.Option("--ids", help="Show each token's id under it.")] = False,
        special: Annotated[
            bool, typer.Option("--special", help="Encode special-token strings (<|endoftext|>, [CLS]) as control "
                                                 "tokens, as the libraries do when allowed.")
        ] = False,
    ) -> None:
        """How real tokenizers (GPT-4o, GPT-4, BERT WordPiece, Mistral SentencePiece) cut TEXT, and why."""
        from bot.config import Settings
        from bot.tokenization.reply import explain_text
        from knowledge.tokenization.analysis import prepare_text

        if image is not None:
            _check_image_path(image)
        if text == "-":
            text = _read_stdin()
        try:
            prepare_text(text)  # a too-long or empty text is refused before anything loads
        except StudyBuddyError as exc:
            _fail(str(exc))
        root = ctx.find_root().obj  # the studybuddy command's settings, when it made them
        settings = root if isinstance(root, Settings) else Settings()
        passage = None
        if not as_json:
            passage = passage_lookup() if passage_lookup is not None else default_passage(settings.notes_dir)
        columns = _columns()
        try:
            reply, report = explain_text(
                text,
                show_ids=ids,
                notes_passage=passage,
                pricing_file=settings.pricing_file,
                max_message_chars=None,
                special_tokens=special,
                columns=columns,
            )
        except StudyBuddyError as exc:
            _fail(str(exc))
        written = _write_pictures(report, image) if image is not None else []
        if as_json:
            typer.echo(json.dumps(reply.data, ensure_ascii=False, indent=2))
        else:
            _print(reply, written)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _check_image_path(path: Path) -> None:
    """Refuse, before any work, a picture path that cannot be written."""
    if path.is_dir():
        _fail(f"--image {path} is a folder; give a file name such as {path / 'tokens.png'}")
    if not path.parent.is_dir():
        _fail(f"--image {path}: the folder {path.parent} does not exist; create it or pick another path")


def page_paths(path: Path, pages: int) -> list[Path]:
    """``tokens.png``, ``tokens-2.png``, ``tokens-3.png``, ... for the pages of one picture."""
    suffix = path.suffix or ".png"
    return [path] + [path.with_name(f"{path.stem}-{i}{suffix}") for i in range(2, pages + 1)]


def _write_pictures(report, path: Path) -> list[Path]:
    from knowledge.tokenization.image import render_pages

    pages = render_pages(report)
    paths = page_paths(path, len(pages))
    for target, data in zip(paths, pages, strict=True):
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError as exc:
            _fail(f"cannot write the picture to {target}: {exc.strerror}")
    return paths


def _read_stdin() -> str:
    """Standard input as text; undecodable bytes become U+FFFD, and stderr says how many.

    Past what can be ``MAX_CHARS`` characters, the rest is only counted (one
    character per byte that does not continue a UTF-8 sequence), so a huge
    paste is refused quickly, with its true length.
    """
    from knowledge.tokenization.analysis import MAX_CHARS, check_length

    stream = sys.stdin.buffer
    keep = 4 * MAX_CHARS + 4
    data = stream.read(keep + 1)
    if len(data) > keep:
        chars = _count_chars(data)
        while chunk := stream.read(_READ_CHUNK):
            chars += _count_chars(chunk)
        try:
            check_length(chars)
        except StudyBuddyError as exc:
            _fail(str(exc))
    data = data.removeprefix(codecs.BOM_UTF8)
    escaped = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for ch in escaped if "\udc80" <= ch <= "\udcff") if not escaped.isascii() else 0
    if bad:
        typer.echo(f"note: standard input had {bad:,} bytes that are not UTF-8; they became U+FFFD (�)", err=True)
        return data.decode("utf-8", "replace")
    return escaped


def _count_chars(data: bytes) -> int:
    return len(data) - len(data.translate(None, _NOT_CONTINUATION))


_NOT_CONTINUATION = bytes(b for b in range(256) if not 0x80 <= b < 0xC0)


def _columns() -> int | None:
    import shutil

    return max(40, shutil.get_terminal_size((100, 24)).columns) if sys.stdout.isatty() else None


def _print(reply: Reply, pictures: list[Path]) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console()

    def body() -> None:
        if reply.title:
            console.print(f"[bold]{reply.title}[/]", highlight=False)
        console.print(Markdown(reply.text))
        for src in reply.sources:
            console.print(f"[{src.n}] {src.title} — {src.path}", highlight=False, markup=False)
        for path in pictures:
            console.print(f"picture written to {path}", style="dim", highlight=False)

    if console.is_terminal and reply.text.count("\n") + 10 > console.size.height:
        with console.pager(styles=True):
            body()
    else:
        body()
