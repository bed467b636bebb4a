"""Platform events handled exactly once across replicas.

Slack resends an event it thinks was missed (the same ``event_id``), and behind a load
balancer the copy may reach another replica. The primary key (platform, event id) decides:
the one insert that goes in handles the event. Rows older than ``keep`` are pruned now and
then; Slack stops retrying within the hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.storage.dialect import insert
from bot.storage.engine import Database
from bot.storage.models import DeliveredEvent

KEEP = timedelta(hours=2)
PRUNE_EVERY = 500  # claims between prunes, per process


class EventStore:
    def __init__(self, db: Database, keep: timedelta = KEEP) -> None:
        self.db = db
        self.keep = keep
        self._claims = 0

    async def claim(self, platform: str, event_id: str, now: datetime) -> bool:
        """True for exactly one caller per (platform, event id), across processes."""
        async with self.db.write() as s:
            inserted = (
                await s.execute(
                    insert(s, DeliveredEvent)
                    .values(platform=platform, event_id=event_id[:128], seen_at=now)
                    .on_conflict_do_nothing(index_elements=["platform", "event_id"])
                    .returning(DeliveredEvent.event_id)
                )
            ).scalar_one_or_none()
            self._claims += 1
            if self._claims % PRUNE_EVERY == 0:
                await s.execute(delete(DeliveredEvent).where(DeliveredEvent.seen_at < now - self.keep))
            return inserted is not None
