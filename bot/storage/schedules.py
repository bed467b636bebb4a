"""Daily schedules and the (channel, local date) slot claims that make each post happen once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update

from bot.storage.dialect import insert
from bot.storage.engine import Database
from bot.storage.models import Channel, Schedule, SlotClaim

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    channel_pk: int
    platform: str
    platform_channel_id: str
    hour: int
    minute: int
    timezone: str
    updated_at: datetime


class ScheduleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set(self, channel_pk: int, hour: int, minute: int, tz: str, now: datetime) -> None:
        async with self.db.write() as s:
            values = dict(hour=hour, minute=minute, timezone=tz, updated_at=now)
            await s.execute(
                insert(s, Schedule)
                .values(channel_id=channel_pk, **values)
                .on_conflict_do_update(index_elements=["channel_id"], set_=values)
            )
            # The channel's timezone also decides its streak days and leaderboard weeks.
            await s.execute(update(Channel).where(Channel.id == channel_pk).values(timezone=tz))

    async def remove(self, channel_pk: int) -> bool:
        async with self.db.write() as s:
            result = await s.execute(
                delete(Schedule).where(Schedule.channel_id == channel_pk).returning(Schedule.channel_id)
            )
            return result.scalar_one_or_none() is not None

    async def get(self, channel_pk: int) -> ScheduleRow | None:
        rows = await self._select(Schedule.channel_id == channel_pk)
        return rows[0] if rows else None

    async def all(self) -> list[ScheduleRow]:
        return await self._select()

    async def _select(self, *where) -> list[ScheduleRow]:
        async with self.db.read() as s:
            rows = await s.execute(
                select(Schedule, Channel).join(Channel, Channel.id == Schedule.channel_id).where(*where)
            )
            return [
                ScheduleRow(
                    sc.channel_id,
                    ch.platform,
                    ch.platform_channel_id,
                    sc.hour,
                    sc.minute,
                    sc.timezone,
                    sc.updated_at,
                )
                for sc, ch in rows
            ]

    async def slot_status(self, channel_pk: int, slot_date: date) -> SlotClaim | None:
        async with self.db.read() as s:
            return await s.get(SlotClaim, (channel_pk, slot_date))

    async def claim(self, channel_pk: int, slot_date: date, owner: str, now: datetime, lease: timedelta) -> bool:
        """Claim the slot; True for exactly one caller.

        A claim left behind by a process that died before posting is taken over once its lease
        has expired, so a crash delays the post instead of losing it.
        """
        async with self.db.write() as s:
            won = await _insert_slot(s, channel_pk, slot_date, "claimed", owner, now)
            if won:
                return True
            taken_over = (
                await s.execute(
                    update(SlotClaim)
                    .where(
                        SlotClaim.channel_id == channel_pk,
                        SlotClaim.slot_date == slot_date,
                        SlotClaim.status == "claimed",
                        SlotClaim.claimed_at < now - lease,
                    )
                    .values(claimed_at=now, owner=owner)
                    .returning(SlotClaim.channel_id)
                )
            ).scalar_one_or_none()
            if taken_over is not None:
                log.warning("took over a stale claim for channel %d slot %s", channel_pk, slot_date)
            return taken_over is not None

    async def skip(self, channel_pk: int, slot_date: date, owner: str, now: datetime) -> bool:
        """Record a slot as skipped (missed beyond the grace window); True the first time only."""
        async with self.db.write() as s:
            return await _insert_slot(s, channel_pk, slot_date, "skipped", owner, now)

    async def mark_posted(self, channel_pk: int, slot_date: date, owner: str, quiz_id: int) -> bool:
        async with self.db.write() as s:
            result = await s.execute(
                update(SlotClaim)
                .where(
                    SlotClaim.channel_id == channel_pk,
                    SlotClaim.slot_date == slot_date,
                    SlotClaim.owner == owner,
                )
                .values(status="posted", quiz_id=quiz_id)
                .returning(SlotClaim.channel_id)
            )
            return result.scalar_one_or_none() is not None

    async def release(self, channel_pk: int, slot_date: date, owner: str) -> None:
        """Give a claim back after a failed send so the next attempt can post the slot."""
        async with self.db.write() as s:
            await s.execute(
                delete(SlotClaim).where(
                    SlotClaim.channel_id == channel_pk,
                    SlotClaim.slot_date == slot_date,
                    SlotClaim.owner == owner,
                    SlotClaim.status == "claimed",
                )
            )


async def _insert_slot(s, channel_pk: int, slot_date: date, status: str, owner: str, now: datetime) -> bool:
    """Insert the (channel, date) slot row; True only for the one caller whose row went in."""
    row = (
        await s.execute(
            insert(s, SlotClaim)
            .values(channel_id=channel_pk, slot_date=slot_date, status=status, claimed_at=now, owner=owner)
            .on_conflict_do_nothing(index_elements=["channel_id", "slot_date"])
            .returning(SlotClaim.channel_id)
        )
    ).scalar_one_or_none()
    return row is not None
