"""The whole loop in the console with numbered choices, no account needed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.quiz import Actor, ChannelRef
from bot.quiz.console import handle_console_command

pytestmark = pytest.mark.asyncio

ME = Actor("console", "me", "me")
HERE = ChannelRef("console", "local")


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


async def test_cli_group_registers(service):
    """`studybuddy quiz --help` lists the commands."""
    import typer

    from bot.quiz.cli import register

    app = typer.Typer()
    app.command("noop")(lambda: None)
    register(app, lambda: service)
    result = CliRunner().invoke(app, ["quiz", "--help"])
    assert result.exit_code == 0
    for name in ("now", "answer", "schedule", "unschedule", "status", "leaderboard", "review", "stats"):
        assert name in result.output
