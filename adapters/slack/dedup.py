"""Slack resends an event it thinks we missed (``X-Slack-Retry-Num``; the same ``event_id``) and
bolt runs the listener again for each copy. A store of seen event ids makes each event run once.

``EventDedupStore`` is the interface. ``SharedEventDedup`` asks the core (a table in the
shared database), so a retry that lands on another replica behind the load balancer is
recognised too; ``InMemoryEventDedupStore`` serves a process that opened no database.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

# Slack retries within about an hour (immediately, after 1 minute, after 5 minutes); keep ids well past it.
KEEP_SECONDS = 2 * 60 * 60
MAX_IDS = 100_000


class EventDedupStore(Protocol):
    async def claim(self, event_id: str) -> bool:
        """True exactly once per ``event_id``: the caller handles the event; False for a repeat."""
        ...


class SharedEventDedup:
    """Seen event ids in the bot's database, shared by every replica (``StudyBuddy.first_delivery``)."""

    def __init__(self, buddy) -> None:
        self.buddy = buddy

    async def claim(self, event_id: str) -> bool:
        return await self.buddy.first_delivery("slack", event_id)


class InMemoryEventDedupStore:
    """Event ids seen by this process in the last ``keep_seconds`` (bounded, oldest dropped first)."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS, max_ids: int = MAX_IDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.keep_seconds = keep_seconds
        self.max_ids = max_ids
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = asyncio.Lock()

    async def claim(self, event_id: str) -> bool:
        async with self._lock:
            now = self._clock()
            while self._seen and (len(self._seen) >= self.max_ids
                                  or next(iter(self._seen.values())) < now - self.keep_seconds):
                self._seen.popitem(last=False)
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            return True
