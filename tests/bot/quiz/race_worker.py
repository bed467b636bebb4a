"""One scheduler process for the exactly-once race tests: ``python -m tests.bot.quiz.race_worker``.

It opens the database, attaches a poster that sends over HTTP to the test's fake platform,
runs one ``run_due()`` at a fixed time and prints the quiz ids it posted as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime, timedelta

import aiohttp

from bot.quiz import QuizScheduler, QuizService
from bot.replies import ChannelRef, Reply
from bot.storage import Database
from tests.bot.quiz.conftest import make_bank


class HttpPoster:
    """Posts to the fake platform; the key travels as Discord's nonce would."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def post(self, channel: ChannelRef, reply: Reply, *, key: str | None = None) -> str | None:
        async with aiohttp.ClientSession() as session:
            body = {"channel": channel.channel_id, "key": key, "quiz_id": reply.data.get("quiz_id"),
                    "reveal": bool(reply.data.get("reveal"))}
            async with session.post(self.url, json=body) as response:
                response.raise_for_status()
                return (await response.json())["id"]


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--platform-url")
    ap.add_argument("--now")
    ap.add_argument("--owner")
    ap.add_argument("--lease", type=float)
    ap.add_argument("--send-timeout", type=float)
    args = ap.parse_args()
    now = datetime.fromisoformat(args.now)
    db = Database.from_url(args.db)
    try:
        service = QuizService(db, make_bank(), clock=lambda: now)
        scheduler = QuizScheduler(service, claim_lease=timedelta(seconds=args.lease), send_timeout=args.send_timeout,
                                  owner=args.owner)
        scheduler.attach("discord", HttpPoster(args.platform_url))
        posted = await scheduler.run_due()
    finally:
        await db.dispose()
    print(json.dumps(posted), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
