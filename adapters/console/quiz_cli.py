"""``studybuddy quiz ...``: the quiz loop from a terminal, as a local console user and channel."""

from __future__ import annotations

import asyncio
import getpass
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from bot.quiz.console import handle_console_command
from bot.quiz.types import Actor, ChannelRef
from bot.replies import Reply

CONSOLE_CHANNEL = ChannelRef("console", "local")


def console_actor() -> Actor:
    name = getpass.getuser()
    return Actor("console", name, name)


def _print(reply: Reply, image_out: Path | None) -> None:
    typer.echo(reply.text)
    for src in reply.sources:
        typer.echo(f"[{src.n}] {src.title} ({src.path})")
    if reply.image is not None:
        path = image_out or Path(reply.image.filename)
        path.write_bytes(reply.image.data)
        typer.echo(f"(chart saved to {path})")


def register(app: typer.Typer, build_service: Callable) -> None:
    """Add the ``quiz`` command group. ``build_service()`` returns a migrated QuizService (or an
    awaitable of one); its database is disposed after each command."""
    quiz = typer.Typer(help="Daily concept quizzes in the terminal.", no_args_is_help=True)

    def run(line: str, image_out: Path | None = None) -> None:
        async def go() -> None:
            service = build_service()
            if inspect.isawaitable(service):
                service = await service
            try:
                for reply in await handle_console_command(service, console_actor(), CONSOLE_CHANNEL, line):
                    _print(reply, image_out)
            finally:
                await service.db.dispose()

        asyncio.run(go())

    @quiz.command("now")
    def now() -> None:
        """Post a quiz; answer it with `studybuddy quiz answer N`."""
        run("/quiz now")

    @quiz.command("answer")
    def answer(number: int) -> None:
        """Answer the open quiz by option number."""
        run(str(number))

    @quiz.command("close")
    def close() -> None:
        """Close the open quiz and show the reveal."""
        run("/quiz close")

    @quiz.command("schedule")
    def schedule(time: str, timezone: Annotated[str, typer.Argument(help="IANA zone, e.g. Europe/Paris")] = "") -> None:
        """Post a quiz every day at HH:MM (the bot must be running)."""
        run(f"/quiz schedule {time} {timezone}".strip())

    @quiz.command("unschedule")
    def unschedule() -> None:
        run("/quiz unschedule")

    @quiz.command("status")
    def status() -> None:
        run("/quiz status")

    @quiz.command("leaderboard")
    def leaderboard(period: Annotated[str, typer.Argument(help="week or all")] = "week") -> None:
        run(f"/leaderboard {period}")

    @quiz.command("review")
    def review(number: Annotated[int | None, typer.Argument(help="answer the shown card")] = None) -> None:
        run("/review" + (f" {number}" if number else ""))

    @quiz.command("stats")
    def stats(
        channel: Annotated[bool, typer.Option("--channel", help="channel participation instead of you")] = False,
        out: Annotated[Path | None, typer.Option("--out", help="where to save the PNG")] = None,
    ) -> None:
        run("/stats channel" if channel else "/stats", out)

    @quiz.command("bank")
    def bank(
        as_json: Annotated[bool, typer.Option("--json", help="Print the items as JSON.")] = False,
        rejected: Annotated[
            bool, typer.Option("--rejected", help="List what the quality gate dropped, and why.")
        ] = False,
    ) -> None:
        """List the quiz items: hand-written deck items first, then generated ones that passed the gate."""
        import json

        from rich.console import Console

        from adapters.console.bank_table import format_bank_table, format_rejected_table
        from bot.config import Settings
        from knowledge.notes import NotesMissingError
        from knowledge.quizbank import bank_to_json, load_bank, rejected_to_json

        try:
            quiz_bank = load_bank(Settings().notes_dir)
        except NotesMissingError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        # Deck problems go to stderr so `--json` output stays parseable.
        for problem in quiz_bank.problems:
            typer.echo(f"deck: {problem}", err=True)
        if as_json:
            rows = rejected_to_json(quiz_bank.rejected) if rejected else bank_to_json(quiz_bank.items)
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif rejected:
            Console().print(format_rejected_table(quiz_bank.rejected))
        else:
            Console().print(format_bank_table(quiz_bank.items, curated=quiz_bank.curated))

    app.add_typer(quiz, name="quiz")
