"""Schedules with a controllable clock: exactly-once slots, DST, restarts, grace, failed sends."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.actions import quiz_action
from bot.errors import UserInputError
from bot.quiz import QuizScheduler, QuizService
from bot.replies import Actor, ChannelRef
from bot.storage import Database

pytestmark = pytest.mark.asyncio

CH = ChannelRef("slack", "C042")
PARIS = "Europe/Paris"
STUDENT = Actor("slack", "U1", "Ada")


def _sched(service, poster, **kw) -> QuizScheduler:
    """A scheduler that posts for the channels' platforms through ``poster``."""
    sched = QuizScheduler(service, **kw)
    for platform in ("slack", "discord"):
        sched.attach(platform, poster)
    return sched


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


async def test_schedule_commands(service):
    """schedule / status / unschedule per channel; bad input is a clear error."""
    reply = await service.schedule(CH, time(9, 0), PARIS)
    assert reply.data == {"hour": 9, "minute": 0, "timezone": PARIS}
    assert "09:00" in (await service.status(CH)).text
    with pytest.raises(UserInputError):
        await service.schedule(CH, time(9, 0), "Nowhere/Land")
    assert "unscheduled" in (await service.unschedule(CH)).text
    assert "No daily quiz" in (await service.status(CH)).text


async def test_daily_loop_across_days_and_dst(service, clock, poster, bank):
    """schedule → post → answer → reveal → streak, over the spring DST change in Paris."""
    clock.set(utc(2025, 3, 27, 6, 0))  # Thu 07:00 Paris
    await service.schedule(CH, time(9, 0), PARIS)
    sched = _sched(service, poster, grace=timedelta(minutes=60))
    posts_utc = []
    # Thu 27, Fri 28, Sat 29 (CET, 08:00 UTC), Sun 30, Mon 31 (CEST, 07:00 UTC)
    for day in range(27, 32):
        fire = utc(2025, 3, day, 8 if day < 30 else 7, 0)
        clock.set(fire - timedelta(minutes=1))
        assert await sched.run_due() == []  # not yet
        await sched.close_due()
        clock.set(fire)
        (quiz_id,) = await sched.run_due()
        assert await sched.run_due() == []  # the slot is taken
        posts_utc.append(clock())
        item_id = poster.quizzes()[-1].data["item_id"]
        item = next(i for i in bank if i.id == item_id)
        clock.advance(minutes=5)
        reply = await service.answer(STUDENT, quiz_action(quiz_id, item.answer))
        assert reply.data["correct"]
    assert [p.hour for p in posts_utc] == [8, 8, 8, 7, 7]
    # Every daily quiz was revealed just before the next one, in order.
    kinds = ["Q" if r.buttons else "R" for _, r in poster.sent]
    assert kinds == ["Q", "R", "Q", "R", "Q", "R", "Q", "R", "Q"]
    assert await service.streak(STUDENT, CH) == 5
    # Skipping Tuesday breaks the streak by Wednesday.
    clock.set(utc(2025, 4, 2, 12))
    assert await service.streak(STUDENT, CH) == 0
    topics = [r.data["topic"] for r in poster.quizzes()]
    assert all(a != b for a, b in zip(topics, topics[1:], strict=False))


async def test_two_schedulers_post_each_slot_once(db_url, db, bank, clock, new_poster):
    """Two scheduler processes (own engines) on one database race for every slot; each posts once."""
    clock.set(utc(2025, 3, 27, 6))
    svc_a = QuizService(db, bank, clock=clock)
    second_db = Database.from_url(db_url)
    try:
        svc_b = QuizService(second_db, bank, clock=clock)
        channels = [ChannelRef("discord", f"c{i}") for i in range(5)]
        for ch in channels:
            await svc_a.schedule(ch, time(7, 0), PARIS)
        poster_a, poster_b = new_poster(), new_poster()
        a = _sched(svc_a, poster_a)
        b = _sched(svc_b, poster_b)
        for day in (27, 28, 29, 30):
            clock.set(utc(2025, 3, day, 6 if day < 30 else 5, 0, 1))
            await asyncio.gather(a.run_due(), b.run_due(), a.run_due(), b.run_due())
        posted = [ch for ch, _ in poster_a.sent + poster_b.sent if _.buttons]
        assert len(posted) == 5 * 4
        assert sorted(set(posted), key=str) == sorted(set(channels), key=str)
    finally:
        await second_db.dispose()


