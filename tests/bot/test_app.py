"""The whole app through its one builder and its one facade, rendered by a second, tiny surface.

``TinySurface`` is an adapter written from the public API alone: it turns replies into plain
text and clicks buttons by passing their action ids back. If the core's internals leaked
into what a surface needs, this test would have to reach for them.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.errors import UserInputError, error_reply
from bot.replies import Actor, ChannelRef, Period, Reply, Turn, Visibility

pytestmark = pytest.mark.asyncio

ROOM = ChannelRef("tiny", "room-1")
ADA = Actor("tiny", "u-ada", "Ada")
BOB = Actor("tiny", "u-bob", "Bob")
OWNER = Actor("tiny", "u-owner", "Owner", can_manage=True)


class TinySurface:
    """A text surface with buttons: shows replies as text, clicks by label, posts scheduled quizzes."""

    def __init__(self, buddy) -> None:
        self.buddy = buddy
        self.channel_log: list[str] = []
        self.private_log: list[str] = []

    def show(self, reply: Reply) -> str:
        parts = [f"== {reply.title} ==" if reply.title else "", reply.text]
        parts += [f"[{s.n}] {s.title} ({s.path})" for s in reply.sources]
        parts += [f"<{b.label}>" for b in reply.buttons]
        if reply.image is not None:
            parts.append(f"(image {reply.image.filename}: {reply.image.alt})")
        text = "\n".join(p for p in parts if p)
        (self.private_log if reply.visibility is Visibility.PRIVATE else self.channel_log).append(text)
        return text

    async def click(self, actor: Actor, reply: Reply, label_start: str) -> Reply:
        button = next(b for b in reply.buttons if b.label.startswith(label_start))
        return await self.buddy.press(actor, ROOM, button.action_id)

    async def post(self, channel: ChannelRef, reply: Reply, *, key: str | None = None) -> str | None:
        self.show(reply)
        return f"msg-{len(self.channel_log)}"


async def test_every_facade_method_through_a_second_surface(app, clock):
    """Ask, follow up, vote, quiz me, tokenize, quiz, answer, close, schedule, leaderboard, review,
    stats and help all work from the public API and render as plain text."""
    buddy = app.buddy
    surface = TinySurface(buddy)

    answer = await buddy.ask("what is RAG?", actor=ADA, channel=ROOM)
    shown = surface.show(answer)
    assert answer.data["grounded"] and "[1]" in shown and "llm-foundations-week1.md" in shown
    assert [b.label for b in answer.buttons][:2] == ["👍 Helpful", "👎 Not helpful"]

    follow = await buddy.ask("and what are its benefits?", actor=ADA, channel=ROOM,
                             conversation=(Turn("what is RAG?"), Turn(answer.text, by_bot=True)))
    assert follow.data["standalone_question"].endswith("(rag)")
    assert follow.data["grounded"] and any("RAG" in s.title for s in follow.sources)

    thanks = await surface.click(BOB, answer, "👎")
    assert thanks.visibility is Visibility.PRIVATE and thanks.data["helpful"] is False
    changed = await surface.click(BOB, answer, "👍")
    assert changed.data["helpful"] is True
    assert await buddy.votes(answer.data["answer_id"]) == (1, 0)  # one person, one vote

    assert [b.label for b in answer.buttons][2] == "Quiz me on this"  # the bank has RAG items
    card = await surface.click(ADA, answer, "Quiz me")
    assert card.visibility is Visibility.PRIVATE and card.title == "Quiz me" and card.buttons
    cited = {s.title for s in answer.sources}
    assert any(i.question in card.text and i.source_title in cited for i in buddy.bank().items)
    result = await surface.click(ADA, card, "1.")
    assert "correct" in result.data

    outside = await buddy.ask("how do I bake sourdough bread?", actor=ADA, channel=ROOM)
    assert not outside.data["grounded"] and "don't cover" in outside.text and not outside.buttons

    tokens = await buddy.tokenize("unbelievable 🤯", image=True, max_chars=2000)
    shown = surface.show(tokens)
    assert "o200k" in shown and tokens.image is not None and len(tokens.text) <= 2000

    quiz = await buddy.quiz_now(ROOM)
    surface.show(quiz)
    await buddy.quiz_posted(quiz.data["quiz_id"], "msg-quiz")
    with pytest.raises(UserInputError, match="still open"):
        await buddy.quiz_now(ROOM)
    item = next(i for i in buddy.bank().items if i.id == quiz.data["item_id"])
    right = await surface.click(ADA, quiz, f"{item.answer + 1}.")
    assert right.data["correct"] and right.visibility is Visibility.PRIVATE
    wrong = await buddy.answer_number(BOB, ROOM, (item.answer + 1) % len(item.options) + 1)
    assert wrong.data["correct"] is False
    with pytest.raises(UserInputError, match="manage"):
        await buddy.quiz_close(ROOM, actor=ADA)
    reveal = await buddy.quiz_close(ROOM, actor=OWNER)
    assert reveal.data["reveal"] and reveal.data["message_id"] == "msg-quiz" and sum(reveal.data["counts"]) == 2
    surface.show(reveal)

    board = await buddy.leaderboard(ROOM, Period.ALL)
    assert [r["points"] for r in board.data["rows"]] == [1, 0] and "Ada" in surface.show(board)

    clock.advance(minutes=20)
    card = await buddy.review(BOB)
    assert card.buttons and item.question in card.text
    done = await buddy.review_number(BOB, item.answer + 1)
    assert done.data["correct"]

    mine = await buddy.stats(actor=ADA)
    theirs = await buddy.stats(channel=ROOM)
    assert mine.image is not None and theirs.image is not None

    with pytest.raises(UserInputError, match="manage"):
        await buddy.schedule(ROOM, time(9, 0), "Europe/Paris", actor=ADA)
    await buddy.schedule(ROOM, time(9, 0), "Europe/Paris", actor=OWNER)
    assert "09:00" in (await buddy.status(ROOM)).text
    assert "Europe/Paris" in buddy.timezones("europe/par")

    help_text = surface.show(buddy.help())
    assert "/ask" in help_text and "/quiz schedule" in help_text

    # Scheduled: the surface attaches as this platform's poster and the daily quiz arrives.
    posted_before = len(surface.channel_log)
    await app.attach("tiny", surface)
    clock.set(clock().replace(day=28, hour=8, minute=0, second=5))  # 09:00 in Paris
    await app.scheduler.run_due()
    assert len(surface.channel_log) == posted_before + 1 and "Daily quiz #" in surface.channel_log[-1]

    assert "unscheduled" in (await buddy.unschedule(ROOM, actor=OWNER)).text


async def test_a_process_posts_only_for_platforms_it_attached(app, clock):
    """A process that attached only Slack never claims a Discord channel's slot."""
    buddy = app.buddy
    discord_room, slack_room = ChannelRef("discord", "d1"), ChannelRef("slack", "s1")
    await buddy.schedule(discord_room, time(9, 0), "UTC", actor=OWNER)
    await buddy.schedule(slack_room, time(9, 0), "UTC", actor=OWNER)
    slack = TinySurface(buddy)
    await app.attach("slack", slack)
    clock.set(clock() + timedelta(hours=3, seconds=5))  # 09:00:05 UTC
    posted = await app.scheduler.run_due()
    assert len(posted) == 1 and len(slack.channel_log) == 1
    assert (await buddy.status(discord_room)).data["open_quiz"] is None  # left for a Discord process


async def test_any_exception_becomes_a_private_reply_without_internals(caplog):
    """User errors pass through; setup trouble and bugs become an apology with a reference id, logged once."""
    from bot.errors import DependencyError

    assert error_reply(UserInputError("Give a time, e.g. 09:00.")).text == "Give a time, e.g. 09:00."
    with caplog.at_level("ERROR", logger="bot.errors"):
        down = error_reply(DependencyError("cannot reach the Chroma server at http://x:1"))
        bug = error_reply(ZeroDivisionError("division by zero"))
    for reply in (down, bug):
        assert reply.visibility is Visibility.PRIVATE and reply.data["ref"] in reply.text
        assert "Chroma" not in reply.text and "ZeroDivision" not in reply.text and "Traceback" not in reply.text
    logged = [r for r in caplog.records if bug.data["ref"] in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None
