"""Read-only aggregates for leaderboards, streaks and charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, cast, func, select

from bot.storage.engine import Database
from bot.storage.models import Answer, Person, Quiz


@dataclass(frozen=True, slots=True)
class ScoreRow:
    person_id: int
    display_name: str
    points: int  # correct answers
    answered: int


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date
    answered: int
    correct: int
    people: int = 1


class ReportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def scores(self, channel_pk: int, since: date | None = None, limit: int = 10) -> list[ScoreRow]:
        points = func.sum(cast(Answer.correct, Integer))
        stmt = (
            select(Person.id, Person.display_name, points.label("points"), func.count().label("answered"))
            .select_from(Answer)
            .join(Quiz, Quiz.id == Answer.quiz_id)
            .join(Person, Person.id == Answer.person_id)
            .where(Quiz.channel_id == channel_pk)
            .group_by(Person.id, Person.display_name)
            # Ties: more points, then fewer attempts (better accuracy), then who joined first.
            .order_by(points.desc(), func.count(), Person.id)
            .limit(limit)
        )
        if since is not None:
            stmt = stmt.where(Quiz.local_date >= since)
        async with self.db.read() as s:
            return [ScoreRow(r.id, r.display_name, int(r.points or 0), r.answered) for r in await s.execute(stmt)]

    async def correct_days(self, channel_pk: int, person_ids: list[int]) -> dict[int, set[date]]:
        """Channel-local days on which each person answered a quiz correctly."""
        if not person_ids:
            return {}
        async with self.db.read() as s:
            rows = await s.execute(
                select(Answer.person_id, Quiz.local_date)
                .join(Quiz, Quiz.id == Answer.quiz_id)
                .where(Quiz.channel_id == channel_pk, Answer.correct, Answer.person_id.in_(person_ids))
                .distinct()
            )
            days: dict[int, set[date]] = {pid: set() for pid in person_ids}
            for pid, day in rows:
                days[pid].add(day)
            return days

    async def person_id(self, platform: str, user_id: str) -> int | None:
        async with self.db.read() as s:
            return (
                await s.execute(
                    select(Person.id).where(Person.platform == platform, Person.platform_user_id == user_id)
                )
            ).scalar_one_or_none()

    async def person_days(self, person_pk: int) -> list[DayRow]:
        async with self.db.read() as s:
            rows = await s.execute(
                select(Quiz.local_date, func.count(), func.sum(cast(Answer.correct, Integer)))
                .join(Quiz, Quiz.id == Answer.quiz_id)
                .where(Answer.person_id == person_pk)
                .group_by(Quiz.local_date)
                .order_by(Quiz.local_date)
            )
            return [DayRow(d, n, int(c or 0)) for d, n, c in rows]

    async def channel_days(self, channel_pk: int) -> list[DayRow]:
        async with self.db.read() as s:
            rows = await s.execute(
                select(
                    Quiz.local_date,
                    func.count(Answer.id),
                    func.sum(cast(Answer.correct, Integer)),
                    func.count(func.distinct(Answer.person_id)),
                )
                .select_from(Quiz)
                .outerjoin(Answer, Answer.quiz_id == Quiz.id)
                .where(Quiz.channel_id == channel_pk)
                .group_by(Quiz.local_date)
                .order_by(Quiz.local_date)
            )
            return [DayRow(d, n, int(c or 0), p) for d, n, c, p in rows]
