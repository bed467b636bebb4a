"""Daily schedules and the (channel, local date) slot claims that make each post happen once.

The primary key (channel, local date) of ``slot_claims`` is the guarantee: one row per slot,
inserted with ON CONFLICT DO NOTHING, so exactly one process wins it. Every later change to
a claim is conditional on still owning it (owner and status in the WHERE clause).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import delete, select, update

from bot.storage.dialect import insert
from bot.storage.engine import Database
from bot.storage.models import Channel, Schedule, SlotClaim

log = logging.getLogger(__name__)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class Claim:
    """This process holds the (channel, local date) slot; ``quiz_id`` is an earlier attempt's quiz."""

    channel_pk: int
    slot_date: date
    owner: str
    quiz_id: int | None


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

    async def all(self, platforms: Collection[str] | None = None) -> list[ScheduleRow]:
        """Every schedule, or those of channels on ``platforms`` (what this process posts to)."""
        if platforms is None:
            return await self._select()
        return await self._select(Channel.platform.in_(sorted(platforms)))

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

    async def claim(self, channel_pk: int, slot_date: date, owner: str, now: datetime, lease: timedelta) -> Claim | None:
        """Claim the slot; a ``Claim`` for exactly one caller, None for everyone else.

        A claim whose lease has run out — its process died, or gave the slot back after a failed
        send — is taken over. The claim remembers the quiz made for the slot, so whoever takes
        it over re-sends that same quiz (under the same idempotency key) instead of making another.
        """
        async with self.db.write() as s:
            if await _insert_slot(s, channel_pk, slot_date, "claimed", owner, now):
                return Claim(channel_pk, slot_date, owner, None)
            row = (
                await s.execute(
                    update(SlotClaim)
                    .where(
                        SlotClaim.channel_id == channel_pk,
                        SlotClaim.slot_date == slot_date,
                        SlotClaim.status == "claimed",
                        SlotClaim.claimed_at < now - lease,
                    )
                    .values(claimed_at=now, owner=owner)
                    .returning(SlotClaim.quiz_id)
                )
            ).first()
            if row is None:
                return None
            log.info("took over the claim for channel %d slot %s", channel_pk, slot_date)
            return Claim(channel_pk, slot_date, owner, row.quiz_id)

    async def set_quiz(self, claim: Claim, quiz_id: int) -> bool:
        """Record the quiz made for a claimed slot (before it is sent); False if the claim was lost."""
        return await self._update_own(claim, quiz_id=quiz_id)

    async def mark_posted(self, claim: Claim, quiz_id: int) -> bool:
        return await self._update_own(claim, status="posted", quiz_id=quiz_id)

    async def release(self, claim: Claim) -> None:
        """Give a claim back after a failed send: its lease ends now, so the next sweep retries it."""
        await self._update_own(claim, claimed_at=_EPOCH)

    async def skip(self, channel_pk: int, slot_date: date, owner: str, now: datetime,
                   lease: timedelta) -> tuple[bool, int | None]:
        """Record a slot as skipped (missed beyond the grace window).

        (True, quiz id of an unsent attempt or None) the first time; (False, None) after.
        A claim still within its lease is left alone: its owner may be sending right now.
        """
        async with self.db.write() as s:
            if await _insert_slot(s, channel_pk, slot_date, "skipped", owner, now):
                return True, None
            row = (
                await s.execute(
                    update(SlotClaim)
                    .where(
                        SlotClaim.channel_id == channel_pk,
                        SlotClaim.slot_date == slot_date,
                        SlotClaim.status == "claimed",
                        SlotClaim.claimed_at < now - lease,
                    )
                    .values(status="skipped", owner=owner, claimed_at=now)
                    .returning(SlotClaim.quiz_id)
                )
            ).first()
            return (True, row.quiz_id) if row is not None else (False, None)

    async def _update_own(self, claim: Claim, **values) -> bool:
        async with self.db.write() as s:
            result = await s.execute(
                update(SlotClaim)
                .where(
                    SlotClaim.channel_id == claim.channel_pk,
                    SlotClaim.slot_date == claim.slot_date,
                    SlotClaim.owner == claim.owner,
                    SlotClaim.status == "claimed",
                )
                .values(**values)
                .returning(SlotClaim.channel_id)
            )
            return result.scalar_one_or_none() is not None


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
