"""Posted quizzes, answers and reveals. Each public method is one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.answers import AnswerRequest, AnswerWriter
from bot.storage.dialect import insert
from bot.storage.engine import Database
from bot.storage.models import Answer, Channel, Item, Person, Quiz

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChannelRow:
    id: int
    platform: str
    platform_channel_id: str
    timezone: str


@dataclass(frozen=True, slots=True)
class QuizRow:
    id: int
    channel: ChannelRow
    item: Item  # detached snapshot; read-only
    kind: str
    local_date: date
    posted_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    status: str  # "recorded" | "duplicate" | "closed" | "unknown"
    quiz: QuizRow | None = None
    option: int | None = None  # the option that counts (first answer) when recorded/duplicate
    correct: bool | None = None
    due: datetime | None = None  # a miss just recorded: when its review card comes back


# Given the stored FSRS card (or None for a first miss) and the time, return the new card dict.
MissHandler = Callable[[dict | None, datetime], dict]


def _channel_row(c: Channel) -> ChannelRow:
    return ChannelRow(c.id, c.platform, c.platform_channel_id, c.timezone)


async def ensure_person(session: AsyncSession, platform: str, user_id: str, name: str) -> int:
    """The person's id, creating the row on first sight and refreshing a changed display name."""
    row = (
        await session.execute(
            select(Person.id, Person.display_name).where(
                Person.platform == platform, Person.platform_user_id == user_id
            )
        )
    ).first()
    if row is None:
        await session.execute(
            insert(session, Person)
            .values(platform=platform, platform_user_id=user_id, display_name=name)
            .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
        )
        return (
            await session.execute(
                select(Person.id).where(Person.platform == platform, Person.platform_user_id == user_id)
            )
        ).scalar_one()
    if row.display_name != name:
        await session.execute(update(Person).where(Person.id == row.id).values(display_name=name))
    return row.id


async def ensure_channel(session: AsyncSession, platform: str, channel_id: str) -> ChannelRow:
    stmt = select(Channel).where(Channel.platform == platform, Channel.platform_channel_id == channel_id)
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        await session.execute(
            insert(session, Channel)
            .values(platform=platform, platform_channel_id=channel_id, timezone="UTC")
            .on_conflict_do_nothing(index_elements=["platform", "platform_channel_id"])
        )
        found = (await session.execute(stmt)).scalar_one()
    return _channel_row(found)


class QuizStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._answer_cache: dict[int, asyncio.Future] = {}
        self._writer = AnswerWriter(db)

    async def channel(self, platform: str, channel_id: str) -> ChannelRow:
        async with self.db.write() as s:
            return await ensure_channel(s, platform, channel_id)

    async def create_quiz(
        self,
        channel_pk: int,
        item: dict,
        kind: str,
        local_date: date,
        posted_at: datetime,
        closes_at: datetime,
    ) -> int:
        """Store the item snapshot (first writer wins) and a new quiz; returns the quiz id."""
        async with self.db.write() as s:
            await s.execute(insert(s, Item).values(**item).on_conflict_do_nothing(index_elements=["id"]))
            quiz = Quiz(
                channel_id=channel_pk,
                item_id=item["id"],
                kind=kind,
                local_date=local_date,
                posted_at=posted_at,
                closes_at=closes_at,
            )
            s.add(quiz)
            await s.flush()
            return quiz.id

    async def set_message_id(self, quiz_id: int, message_id: str | None) -> None:
        async with self.db.write() as s:
            await s.execute(update(Quiz).where(Quiz.id == quiz_id).values(message_id=message_id))

    async def delete_quiz(self, quiz_id: int) -> None:
        """Undo a quiz whose post failed, so nothing refers to a message nobody saw."""
        self._answer_cache.pop(quiz_id, None)
        async with self.db.write() as s:
            await s.execute(delete(Answer).where(Answer.quiz_id == quiz_id))
            await s.execute(delete(Quiz).where(Quiz.id == quiz_id))

    async def get(self, quiz_id: int) -> QuizRow | None:
        async with self.db.read() as s:
            return await self._load(s, quiz_id)

    async def _load(self, s: AsyncSession, quiz_id: int) -> QuizRow | None:
        row = (
            await s.execute(
                select(Quiz, Item, Channel)
                .join(Item, Item.id == Quiz.item_id)
                .join(Channel, Channel.id == Quiz.channel_id)
                .where(Quiz.id == quiz_id)
            )
        ).first()
        if row is None:
            return None
        q, item, ch = row
        return QuizRow(
            q.id, _channel_row(ch), item, q.kind, q.local_date, q.posted_at, q.closes_at, q.closed_at, q.message_id
        )

    async def latest_open(self, channel_pk: int, now: datetime) -> QuizRow | None:
        async with self.db.read() as s:
            quiz_id = (
                await s.execute(
                    select(Quiz.id)
                    .where(Quiz.channel_id == channel_pk, Quiz.closed_at.is_(None), Quiz.closes_at > now)
                    .order_by(Quiz.posted_at.desc(), Quiz.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            return await self._load(s, quiz_id) if quiz_id is not None else None

    async def recent_items(self, channel_pk: int, limit: int) -> list[tuple[str, str]]:
        """(item id, topic) of the channel's last ``limit`` quizzes, newest first."""
        async with self.db.read() as s:
            rows = await s.execute(
                select(Quiz.item_id, Item.topic)
                .join(Item, Item.id == Quiz.item_id)
                .where(Quiz.channel_id == channel_pk)
                .order_by(Quiz.posted_at.desc(), Quiz.id.desc())
                .limit(limit)
            )
            return [(r.item_id, r.topic) for r in rows]

    async def _quiz_for_answer(self, quiz_id: int) -> QuizRow | None:
        """The quiz's immutable part (item, deadline), loaded once per process even when a burst
        of clicks arrives together. ``closed_at`` is not trusted from here: the answer write
        re-checks the quiz state in its own transaction."""
        pending = self._answer_cache.get(quiz_id)
        if pending is None:
            if len(self._answer_cache) >= 256:
                self._answer_cache.pop(next(iter(self._answer_cache)))
            pending = self._answer_cache[quiz_id] = asyncio.ensure_future(self.get(quiz_id))
        try:
            quiz = await asyncio.shield(pending)
        except Exception:
            self._answer_cache.pop(quiz_id, None)
            raise
        if quiz is None:
            self._answer_cache.pop(quiz_id, None)  # may be created later by another process
        return quiz

    async def record_answer(
        self,
        platform: str,
        user_id: str,
        display_name: str,
        quiz_id: int,
        option: int,
        now: datetime,
        on_miss: MissHandler,
    ) -> AnswerOutcome:
        """Record a first answer exactly once; the unique (quiz, person) row decides, not a lock."""
        quiz = await self._quiz_for_answer(quiz_id)
        if quiz is None or not 0 <= option < len(quiz.item.options):
            return AnswerOutcome("unknown")
        if now >= quiz.closes_at:
            return AnswerOutcome("closed", quiz)
        correct = option == quiz.item.answer
        result = await self._writer.submit(
            AnswerRequest(
                platform,
                user_id,
                display_name,
                quiz_id,
                quiz.item.id,
                option,
                correct,
                now,
                None if correct else on_miss(None, now),
                on_miss,
            )
        )
        return AnswerOutcome(result.status, quiz, result.option, result.correct, result.due)

    async def claim_due_reveals(
        self, now: datetime, channel_pk: int | None = None, platforms: Collection[str] | None = None
    ) -> list[int]:
        """Mark quizzes past their deadline as closed; each id is returned to exactly one caller.

        ``platforms`` limits it to channels this process can post to.
        """
        async with self.db.write() as s:
            stmt = (
                update(Quiz)
                .where(Quiz.closed_at.is_(None), Quiz.closes_at <= now)
                .values(closed_at=now)
                .returning(Quiz.id)
            )
            if channel_pk is not None:
                stmt = stmt.where(Quiz.channel_id == channel_pk)
            if platforms is not None:
                stmt = stmt.where(
                    Quiz.channel_id.in_(select(Channel.id).where(Channel.platform.in_(sorted(platforms))))
                )
            return sorted((await s.execute(stmt)).scalars())

    async def close_now(self, quiz_id: int, now: datetime) -> bool:
        """Close one quiz ahead of its deadline; False if someone else closed it first."""
        async with self.db.write() as s:
            result = await s.execute(
                update(Quiz)
                .where(Quiz.id == quiz_id, Quiz.closed_at.is_(None))
                .values(closed_at=now)
                .returning(Quiz.id)
            )
            return result.scalar_one_or_none() is not None

    async def release_reveal(self, quiz_id: int) -> None:
        """A reveal that could not be sent goes back to the queue instead of being lost."""
        async with self.db.write() as s:
            await s.execute(update(Quiz).where(Quiz.id == quiz_id).values(closed_at=None))

    async def option_counts(self, quiz_id: int) -> dict[int, int]:
        async with self.db.read() as s:
            rows = await s.execute(
                select(Answer.option, func.count()).where(Answer.quiz_id == quiz_id).group_by(Answer.option)
            )
            return {option: n for option, n in rows}
