"""Answered questions and the feedback on them (👍 / 👎), so the group's operator can see what failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.storage.dialect import insert
from bot.storage.engine import Database
from bot.storage.models import AnswerFeedback, AskedQuestion
from bot.storage.quizzes import ensure_person


@dataclass(frozen=True, slots=True)
class AskedRow:
    id: int
    question: str
    standalone: str
    answer: str
    grounded: bool
    sources: list[dict]


class AskStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, *, platform: str, channel_id: str | None, question: str, standalone: str, answer: str,
                     grounded: bool, sources: list[dict], now: datetime) -> int:
        async with self.db.write() as s:
            row = AskedQuestion(platform=platform, channel_id=channel_id, question=question, standalone=standalone,
                                answer=answer, grounded=grounded, sources=sources, asked_at=now)
            s.add(row)
            await s.flush()
            return row.id

    async def get(self, asked_id: int) -> AskedRow | None:
        async with self.db.read() as s:
            row = await s.get(AskedQuestion, asked_id)
            if row is None:
                return None
            return AskedRow(row.id, row.question, row.standalone, row.answer, row.grounded, list(row.sources))

    async def vote(self, asked_id: int, platform: str, user_id: str, display_name: str, helpful: bool,
                   now: datetime) -> bool:
        """Store the person's vote (replacing an earlier one); False if the answer is unknown."""
        async with self.db.write() as s:
            if await s.get(AskedQuestion, asked_id) is None:
                return False
            person_pk = await ensure_person(s, platform, user_id, display_name)
            values = {"helpful": helpful, "at": now}
            await s.execute(
                insert(s, AnswerFeedback)
                .values(asked_id=asked_id, person_id=person_pk, **values)
                .on_conflict_do_update(index_elements=["asked_id", "person_id"], set_=values)
            )
            return True

    async def votes(self, asked_id: int) -> tuple[int, int]:
        """(helpful, not helpful) counts for one answer."""
        async with self.db.read() as s:
            rows = await s.execute(
                select(AnswerFeedback.helpful, func.count())
                .where(AnswerFeedback.asked_id == asked_id)
                .group_by(AnswerFeedback.helpful)
            )
            counts = dict(rows.all())
            return counts.get(True, 0), counts.get(False, 0)
