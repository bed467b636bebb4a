"""Scheduled quizzes in Slack: posted to the channel that asked, once, even when a send is retried
after Slack accepted it; the reveal closes the quiz message."""

from __future__ import annotations

import pytest

from adapters.slack.poster import EVENT_TYPE
from bot.replies import ChannelRef
from tests.adapters.slack.conftest import ADMIN, CHANNEL
from tests.adapters.slack.test_slack_http import buttons, shown

pytestmark = pytest.mark.asyncio


class AnswerLost:
    """A poster whose send reaches Slack but whose answer never comes back (a timeout after acceptance)."""

    def __init__(self, poster) -> None:
        self.poster = poster

    async def post(self, channel, reply, *, key=None):
        await self.poster.post(channel, reply, key=key)
        raise TimeoutError("Slack's answer was lost")


async def test_a_retried_slot_finds_its_message_instead_of_posting_twice(slack, fake, app, clock):
    """The daily quiz carries its slot key in message metadata; the retry of a send whose answer was lost
    finds that message in the channel's history and records it, so the channel sees one quiz."""
    await fake.command("quiz", "schedule 09:00 UTC", user=ADMIN, channel=CHANNEL)
    await fake.wait_for("chat.postMessage")
    await app.attach("slack", AnswerLost(slack.poster))
    clock.set(clock().replace(hour=9, minute=0, second=5))  # 09:00 UTC, the slot
    assert await app.scheduler.run_due() == []  # sent, but the process never learnt it: the slot is retried

    await app.attach("slack", slack.poster)  # catches up at once: the slot is sent again, under its key
    quiz_id = await app.buddy.open_quiz(ChannelRef("slack", CHANNEL))
    quizzes = [m for m in fake.messages(CHANNEL) if (m.get("metadata") or {}).get("event_type") == EVENT_TYPE]
    assert len(quizzes) == 1 and "Daily quiz #" in shown(quizzes[0]) and buttons(quizzes[0])
    assert len(fake.called("chat.postMessage")) == 2  # the schedule confirmation and one quiz
    history = fake.called("conversations.history")
    assert history and all(str(c.args["include_all_metadata"]).lower() in ("true", "1") for c in history)

    # The quiz closes before the next day's: the reveal goes to the channel and the quiz message closes.
    clock.advance(hours=24)
    assert await app.scheduler.close_due() >= 1
    [update] = await fake.wait_for("chat.update")
    assert update.args["ts"] == quizzes[0]["ts"]
    closed = next(m for m in fake.messages(CHANNEL) if m["ts"] == quizzes[0]["ts"])
    assert not buttons(closed) and f"Quiz #{quiz_id} closed" in shown(closed)
    assert shown(fake.messages(CHANNEL)[-1]).startswith(f"Quiz #{quiz_id} closed\nThe answer was")


async def test_a_keyed_post_is_looked_up_before_posting(slack, fake):
    """Two posts under one key (a takeover by another process) give one Slack message and the same ts;
    another key posts anew."""
    from bot.replies import Reply

    channel = ChannelRef("slack", CHANNEL)
    first = await slack.poster.post(channel, Reply("Daily quiz body", title="Daily quiz #1"), key="sb1d20250328")
    again = await slack.poster.post(channel, Reply("Daily quiz body", title="Daily quiz #1"), key="sb1d20250328")
    other = await slack.poster.post(channel, Reply("Daily quiz body", title="Daily quiz #2"), key="sb1d20250329")
    assert first == again != other
    assert len(fake.called("chat.postMessage")) == 2
