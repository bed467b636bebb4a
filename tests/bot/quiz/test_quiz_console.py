"""The whole loop in the console with numbered choices, no account needed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.quiz import Actor, ChannelRef
from bot.quiz.console import handle_console_command

ME = Actor("console", "me", "me")
HERE = ChannelRef("console", "local")


@pytest.mark.asyncio
async def test_console_loop(service, bank, clock):
    """quiz now → answer by number → close/reveal → leaderboard → review → stats."""

    async def say(line):
        return await handle_console_command(service, ME, HERE, line)

    assert await say("what is attention?") == []
    (question,) = await say("/quiz now")
    item = next(i for i in bank if i.id == question.data["item_id"])
    wrong = (item.answer + 1) % 4 + 1
    (mine,) = await say(str(wrong))
    assert mine.data["correct"] is False
    (again,) = await say(str(item.answer + 1))
    assert again.data["duplicate"]
    (reveal,) = await say("/quiz close")
    assert reveal.data["counts"][wrong - 1] == 1
    (late,) = await say("1")
    assert "no open quiz" in late.text
    (board,) = await say("/leaderboard all")
    assert board.data["rows"][0]["answered"] == 1
    clock.advance(minutes=30)
    (card,) = await say("/review")
    assert item.question in card.text
    (done,) = await say(f"/review {item.answer + 1}")
    assert done.data["correct"]
    (chart,) = await say("/stats")
    assert chart.image is not None
    (err,) = await say("/quiz schedule 9am")
    assert "HH:MM" in err.text
    (status,) = await say("/quiz status")
    assert "No daily quiz" in status.text


@pytest.mark.asyncio
async def test_cli_group_registers(service):
    """`studybuddy quiz --help` lists the commands."""
    import typer

    from adapters.console.quiz_cli import register

    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app, lambda: service)
    result = CliRunner().invoke(app, ["quiz", "--help"])
    assert result.exit_code == 0
    for name in ("now", "answer", "schedule", "unschedule", "status", "leaderboard", "review", "stats"):
        assert name in result.output


def test_cli_quiz_loop_on_sqlite_file(tmp_path, bank):
    """`studybuddy quiz now|answer|close|leaderboard|stats` against a real SQLite file."""
    import asyncio

    import typer

    from adapters.console.quiz_cli import register
    from bot.quiz import QuizService
    from bot.storage import Database, upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    asyncio.run(upgrade(url))
    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app, lambda: QuizService(Database.from_url(url), bank))
    runner = CliRunner()
    posted = runner.invoke(app, ["quiz", "now"])
    assert posted.exit_code == 0 and "1. alpha" in posted.output
    answered = runner.invoke(app, ["quiz", "answer", "2"])
    assert answered.exit_code == 0 and "The answer:" in answered.output
    assert "already answered" in runner.invoke(app, ["quiz", "answer", "3"]).output
    assert "Quiz closed" in runner.invoke(app, ["quiz", "close"]).output
    assert "1 answered" in runner.invoke(app, ["quiz", "leaderboard", "all"]).output
    chart = tmp_path / "me.png"
    assert runner.invoke(app, ["quiz", "stats", "--out", str(chart)]).exit_code == 0
    assert chart.read_bytes().startswith(b"\x89PNG")
