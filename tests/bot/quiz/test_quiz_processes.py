"""Exactly once across real OS processes: schedulers racing, a send slower than the lease, a kill mid-send.

Each scheduler is its own Python process on the shared database (SQLite file or PostgreSQL)
and sends over HTTP to a fake platform in this test, which counts what it received and what
channels would show. "Posted once" is checked on the platform's side, not only in our rows.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from aiohttp import web

from bot.quiz import QuizService
from bot.replies import ChannelRef
from tests.bot.quiz.conftest import make_bank

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
FIRE = datetime(2025, 3, 27, 9, 0, tzinfo=timezone.utc)
LEASE = 4.0  # seconds; the workers bound their work to a third of it and each send to half of that


class FakePlatform:
    """A chat platform on 127.0.0.1: records every POST; shows one message per key when ``dedup``
    (Discord's nonce), else every accepted POST. ``delay`` holds the first request before accepting it;
    ``hold`` accepts at once but holds the response (a process can die waiting for it)."""

    def __init__(self, *, dedup: bool = True, delay: float = 0.0, hold: float = 0.0) -> None:
        self.dedup, self.delay, self.hold = dedup, delay, hold
        self.posts: list[dict] = []
        self.messages: list[dict] = []
        self.keys: dict[str, str] = {}
        self.received = asyncio.Event()
        self.released = asyncio.Event()  # ends every held response when the test is done

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posts.append(body)
        self.received.set()
        if self.delay and len(self.posts) == 1:  # only the first request is slow
            await asyncio.sleep(self.delay)
            if request.transport is None or request.transport.is_closing():
                return web.Response(status=499)  # the sender gave up before we accepted it: nothing shown
        key = body.get("key")
        if self.dedup and key in self.keys:
            return web.json_response({"id": self.keys[key]})
        message_id = f"m{len(self.messages) + 1}"
        self.messages.append(body)
        if key:
            self.keys[key] = message_id
        if self.hold:
            try:
                await asyncio.wait_for(self.released.wait(), self.hold)
            except TimeoutError:
                pass
        return web.json_response({"id": message_id})

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_post("/post", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/post"

    async def __aexit__(self, *exc) -> None:
        self.released.set()
        await self._runner.cleanup()

    def quiz_messages(self) -> list[dict]:
        return [m for m in self.messages if not m["reveal"]]


async def _worker(db_url: str, url: str, owner: str, now: datetime) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.bot.quiz.race_worker", "--db", db_url, "--platform-url", url,
        "--now", now.isoformat(), "--owner", owner, "--lease", str(LEASE), "--send-timeout", "30",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def _posted(proc: asyncio.subprocess.Process) -> list[int]:
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    return json.loads(out.decode().strip().splitlines()[-1])


async def _schedule(db, channels: list[str]) -> None:
    service = QuizService(db, make_bank(), clock=lambda: FIRE - timedelta(hours=3))
    for channel in channels:
        await service.schedule(ChannelRef("discord", channel), time(9, 0), "UTC")


async def test_four_processes_race_every_slot(db, db_url):
    """Four scheduler processes at the same second over twelve channels: twelve posts, one per channel."""
    channels = [f"c{i}" for i in range(12)]
    await _schedule(db, channels)
    platform = FakePlatform(dedup=False)
    async with platform as url:
        procs = [await _worker(db_url, url, f"p{i}", FIRE + timedelta(seconds=5)) for i in range(4)]
        posted = [await _posted(p) for p in procs]
    assert sorted(q for ids in posted for q in ids) == sorted(set(q for ids in posted for q in ids))
    assert len(platform.posts) == 12  # not even a duplicate attempt reached the platform
    assert Counter(m["channel"] for m in platform.quiz_messages()) == {c: 1 for c in channels}


async def test_send_slower_than_the_lease_posts_once(db, db_url):
    """A live process whose send hangs past the lease abandons it in time; the next process's send is
    the one channels see, once, even on a platform with no idempotency key."""
    await _schedule(db, ["slow"])
    platform = FakePlatform(dedup=False, delay=LEASE + 1)
    async with platform as url:
        first = await _worker(db_url, url, "first", FIRE + timedelta(seconds=5))
        await asyncio.wait_for(platform.received.wait(), timeout=120)
        # While the first process is still alive and its send still hanging, the lease runs out for a second.
        second = await _worker(db_url, url, "second", FIRE + timedelta(seconds=5 + LEASE + 0.5))
        (quiz_id,) = await _posted(second)
        assert await _posted(first) == []  # it gave up on its send instead of completing it late
        await asyncio.sleep(LEASE + 1.5)  # let the first, abandoned request run out on the platform's side
    assert len(platform.posts) == 2
    assert [m["quiz_id"] for m in platform.quiz_messages()] == [quiz_id]  # the same quiz, shown once


async def test_process_killed_mid_send_is_taken_over_once(db, db_url):
    """A process killed after the platform accepted its post: after the lease another process sends the same
    quiz under the same key, and the platform (Discord's nonce) still shows one message."""
    await _schedule(db, ["killed"])
    platform = FakePlatform(dedup=True, hold=60)
    async with platform as url:
        victim = await _worker(db_url, url, "victim", FIRE + timedelta(seconds=5))
        await asyncio.wait_for(platform.received.wait(), timeout=120)
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        platform.hold = 0.0
        early = await _worker(db_url, url, "early", FIRE + timedelta(seconds=5 + LEASE / 2))
        assert await _posted(early) == []  # inside the lease: the slot is still the victim's
        heir = await _worker(db_url, url, "heir", FIRE + timedelta(seconds=5 + LEASE + 1))
        (quiz_id,) = await _posted(heir)
    assert [p["key"] for p in platform.posts] == [platform.posts[0]["key"]] * 2
    assert [m["quiz_id"] for m in platform.quiz_messages()] == [quiz_id]
