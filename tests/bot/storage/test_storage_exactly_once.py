"""Exactly-once comes from the database: unique rows and conditional updates, not locks."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.storage.quizzes import QuizStore
from bot.storage.schedules import ScheduleStore

pytestmark = pytest.mark.asyncio

T0 = datetime(2025, 3, 28, 9, 0, tzinfo=timezone.utc)
ITEM = dict(
    id="item-1",
    kind="mcq",
    question="Which?",
    options=["a", "b", "c", "d"],
    answer=2,
    explanation="Because c.",
    source_title="Notes › C",
    source_path="notes.md",
    topic="C",
)


def _miss(stored, now):
    return {"due": (now + timedelta(minutes=1)).isoformat(), "n": (stored or {}).get("n", 0) + 1}


async def _quiz(db) -> tuple[QuizStore, int]:
    store = QuizStore(db)
    ch = await store.channel("discord", "c1")
    quiz_id = await store.create_quiz(ch.id, ITEM, "manual", T0.date(), T0, T0 + timedelta(hours=1))
    return store, quiz_id


async def test_concurrent_answers_recorded_once_each(db):
    """200 people clicking at once, some twice, give exactly one answer row each."""
    store, quiz_id = await _quiz(db)
    clicks = [(f"u{i}", i % 4) for i in range(200)] + [(f"u{i}", (i + 1) % 4) for i in range(0, 200, 7)]
    outcomes = await asyncio.gather(*(store.record_answer("discord", u, u, quiz_id, o, T0, _miss) for u, o in clicks))
    recorded = [o for o in outcomes if o.status == "recorded"]
    assert len(recorded) == 200
    assert sum(o.status == "duplicate" for o in outcomes) == len(clicks) - 200
    counts = await store.option_counts(quiz_id)
    assert sum(counts.values()) == 200
    assert counts[2] == 50


async def test_closed_quiz_records_nothing(db):
    """A click after the deadline is refused and not stored."""
    store, quiz_id = await _quiz(db)
    out = await store.record_answer("discord", "u", "U", quiz_id, 1, T0 + timedelta(hours=2), _miss)
    assert out.status == "closed"
    assert await store.option_counts(quiz_id) == {}


async def test_reveal_claimed_by_one_caller(db):
    """Concurrent sweepers: each due quiz is returned to exactly one of them."""
    store, quiz_id = await _quiz(db)
    later = T0 + timedelta(hours=1)
    results = await asyncio.gather(*(store.claim_due_reveals(later) for _ in range(8)))
    assert sorted(q for r in results for q in r) == [quiz_id]
    await store.release_reveal(quiz_id)
    assert await store.claim_due_reveals(later) == [quiz_id]


async def test_slot_claimed_once_then_released(db):
    """One of many claimants wins; a released claim can be won again; a stale one taken over."""
    quizzes = QuizStore(db)
    ch = await quizzes.channel("slack", "C1")
    store = ScheduleStore(db)
    day = date(2025, 3, 28)
    lease = timedelta(minutes=5)
    claims = await asyncio.gather(*(store.claim(ch.id, day, f"p{i}", T0, lease) for i in range(10)))
    (winner,) = [c for c in claims if c is not None]
    assert await store.claim(ch.id, day, "late", T0 + timedelta(minutes=1), lease) is None
    assert await store.set_quiz(winner, 41)
    await store.release(winner)
    again = await store.claim(ch.id, day, "again", T0 + timedelta(minutes=2), lease)
    assert again is not None and again.quiz_id == 41  # the retry sends the same quiz
    # "again" dies without posting: after the lease someone else may take it over, once.
    later = T0 + timedelta(minutes=8)
    takeovers = [c for c in await asyncio.gather(*(store.claim(ch.id, day, f"t{i}", later, lease) for i in range(5)))
                 if c is not None]
    assert len(takeovers) == 1 and takeovers[0].quiz_id == 41
    assert not await store.mark_posted(again, 41)  # the dead owner cannot complete it any more
    assert await store.mark_posted(takeovers[0], 41)
    assert await store.claim(ch.id, day, "x", later + timedelta(hours=1), lease) is None
    assert (await store.slot_status(ch.id, day)).status == "posted"
