"""Daily quiz posting with APScheduler, made exactly-once by slot claims in the database.

APScheduler only decides *when* to look; *whether* to post is decided by ``run_due()``, which
computes each channel's latest slot from the clock and claims (channel, local date) in the
database before sending. So a second process, a restart mid-slot or a retried job never posts
twice, and the logic is testable with a fake clock and no timers.

One window cannot be closed without platform support: a process that dies after the platform
accepted the message but before recording it leaves a stale claim, which another process takes
over after ``claim_lease`` and posts again. The lease keeps that window to a crash in the middle
of a single HTTP call.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.quiz.service import QuizService
from bot.quiz.timing import latest_fire, zone
from bot.quiz.types import ChannelRef, Poster
from bot.storage.schedules import ScheduleRow

log = logging.getLogger(__name__)

SWEEP_JOB = "quiz-sweep"


class QuizScheduler:
    def __init__(
        self,
        service: QuizService,
        poster: Poster,
        *,
        grace: timedelta = timedelta(minutes=60),
        claim_lease: timedelta = timedelta(minutes=5),
        sweep_seconds: float = 30.0,
        owner: str | None = None,
    ) -> None:
        self.service = service
        self.poster = poster
        self.grace = grace
        self.claim_lease = claim_lease
        self.sweep_seconds = sweep_seconds
        # Identifies this process's claims; only the owner may release or complete them.
        self.owner = owner or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._aps: AsyncIOScheduler | None = None
        self._jobs: dict[int, tuple[int, int, str]] = {}

    # The decision ------------------------------------------------------------------------

    async def run_due(self, channel_pk: int | None = None) -> list[int]:
        """Post every slot that is due now and unclaimed; returns the quiz ids posted."""
        posted = []
        schedules = await self.service.schedules.all()
        for sched in schedules:
            if channel_pk is None or sched.channel_pk == channel_pk:
                quiz_id = await self._run_slot(sched)
                if quiz_id is not None:
                    posted.append(quiz_id)
        return posted

    async def _run_slot(self, sched: ScheduleRow) -> int | None:
        now = self.service.clock()
        slot_date, fire_at = latest_fire(sched.hour, sched.minute, sched.timezone, now)
        if fire_at < sched.updated_at:
            return None  # the slot came before this schedule existed
        existing = await self.service.schedules.slot_status(sched.channel_pk, slot_date)
        if existing is not None and existing.status != "claimed":
            return None  # posted or skipped already: the common case, answered by a read
        if now - fire_at > self.grace:
            if await self.service.schedules.skip(sched.channel_pk, slot_date, self.owner, now):
                log.warning(
                    "skipped quiz slot %s for channel %d: missed by %s (grace %s)",
                    slot_date,
                    sched.channel_pk,
                    now - fire_at,
                    self.grace,
                )
            return None
        if not await self.service.schedules.claim(sched.channel_pk, slot_date, self.owner, now, self.claim_lease):
            return None
        return await self._post_claimed(sched, slot_date)

    async def _post_claimed(self, sched: ScheduleRow, slot_date) -> int | None:
        channel = ChannelRef(sched.platform, sched.platform_channel_id)
        store = self.service.schedules
        try:
            # The previous day's reveal goes out first so it never lands after the new question.
            await self.service.close_due(self.poster, channel)
            row = await self.service.channel(channel)
            made = await self.service.create_quiz(row, kind="daily", now=self.service.clock(), slot_date=slot_date)
        except BaseException:
            await store.release(sched.channel_pk, slot_date, self.owner)
            raise
        if made is None:
            log.warning("no quiz items: slot %s for channel %d not posted", slot_date, sched.channel_pk)
            await store.release(sched.channel_pk, slot_date, self.owner)
            return None
        quiz_id, reply = made
        try:
            message_id = await self.poster.post(channel, reply)
        except Exception:
            log.exception("posting quiz slot %s to channel %d failed; claim released", slot_date, sched.channel_pk)
            await self.service.discard_quiz(quiz_id)
            await store.release(sched.channel_pk, slot_date, self.owner)
            return None
        await self.service.quizzes.set_message_id(quiz_id, message_id)
        if not await store.mark_posted(sched.channel_pk, slot_date, self.owner, quiz_id):
            log.error("claim for channel %d slot %s was taken over while posting", sched.channel_pk, slot_date)
        log.info("posted daily quiz %d to channel %d for %s", quiz_id, sched.channel_pk, slot_date)
        return quiz_id

    async def sweep(self) -> None:
        """Periodic: reveals past their deadline, missed or retried slots, schedule changes
        made by other processes."""
        await self.service.close_due(self.poster)
        await self.run_due()
        if self._aps is not None:
            await self.resync()

    # APScheduler wiring ------------------------------------------------------------------

    async def start(self) -> None:
        """Catch up (missed slots within grace, overdue reveals), then start the timers."""
        self.service.on_schedule_change = self._on_change
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._aps.add_job(
            self._guard(self.sweep),
            IntervalTrigger(seconds=self.sweep_seconds),
            id=SWEEP_JOB,
            coalesce=True,
            max_instances=1,
        )
        await self.resync()
        self._aps.start()
        await self.sweep()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        self.service.on_schedule_change = None

    async def resync(self) -> None:
        """Make the cron jobs match the schedules table (the table is the truth)."""
        wanted = {s.channel_pk: (s.hour, s.minute, s.timezone) for s in await self.service.schedules.all()}
        for channel_pk in set(self._jobs) - set(wanted):
            self._aps.remove_job(self._job_id(channel_pk))
            del self._jobs[channel_pk]
        for channel_pk, spec in wanted.items():
            if self._jobs.get(channel_pk) == spec:
                continue
            hour, minute, tz = spec
            self._aps.add_job(
                self._guard(self.run_due, channel_pk),
                # Cron in the channel's zone keeps the wall-clock time across DST changes.
                CronTrigger(hour=hour, minute=minute, timezone=zone(tz)),
                id=self._job_id(channel_pk),
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=int(self.grace.total_seconds()) or None,
                max_instances=1,
            )
            self._jobs[channel_pk] = spec
        log.debug("quiz scheduler has %d daily jobs", len(self._jobs))

    def jobs(self) -> dict[int, object]:
        """channel pk → APScheduler job (for status and tests)."""
        return {pk: self._aps.get_job(self._job_id(pk)) for pk in self._jobs} if self._aps else {}

    async def _on_change(self, channel_pk: int) -> None:
        if self._aps is not None:
            await self.resync()

    @staticmethod
    def _job_id(channel_pk: int) -> str:
        return f"quiz-daily:{channel_pk}"

    @staticmethod
    def _guard(fn, *args):
        # APScheduler logs and drops job exceptions; log them here with context instead,
        # and keep the timer alive (the next sweep retries whatever failed).
        async def job():
            try:
                await fn(*args)
            except Exception:
                log.exception("quiz job %s failed", getattr(fn, "__name__", fn))

        return job
