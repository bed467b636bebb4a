"""Quizzes on Discord, end to end: buttons for several people, the reveal, a restart, the daily post sent once."""

from __future__ import annotations

from datetime import time

import pytest

from bot.app import build_app
from bot.quiz.scheduler import reveal_key
from bot.replies import Actor, ChannelRef
from tests.adapters.discord.support import bot_messages, button, buttons, ephemeral, running, text

pytestmark = pytest.mark.asyncio


def answer_of(app, quiz_message: dict) -> int:
    """The index of the right option, from the bank the app posts from (never hard-coded)."""
    question = quiz_message["embeds"][0]["description"].split("\n\n")[0]
    item = next(i for i in app.buddy.bank().items if i.question == question)
    return item.answer


async def test_a_quiz_clicked_by_several_people_then_revealed(app, bot, fake):
    """/quiz now posts one button per option; each click gets a private verdict (a second click is
    not counted again); a second /quiz now is refused privately; closing reveals the answer and the
    votes in the channel and disables the quiz's buttons; a late click hears that it closed."""
    [quiz] = await fake.answered(await fake.slash(fake.ada, "quiz", sub="now"))
    assert not ephemeral(quiz) and quiz["embeds"][0]["title"].startswith("Quiz #")
    options = buttons(quiz)
    assert 2 <= len(options) <= 5 and all(o["custom_id"].startswith("sb1:quiz:") for o in options)
    right = answer_of(app, quiz)
    wrong = (right + 1) % len(options)

    [ada] = await fake.answered(await fake.click(fake.ada, quiz, options[right]["custom_id"]))
    [bob] = await fake.answered(await fake.click(fake.bob, quiz, options[wrong]["custom_id"]))
    [cy] = await fake.answered(await fake.click(fake.cy, quiz, options[right]["custom_id"]))
    [again] = await fake.answered(await fake.click(fake.cy, quiz, options[wrong]["custom_id"]))
    assert all(ephemeral(m) for m in (ada, bob, cy, again))
    assert "Right!" in text(ada) and "Not quite" in text(bob) and "already answered" in text(again)

    [refused] = await fake.answered(await fake.slash(fake.bob, "quiz", sub="now"))
    assert ephemeral(refused) and "still open" in text(refused)

    [reveal] = await fake.answered(await fake.slash(fake.owner, "quiz", sub="close"))
    assert not ephemeral(reveal) and reveal["embeds"][0]["title"].endswith("closed")
    assert "3 answers" in text(reveal) and f"{right + 1}. " in text(reveal)
    await fake.wait_until(lambda: fake.calls("PATCH", rf"/channels/\d+/messages/{quiz['id']}"))
    closed = next(m for m in fake.history() if m["id"] == quiz["id"])
    assert all(b["disabled"] for b in buttons(closed)) and "Closed" in closed["embeds"][0]["footer"]["text"]
    assert [m["id"] for m in bot_messages(fake)] == [quiz["id"], reveal["id"]]  # nothing else went public

    [late] = await fake.answered(await fake.click(fake.owner, quiz, options[right]["custom_id"]))
    assert ephemeral(late) and "closed" in text(late)


async def test_scores_charts_and_review_after_a_quiz(app, bot, fake, clock):
    """After a quiz: the leaderboard is public, a student's accuracy chart is a private attachment,
    and a missed item comes back in a private review card whose buttons work."""
    [quiz] = await fake.answered(await fake.slash(fake.ada, "quiz", sub="now"))
    right = answer_of(app, quiz)
    options = buttons(quiz)
    await fake.answered(await fake.click(fake.ada, quiz, options[right]["custom_id"]))
    await fake.answered(await fake.click(fake.bob, quiz, options[(right + 1) % len(options)]["custom_id"]))

    [board] = await fake.answered(await fake.slash(fake.cy, "leaderboard", {"period": "all"}))
    assert not ephemeral(board) and board["embeds"][0]["title"] == "Leaderboard — all time"
    assert text(board).index("Ada") < text(board).index("Bob")

    [chart] = await fake.answered(await fake.slash(fake.ada, "stats"))
    assert ephemeral(chart) and chart["attachments"][0]["filename"] == "accuracy.png"
    assert chart["embeds"][0]["image"]["url"] == "attachment://accuracy.png"

    clock.advance(minutes=20)
    [card] = await fake.answered(await fake.slash(fake.bob, "review"))
    assert ephemeral(card) and all(b["custom_id"].startswith("sb1:review:") for b in buttons(card))
    [verdict] = await fake.answered(await fake.click(fake.bob, card, buttons(card)[right]["custom_id"]))
    assert ephemeral(verdict) and "Right!" in text(verdict)


