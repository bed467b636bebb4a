"""``studybuddy quiz ...``: the quiz loop one command at a time, as the terminal's user and channel.

The same facade calls and the same quiz bank as the chat; a running chat (or ``make run``)
shows the scheduled posts.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from adapters.console.chat import CHANNEL, console_actor
from adapters.console.render import render
from bot.commands import parse_time
from bot.errors import UserInputError
from bot.replies import Period, Reply

# (ctx, work) -> the result of ``work(app)`` run on an app started with the quiz parts.
RunWithApp = Callable[[typer.Context, Callable[[object], Awaitable[object]]], object]


def _show(reply: Reply, image_out: Path | None = None) -> None:
    console = Console()
    render(console, dataclasses.replace(reply, image=None), Path("."))  # the chart goes to --out
    if reply.image is not None:
        path = image_out or Path(reply.image.filename)
        if not path.parent.is_dir():
            raise UserInputError(f"cannot save the chart: the folder {path.parent} does not exist")
        path.write_bytes(reply.image.data)
        typer.echo(f"(chart saved to {path})")


def register(app: typer.Typer, run_with_app: RunWithApp) -> None:
    """Add the ``quiz`` command group; ``run_with_app`` starts the app each command runs on."""
    quiz = typer.Typer(help="Daily concept quizzes in the terminal.", no_args_is_help=True)

    def one(ctx: typer.Context, call: Callable, image_out: Path | None = None) -> None:
        actor = console_actor()
        reply = run_with_app(ctx, lambda running: call(running.buddy, actor))
        _show(reply, image_out)

    @quiz.command("now")
    def now(ctx: typer.Context) -> None:
        """Post a quiz; answer it with `studybuddy quiz answer N`."""
        one(ctx, lambda b, a: b.quiz_now(CHANNEL))

    @quiz.command("answer")
    def answer(ctx: typer.Context, number: Annotated[int, typer.Argument(help="the option's number")]) -> None:
        """Answer the open quiz by option number."""
        one(ctx, lambda b, a: b.answer_number(a, CHANNEL, number))

    @quiz.command("close")
    def close(ctx: typer.Context) -> None:
        """Close the open quiz and show the reveal."""
        one(ctx, lambda b, a: b.quiz_close(CHANNEL, actor=a))

    @quiz.command("schedule")
    def schedule(ctx: typer.Context, at: Annotated[str, typer.Argument(metavar="HH:MM", help="24-hour local time")],
                 timezone: Annotated[str | None, typer.Argument(help="IANA zone, e.g. Europe/Paris")] = None) -> None:
        """Post a quiz every day at HH:MM (a running chat or bot posts it)."""
        when = parse_time(at)
        one(ctx, lambda b, a: b.schedule(CHANNEL, when, timezone, actor=a))

    @quiz.command("unschedule")
    def unschedule(ctx: typer.Context) -> None:
        one(ctx, lambda b, a: b.unschedule(CHANNEL, actor=a))

    @quiz.command("status")
    def status(ctx: typer.Context) -> None:
        one(ctx, lambda b, a: b.status(CHANNEL))

    @quiz.command("leaderboard")
    def leaderboard(ctx: typer.Context, period: Annotated[Period, typer.Argument()] = Period.WEEK) -> None:
        one(ctx, lambda b, a: b.leaderboard(CHANNEL, period))

    @quiz.command("review")
    def review(ctx: typer.Context,
               number: Annotated[int | None, typer.Argument(help="answer the shown card")] = None) -> None:
        """Your due review card; answer it with `studybuddy quiz review N`."""
        one(ctx, lambda b, a: b.review(a) if number is None else b.review_number(a, number))

    @quiz.command("stats")
    def stats(
        ctx: typer.Context,
        channel: Annotated[bool, typer.Option("--channel", help="channel participation instead of you")] = False,
        out: Annotated[Path | None, typer.Option("--out", help="where to save the PNG")] = None,
    ) -> None:
        one(ctx, lambda b, a: b.stats(channel=CHANNEL) if channel else b.stats(actor=a), out)

    @quiz.command("bank")
    def bank(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print the items as JSON.")] = False,
        rejected: Annotated[bool, typer.Option("--rejected", help="List what the quality gate dropped, and why.")] = False,
    ) -> None:
        """The quiz items the bot posts from (the same bank the chat and the scheduler use): hand-written
        deck items first, then generated ones that passed the quality gate."""
        from adapters.console.bank_table import format_bank_table, format_rejected_table
        from knowledge.quizbank import bank_to_json, rejected_to_json

        async def get(running):
            return running.buddy.bank()

        quiz_bank = run_with_app(ctx, get)
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