async def test_restart_mid_slot(service, clock, poster, new_poster):
    """A process that claimed and died: a restart inside the lease waits; after it, posts once."""
    clock.set(utc(2025, 3, 27, 6))
    await service.schedule(CH, time(9, 0), "UTC")
    row = await service.channel(CH)
    clock.set(utc(2025, 3, 27, 9, 0))
    dead = _sched(service, new_poster(), owner="dead")
    assert await service.schedules.claim(row.id, date(2025, 3, 27), "dead", clock(), dead.claim_lease)
    clock.advance(minutes=2)
    restarted = _sched(service, poster, claim_lease=timedelta(minutes=5))
    assert await restarted.run_due() == []
    clock.advance(minutes=4)
    assert len(await restarted.run_due()) == 1
    assert await restarted.run_due() == []
    assert await dead.run_due() == []
    assert len(poster.quizzes()) == 1


async def test_restart_after_posting_does_not_repost(service, clock, poster):
    """A restart later the same day finds the slot posted and stays quiet."""
    clock.set(utc(2025, 3, 27, 6))
    await service.schedule(CH, time(9, 0), "UTC")
    clock.set(utc(2025, 3, 27, 9, 0, 5))
    assert len(await _sched(service, poster).run_due()) == 1
    clock.advance(minutes=20)
    assert await _sched(service, poster).run_due() == []
    assert len(poster.quizzes()) == 1


@pytest.mark.parametrize("late_minutes, posts", [(30, 1), (90, 0)])
async def test_missed_slot_grace(service, clock, poster, caplog, late_minutes, posts):
    """Down at slot time: sent once at start within the grace window, else skipped and logged once."""
    clock.set(utc(2025, 3, 27, 6))
    await service.schedule(CH, time(9, 0), "UTC")
    clock.set(utc(2025, 3, 27, 9) + timedelta(minutes=late_minutes))
    sched = _sched(service, poster, grace=timedelta(minutes=60))
    with caplog.at_level(logging.WARNING, logger="bot.quiz.scheduler"):
        await sched.run_due()
        await sched.run_due()
    assert len(poster.quizzes()) == posts
    assert sum("skipped quiz slot" in r.getMessage() for r in caplog.records) == 1 - posts


async def test_new_schedule_does_not_post_past_slot(service, clock, poster):
    """Scheduling 09:00 at 09:30 waits for tomorrow instead of posting a 'missed' slot."""
    clock.set(utc(2025, 3, 27, 9, 30))
    await service.schedule(CH, time(9, 0), "UTC")
    assert await _sched(service, poster).run_due() == []


async def test_failed_send_is_retried_with_the_same_quiz(service, clock, poster):
    """A failed send gives the slot back; the retry sends the same quiz under the same key, once."""
    clock.set(utc(2025, 3, 27, 6))
    await service.schedule(CH, time(9, 0), "UTC")
    clock.set(utc(2025, 3, 27, 9))
    poster.fail_next = 1
    sched = _sched(service, poster)
    assert await sched.run_due() == []
    first = (await service.status(CH)).data["open_quiz"]
    clock.advance(seconds=30)
    assert await sched.run_due() == [first]
    assert len(poster.quizzes()) == 1 and poster.quizzes()[0].data["quiz_id"] == first
    assert await sched.run_due() == []


async def test_slot_missed_after_a_failed_send_discards_the_unsent_quiz(service, clock, poster):
    """A slot that keeps failing past the grace window is skipped and its never-seen quiz forgotten."""
    clock.set(utc(2025, 3, 27, 6))
    await service.schedule(CH, time(9, 0), "UTC")
    clock.set(utc(2025, 3, 27, 9))
    poster.fail_next = 1
    sched = _sched(service, poster, grace=timedelta(minutes=60))
    assert await sched.run_due() == []
    clock.set(utc(2025, 3, 27, 10, 30))
    assert await sched.run_due() == []
    assert (await service.status(CH)).data["open_quiz"] is None
    assert poster.quizzes() == []


async def test_apscheduler_rebuilt_from_database(service, clock, poster):
    """At start the AsyncIOScheduler gets one cron job per stored schedule, in local time."""
    clock.set(utc(2025, 3, 29, 12))
    await service.schedule(CH, time(9, 0), PARIS)
    await service.schedule(ChannelRef("discord", "d1"), time(18, 30), "America/New_York")
    sched = _sched(service, poster, sweep_seconds=3600)
    await sched.start()
    try:
        jobs = sched.jobs()
        assert len(jobs) == 2
        trigger = jobs[(await service.channel(CH)).id].trigger
        after_dst = trigger.get_next_fire_time(None, utc(2025, 3, 29, 12))
        assert after_dst.astimezone(timezone.utc) == utc(2025, 3, 30, 7)
        await service.unschedule(ChannelRef("discord", "d1"))
        await sched.changed()
        assert len(sched.jobs()) == 1
    finally:
        await sched.stop()
