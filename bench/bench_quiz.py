"""1,000 concurrent answers to one quiz: how long, and whether any were lost or doubled.

Runs the real answer path (QuizService.answer: person upsert, quiz load, unique insert, FSRS
card on a miss) on a fresh SQLite file, and on a throwaway PostgreSQL database when one is
reachable. ``python -m bench.bench_quiz`` prints the JSON.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.actions import quiz_action
from bot.quiz import QuizService
from bot.replies import Actor, ChannelRef
from bot.storage import Database, upgrade
from bot.storage.models import Answer
from bot.storage.testing import postgres_reachable, temporary_postgres
from knowledge.types import QuizItem

ANSWERS = 1000
TARGET_SECONDS = 2.0
ITEM = QuizItem(
    id="bench-item",
    kind="mcq",
    question="Which mechanism lets every token look at every other token?",
    options=("convolution", "recurrence", "self-attention", "pooling"),
    answer=2,
    explanation="Self-attention compares each token with all the others.",
    source_title="Week 1 › Attention",
    source_path="llm-foundations-week1.md",
    topic="Attention",
)


async def _bench(url: str) -> dict:
    await upgrade(url)
    db = Database.from_url(url)
    try:
        service = QuizService(db, [ITEM])
        quiz_id = (await service.post_quiz(ChannelRef("bench", "c1"))).data["quiz_id"]
        clicks = [
            service.answer(Actor("bench", f"u{n}", f"Student {n}"), quiz_action(quiz_id, n % 4)) for n in range(ANSWERS)
        ]
        start = time.perf_counter()
        replies = await asyncio.gather(*clicks, return_exceptions=True)
        seconds = time.perf_counter() - start
        errors = [r for r in replies if isinstance(r, BaseException)]
        async with db.read() as s:
            rows = (await s.execute(select(func.count()).where(Answer.quiz_id == quiz_id))).scalar_one()
            people = (
                await s.execute(select(func.count(func.distinct(Answer.person_id))).where(Answer.quiz_id == quiz_id))
            ).scalar_one()
        return {
            "answers": ANSWERS,
            "seconds": round(seconds, 3),
            "answers_per_second": round(ANSWERS / seconds),
            "recorded": rows,
            "lost": ANSWERS - people,
            "doubled": rows - people,
            "errors": len(errors),
            "first_error": repr(errors[0]) if errors else None,
            "target_seconds": TARGET_SECONDS,
            "target_met": seconds <= TARGET_SECONDS and rows == people == ANSWERS and not errors,
        }
    finally:
        await db.dispose()


async def _run() -> dict:
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        result["sqlite"] = await _bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
    if postgres_reachable():
        async with temporary_postgres() as url:
            result["postgresql"] = await _bench(url)
    else:
        result["postgresql"] = {"skipped": "no PostgreSQL on 127.0.0.1:5432"}
    return result


def run() -> dict:
    return asyncio.run(_run())


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
