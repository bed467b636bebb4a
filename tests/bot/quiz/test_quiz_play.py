"""Playing a quiz: post, private answers, duplicates, late clicks, reveal, leaderboard, review, stats."""

from __future__ import annotations

import asyncio

import pytest

from bot.actions import quiz_action
from bot.quiz import QuizScheduler
from bot.replies import Actor, ChannelRef, Period, Visibility

pytestmark = pytest.mark.asyncio

CH = ChannelRef("discord", "chan-1")


def actor(n: int) -> Actor:
    return Actor("discord", f"user-{n}", f"Student {n}")


def _revealer(service, poster) -> QuizScheduler:
    sched = QuizScheduler(service)
    sched.attach("discord", poster)
    return sched


async def _post(service):
    reply = await service.post_quiz(CH)
    return reply, reply.data["quiz_id"], reply.data["item_id"]


async def test_post_has_one_button_per_option(service):
    """`quiz now` posts the question publicly with one stable button per option."""
    reply, quiz_id, _ = await _post(service)
    assert reply.visibility is Visibility.PUBLIC
    assert [b.action_id for b in reply.buttons] == [quiz_action(quiz_id, i) for i in range(4)]
    assert all(len(b.action_id) <= 100 and len(b.label) <= 75 for b in reply.buttons)


async def test_answers_private_first_counts(service, bank):
    """Right/wrong privately with answer, explanation and note; the second click changes nothing."""
    reply, quiz_id, item_id = await _post(service)
    item = next(i for i in bank if i.id == item_id)
    right = await service.answer(actor(1), quiz_action(quiz_id, item.answer))
    wrong_option = (item.answer + 1) % 4
    wrong = await service.answer(actor(2), quiz_action(quiz_id, wrong_option))
    assert right.visibility is wrong.visibility is Visibility.PRIVATE
    assert right.data["correct"] and "Right" in right.text
    assert not wrong.data["correct"] and item.explanation in wrong.text
    assert item.options[item.answer] in wrong.text
    assert wrong.sources[0].title == item.source_title and wrong.sources[0].path == item.source_path
    again = await service.answer(actor(2), quiz_action(quiz_id, item.answer))
    assert again.data["duplicate"] and again.data["option"] == wrong_option
    assert "already answered" in again.text
    reveal = await service.reveal(quiz_id)
    assert reveal.data["counts"][item.answer] == 1 and reveal.data["counts"][wrong_option] == 1


async def test_late_click_is_refused(service, clock, poster, bank):
    """After the deadline the reveal goes out once and clicks get 'this quiz has closed'."""
    _, quiz_id, item_id = await _post(service)
    item = next(i for i in bank if i.id == item_id)
    await service.answer(actor(1), quiz_action(quiz_id, 0))
    clock.advance(hours=23, seconds=1)
    sched = _revealer(service, poster)
    assert await sched.close_due() == 1
    assert await sched.close_due() == 0
    (reveal,) = poster.reveals()
    assert reveal.visibility is Visibility.PUBLIC and item.explanation in reveal.text
    late = await service.answer(actor(3), quiz_action(quiz_id, item.answer))
    assert late.data["closed"] and "this quiz has closed" in late.text.lower()
    assert sum((await service.reveal(quiz_id)).data["counts"]) == 1


async def test_failed_reveal_is_retried(service, clock, new_poster):
    """A reveal that cannot be sent is released and sent by the next sweep."""
    await _post(service)
    clock.advance(hours=24)
    poster = new_poster()
    poster.fail_next = 1
    sched = _revealer(service, poster)
    assert await sched.close_due() == 0
    assert await sched.close_due() == 1


async def test_invalid_buttons(service):
    """Forged or stale action ids get a polite private message."""
    for action in ("sb1:quiz:999:0", "nonsense", "sb1:quiz:1:9", "quiz:1:0"):
        reply = await service.answer(actor(1), action)
        assert reply.visibility is Visibility.PRIVATE


async def test_concurrent_clicks_count_once(service, bank):
    """Fifty students each double-click at the same moment: fifty answers recorded."""
    _, quiz_id, item_id = await _post(service)
    clicks = [service.answer(actor(n), quiz_action(quiz_id, n % 4)) for n in range(50) for _ in range(2)]
    replies = await asyncio.gather(*clicks)
    assert sum(not r.data["duplicate"] for r in replies) == 50
    assert sum((await service.reveal(quiz_id)).data["counts"]) == 50


async def test_leaderboard_week_and_all(service, clock, bank):
    """Points are correct answers; 'week' starts on the channel's Monday."""
    for day in range(8):  # Thu 27 Mar .. Thu 3 Apr
        _, quiz_id, item_id = await _post(service)
        item = next(i for i in bank if i.id == item_id)
        await service.answer(actor(1), quiz_action(quiz_id, item.answer))
        if day >= 4:  # from Monday 31 March
            await service.answer(actor(2), quiz_action(quiz_id, item.answer))
        clock.advance(days=1)
    clock.advance(days=-1)
    week = await service.leaderboard(CH, Period.WEEK)
    alltime = await service.leaderboard(CH, Period.ALL)
    assert [(r["points"], r["streak"]) for r in week.data["rows"]] == [(4, 8), (4, 4)]
    assert [r["points"] for r in alltime.data["rows"]] == [8, 4]
    assert "Student 1" in alltime.text


async def test_display_names_are_neutralised(service, bank):
    """A display name cannot inject markup or a mention into the leaderboard."""
    _, quiz_id, item_id = await _post(service)
    await service.answer(Actor("discord", "evil", "@everyone **boss**"), quiz_action(quiz_id, 0))
    text = (await service.leaderboard(CH, Period.ALL)).text
    assert "@everyone" not in text and "**boss**" not in text


async def test_miss_goes_to_review_and_reschedules(service, clock, bank):
    """A missed item becomes a card due soon; review answers reschedule it, once per click."""
    _, quiz_id, item_id = await _post(service)
    item = next(i for i in bank if i.id == item_id)
    student = actor(7)
    await service.answer(student, quiz_action(quiz_id, (item.answer + 1) % 4))
    assert (await service.review(student)).data["due"] == 0  # due in a minute, not yet
    clock.advance(minutes=15)
    card = await service.review(student)
    assert card.visibility is Visibility.PRIVATE and item.question in card.text
    right = next(b for b in card.buttons if b.action_id.endswith(f":{item.answer}"))
    result = await service.answer(student, right.action_id)
    assert result.data["correct"] and "You will see this card again in 10 minutes" in result.text
    again = await service.answer(student, right.action_id)
    assert "already answered" in again.text
    other = await service.review(actor(8))
    assert other.data["due"] == 0
    assert "not yours" in (await service.answer(actor(8), right.action_id)).text


async def test_stats_png(service, bank):
    """`stats` renders a PNG for a student and for the channel."""
    _, quiz_id, item_id = await _post(service)
    await service.answer(actor(1), quiz_action(quiz_id, 0))
    mine = await service.stats(actor=actor(1))
    chan = await service.stats(channel=CH)
    for reply in (mine, chan):
        assert reply.image.data.startswith(b"\x89PNG")
    assert mine.visibility is Visibility.PRIVATE
    assert "No answers yet" in (await service.stats(actor=actor(99))).text