async def test_quiz_buttons_still_work_after_a_restart(app, fake, settings, real_embedder, chroma_client, clock):
    """A quiz posted before a restart is answered after it: a new process, a new client that never
    saw the message, the same database; the click is routed by its action id alone."""
    async with running(app, fake):
        [quiz] = await fake.answered(await fake.slash(fake.ada, "quiz", sub="now"))
    right = answer_of(app, quiz)
    async with build_app(settings, embedder=real_embedder, chroma_client=chroma_client, clock=clock) as restarted:
        async with running(restarted, fake):
            [verdict] = await fake.answered(await fake.click(fake.bob, quiz, buttons(quiz)[right]["custom_id"]))
            assert ephemeral(verdict) and "Right!" in text(verdict)
            [status] = await fake.answered(await fake.slash(fake.bob, "quiz", sub="status"))
            assert "Open quiz #" in text(status)
    assert len(fake.identifies) == 2


async def test_the_daily_quiz_is_posted_once_even_when_its_send_is_retried(app, bot, fake, clock):
    """The scheduled post carries its slot key as the message nonce (enforce_nonce): when Discord
    accepted it but the answer was lost, the retry returns the same message, so the channel shows
    one quiz. The reveal goes out under its own key and marks the quiz closed. A Slack channel's
    slot is left for a Slack process."""
    owner = Actor("discord", fake.owner["id"], "owner", can_manage=True)
    slack_room = ChannelRef("slack", "C1")
    await fake.answered(await fake.slash(fake.owner, "quiz", {"time": "09:00", "timezone": "UTC"}, sub="schedule"))
    await app.buddy.schedule(slack_room, time(9, 0), "UTC", actor=owner)

    fake.stall("POST", rf"/channels/{fake.channel_id}/messages", seconds=30)
    app.scheduler.send_timeout = 0.5  # the lost answer: give up on the first send quickly
    clock.set(clock().replace(hour=9, minute=0, second=5))
    assert await app.scheduler.run_due() == []  # sent, but no answer came back: released for a retry
    posted = await app.scheduler.run_due()
    assert len(posted) == 1

    sends = fake.calls("POST", rf"/channels/{fake.channel_id}/messages")
    key = sends[0].body["nonce"]
    assert len(sends) == 2 and all(s.body["nonce"] == key and s.body["enforce_nonce"] for s in sends)
    assert key.startswith("sb") and key.endswith(clock().strftime("%Y%m%d")) and len(key) <= 25
    [daily] = [m for m in bot_messages(fake) if m["embeds"] and m["embeds"][0]["title"].startswith("Daily quiz")]
    assert len(buttons(daily)) >= 2
    assert (await app.buddy.status(slack_room)).data["open_quiz"] is None

    [verdict] = await fake.answered(await fake.click(fake.ada, daily, button(daily, f"{answer_of(app, daily) + 1}.")))
    assert "Right!" in text(verdict)
    clock.advance(hours=23, minutes=30)
    assert await app.scheduler.close_due() == 1
    reveal = fake.calls("POST", rf"/channels/{fake.channel_id}/messages")[-1]
    assert reveal.body["nonce"] == reveal_key(posted[0]) and "1 answer" in reveal.body["embeds"][0]["description"]
    closed = next(m for m in fake.history() if m["id"] == daily["id"])
    assert all(b["disabled"] for b in buttons(closed))
