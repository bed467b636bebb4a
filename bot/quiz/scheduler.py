"""Daily quiz posting with APScheduler, made exactly-once by slot claims in the database.

APScheduler only decides *when* to look; *whether* to post is decided by ``run_due()``, which
computes each channel's latest slot from the clock and claims (channel, local date) in the
database before sending. So a second process, a restart mid-slot or a retried job never posts
twice, and the logic is testable with a fake clock and no timers.

Per platform: a process posts only for the platforms whose ``Poster`` it attached. A
Slack-only process never claims a Discord channel's slot, so it cannot hold one it cannot send.

Slow sends. A claim has a lease (``claim_lease``, 5 minutes); a claim older than that is
taken over, because its process is presumed dead. A *live* process must therefore never
still be working on a slot when its lease runs out, or two processes would post. We bound
the work instead of renewing the lease: everything after the claim — closing the previous
quiz, making the new one, the send itself — runs under a deadline of at most a third of the
lease (``work_timeout``), and each send under ``send_timeout``. When a deadline passes the
send is abandoned (cancelled) and the claim given back. Bounding is simpler than renewal
(no background task per send, no "renewal failed mid-send" state) and the lease stays an
honest upper bound on how long a slot can be held.

What a deadline cannot decide is whether an abandoned send reached the platform. So the
quiz made for a slot is stored on the claim before it is sent, and whoever sends the slot
next — this process on the next sweep, or another after a crash — sends that same quiz with
the same idempotency ``key``. Discord de-duplicates on it (the message nonce with
``enforce_nonce``), so a retried or taken-over send shows up once. A platform without such a
key (Slack) can show a post twice only if a send timed out *after* the platform accepted it,
or the process died between the platform's acceptance and our recording it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import date, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.metrics import QUIZ_POSTS
from bot.ports import Poster
from bot.quiz.service import QuizService
from bot.quiz.timing import latest_fire, zone
from bot.replies import ChannelRef, Reply
from bot.storage.schedules import Claim, ScheduleRow

log = logging.getLogger(__name__)

SWEEP_JOB = "quiz-sweep"


def slot_key(channel_pk: int, slot_date: date) -> str:
    """The idempotency key of a daily post (≤ 25 characters: Discord's nonce limit)."""
    return f"sb{channel_pk}d{slot_date:%Y%m%d}"


def reveal_key(quiz_id: int) -> str:
    return f"sbr{quiz_id}"


class QuizScheduler:
    def __init__(
        self,
        service: QuizService,
        *,
        grace: timedelta = timedelta(minutes=60),
        claim_lease: timedelta = timedelta(minutes=5),
        send_timeout: float = 30.0,
        sweep_seconds: float = 30.0,
        owner: str | None = None,
    ) -> None:
        self.service = service
        self.grace = grace
        self.claim_lease = claim_lease
        # The whole post-claim work must end well inside the lease (see the module docstring).
        self.work_timeout = claim_lease.total_seconds() / 3
        self.send_timeout = min(send_timeout, self.work_timeout / 2)
        self.sweep_seconds = sweep_seconds
        # Identifies this process's claims; only the owner may release or complete them.
        self.owner = owner or f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._posters: dict[str, Poster] = {}
        self._aps: AsyncIOScheduler | None = None
        self._jobs: dict[int, tuple[int, int, str]] = {}

    # Platforms ---------------------------------------------------------------------------

    def attach(self, platform: str, poster: Poster) -> None:
        """This process now posts scheduled quizzes and reveals for ``platform``'s channels."""
        self._posters[platform] = poster

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(self._posters)

    # The decision ------------------------------------------------------------------------

    async def run_due(self, channel_pk: int | None = None) -> list[int]:
        """Post every slot that is due now and unclaimed on an attached platform; returns the quiz ids posted."""
        if not self._posters:
            return []
        posted = []
        for sched in await self.service.schedules.all(self.platforms):
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
        store = self.service.schedules
        existing = await store.slot_status(sched.channel_pk, slot_date)
        if existing is not None and existing.status != "claimed":
            return None  # posted or skipped already: the common case, answered by a read
        if now - fire_at > self.grace:
            skipped, unsent = await store.skip(sched.channel_pk, slot_date, self.owner, now, self.claim_lease)
            if skipped:
                log.warning("skipped quiz slot %s for channel %d: missed by %s (grace %s)",
                            slot_date, sched.channel_pk, now - fire_at, self.grace)
                if unsent is not None:
                    await self.service.discard_unsent(unsent)
            return None
        claim = await store.claim(sched.channel_pk, slot_date, self.owner, now, self.claim_lease)
        if claim is None:
            return None
        channel = ChannelRef(sched.platform, sched.platform_channel_id)
        try:
            async with asyncio.timeout(self.work_timeout):
                return await self._post_claimed(claim, channel)
        except Exception:
            # Includes TimeoutError: the work is abandoned and the slot retried (the same quiz,
            # the same key) on the next sweep, here or in another process.
            log.exception("posting quiz slot %s to channel %d failed; will retry", slot_date, claim.channel_pk)
            await store.release(claim)
            return None
        except BaseException:
            await store.release(claim)
            raise

    async def _post_claimed(self, claim: Claim, channel: ChannelRef) -> int | None:
        poster = self._posters[channel.platform]
        store = self.service.schedules
        if claim.quiz_id is not None:
            # An earlier attempt made this slot's quiz and may even have delivered it: send that one again.
            reply = await self.service.question_reply(claim.quiz_id)
            quiz_id = claim.quiz_id
        else:
            # The previous quiz's reveal goes out first so it never lands after the new question.
            await self._close_previous(channel)
            row = await self.service.channel(channel)
            made = await self.service.create_quiz(row, kind="daily", now=self.service.clock(), slot_date=claim.slot_date)
            if made is None:
                log.warning("no quiz items: slot %s for channel %d not posted", claim.slot_date, claim.channel_pk)
                await store.release(claim)
                return None
            quiz_id, reply = made
            if not await store.set_quiz(claim, quiz_id):
                await self.service.discard_unsent(quiz_id)
                log.error("claim for channel %d slot %s was lost before sending", claim.channel_pk, claim.slot_date)
                return None
        message_id = await self._send(poster, channel, reply, slot_key(claim.channel_pk, claim.slot_date))
        await self.service.quizzes.set_message_id(quiz_id, message_id)
        if not await store.mark_posted(claim, quiz_id):
            log.error("claim for channel %d slot %s was taken over while posting", claim.channel_pk, claim.slot_date)
        QUIZ_POSTS.labels(channel.platform, "daily").inc()
        log.info("posted daily quiz %d to channel %d for %s", quiz_id, claim.channel_pk, claim.slot_date)
        return quiz_id

    async def _send(self, poster: Poster, channel: ChannelRef, reply: Reply, key: str) -> str | None:
        async with asyncio.timeout(self.send_timeout):
            return await poster.post(channel, reply, key=key)

    async def _close_previous(self, channel: ChannelRef) -> None:
        """Close the channel's open quiz, if any, and post its reveal: the new quiz replaces it."""
        quiz_id = await self.service.close_open_quiz(channel)
        if quiz_id is not None:
            await self._post_reveal(quiz_id)

    async def close_due(self) -> int:
        """Post the reveal of every quiz past its deadline on an attached platform, each once across processes.

        A reveal that fails to send is released and retried on the next sweep.
        """
        if not self._posters:
            return 0
        sent = 0
        for quiz_id in await self.service.quizzes.claim_due_reveals(self.service.clock(), platforms=self.platforms):
            try:
                await self._post_reveal(quiz_id)
            except Exception:
                log.exception("reveal of quiz %d failed; will retry", quiz_id)
                await self.service.quizzes.release_reveal(quiz_id)
                continue
            sent += 1
        return sent

    async def _post_reveal(self, quiz_id: int) -> None:
        quiz = await self.service.quizzes.get(quiz_id)
        channel = ChannelRef(quiz.channel.platform, quiz.channel.platform_channel_id)
        reply = await self.service.reveal(quiz_id)
        await self._send(self._posters[channel.platform], channel, reply, reveal_key(quiz_id))

    async def sweep(self) -> None:
        """Periodic: reveals past their deadline, missed or retried slots, schedule changes
        made by other processes."""
        await self.close_due()
        await self.run_due()
        if self._aps is not None:
            await self.resync()

    # APScheduler wiring ------------------------------------------------------------------

    async def start(self) -> None:
        """Start the timers: a sweep every ``sweep_seconds`` and a job at each channel's local time."""
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

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        self._jobs.clear()

    async def changed(self, channel_pk: int | None = None) -> None:
        """A schedule changed in this process: take it into account now, not at the next sweep."""
        if self._aps is not None:
            await self.resync()

    async def resync(self) -> None:
        """Make the cron jobs match the schedules table (the table is the truth)."""
        wanted = {
            s.channel_pk: (s.hour, s.minute, s.timezone) for s in await self.service.schedules.all(self.platforms)
        }
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

