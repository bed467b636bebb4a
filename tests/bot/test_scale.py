"""Three replicas on one Chroma server and one PostgreSQL: nothing done twice, nothing lost.

Three apps, each built through the one builder with its own database engine and its own
Chroma client, share a real `chroma run` server and the machine's PostgreSQL, as three
containers would. Only the first builds the index; the others wait for it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, time, timezone

import pytest

from bot.app import Parts, build_app
from bot.replies import Actor, ChannelRef
from bot.storage import Database
from bot.storage.testing import truncate_all
from tests.support import FakeClock, chroma_server

pytestmark = [pytest.mark.asyncio, pytest.mark.slow, pytest.mark.postgres]

OWNER = Actor("discord", "owner", "Owner", can_manage=True)


class CountingPoster:
    """A platform that shows every post it accepts (no idempotency key), so any double post would show."""

    def __init__(self, shown: list) -> None:
        self.shown = shown

    async def post(self, channel, reply, *, key=None):
        self.shown.append((channel.channel_id, reply.data.get("reveal", False), reply))
        return f"m{len(self.shown)}"


async def test_three_replicas_share_state_without_double_work(settings, real_embedder, postgres_url, tmp_path):
    """Over a simulated week three replicas post every daily quiz once, handle each duplicated event once and
    record every click once; the two replicas started without ingest wait for the first one's index."""
    clock = FakeClock(datetime(2025, 3, 24, 6, 0, tzinfo=timezone.utc))  # a Monday
    shown: list = []
    with chroma_server(tmp_path / "chroma") as chroma_url:
        shared = settings.model_copy(update={"chroma_url": chroma_url, "database_url": postgres_url})
        builder = build_app(shared, embedder=real_embedder, clock=clock)
        replicas = [build_app(shared.model_copy(update={"data_dir": tmp_path / f"r{i}"}), embedder=real_embedder,
                              clock=clock, parts=Parts(ingest=False, wait_for_index=True)) for i in (1, 2)]
        waiting = [asyncio.create_task(r.start()) for r in replicas]
        await asyncio.sleep(1)
        assert not any(t.done() for t in waiting) and "waiting for the index" in replicas[0].status
        apps = [await builder.start(), *await asyncio.gather(*waiting)]
        try:
            for app in apps:
                await app.attach("discord", CountingPoster(shown))
            channels = [ChannelRef("discord", f"c{i}") for i in range(5)]
            for i, channel in enumerate(channels):
                await apps[i % 3].buddy.schedule(channel, time(9, 0), "Europe/Paris", actor=OWNER)

            for day in range(7):
                clock.set(datetime(2025, 3, 24 + day, 7 if day < 6 else 6, 59, tzinfo=timezone.utc))
                await asyncio.gather(*(a.scheduler.sweep() for a in apps))
                clock.set(datetime(2025, 3, 24 + day, 8 if day < 6 else 7, 0, 30, tzinfo=timezone.utc))
                await asyncio.gather(*(a.scheduler.run_due() for a in apps for _ in range(2)))

            quizzes = Counter(ch for ch, reveal, _ in shown if not reveal)
            reveals = Counter(r.data["quiz_id"] for _, reveal, r in shown if reveal)
            assert quizzes == {c.channel_id: 7 for c in channels}  # Sunday 30 March is DST day in Paris
            assert set(reveals.values()) == {1} and len(reveals) == 5 * 6

            events = [f"Ev{i}" for i in range(40)]
            deliveries = [apps[(i + k) % 3].buddy.first_delivery("slack", e)
                          for i, e in enumerate(events) for k in range(3)]
            firsts = await asyncio.gather(*deliveries)
            assert sum(firsts) == len(events)

            quiz = next(r for ch, reveal, r in reversed(shown) if not reveal and ch == "c0")
            quiz_id = quiz.data["quiz_id"]
            buttons = quiz.buttons
            clicks = [apps[n % 3].buddy.press(Actor("discord", f"s{n}", f"Student {n}"), channels[0],
                                              buttons[n % len(buttons)].action_id) for n in range(30) for _ in range(2)]
            replies = await asyncio.gather(*clicks)
            assert sum(not r.data.get("duplicate") for r in replies) == 30
            assert sum((await apps[2].quiz.reveal(quiz_id)).data["counts"]) == 30

            answer = await apps[1].buddy.ask("what is RAG?")  # the waiting replicas read the shared index
            assert answer.data["grounded"]
        finally:
            for app in apps:
                await app.stop()
            db = Database.from_url(postgres_url)
            await truncate_all(db)
            await db.dispose()
