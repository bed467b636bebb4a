"""FSRS review cards. The card itself is opaque JSON here; ``bot.quiz.review`` owns the algorithm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from bot.storage.engine import Database
from bot.storage.models import Item, Person, ReviewCard


@dataclass(frozen=True, slots=True)
class CardRow:
    id: int
    item: Item  # detached snapshot
    card: dict
    due: datetime
    reviews: int  # doubles as a version: a review applies only to the version it was shown


class ReviewStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _owner(platform: str, user_id: str):
        return (Person.platform == platform, Person.platform_user_id == user_id)

    async def due(self, platform: str, user_id: str, now: datetime, limit: int = 1) -> tuple[int, list[CardRow]]:
        """(how many cards are due, the ``limit`` most overdue ones)."""
        async with self.db.read() as s:
            base = (
                select(ReviewCard, Item)
                .join(Item, Item.id == ReviewCard.item_id)
                .join(Person, Person.id == ReviewCard.person_id)
                .where(*self._owner(platform, user_id), ReviewCard.due <= now)
            )
            count = (await s.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
            rows = await s.execute(base.order_by(ReviewCard.due, ReviewCard.id).limit(limit))
            return count, [CardRow(c.id, i, c.card, c.due, c.reviews) for c, i in rows]

    async def total(self, platform: str, user_id: str) -> int:
        async with self.db.read() as s:
            return (
                await s.execute(
                    select(func.count())
                    .select_from(ReviewCard)
                    .join(Person, Person.id == ReviewCard.person_id)
                    .where(*self._owner(platform, user_id))
                )
            ).scalar_one()

    async def get(self, card_pk: int, platform: str, user_id: str) -> CardRow | None:
        """The card if it belongs to this person (a forwarded button must not review someone else's)."""
        async with self.db.read() as s:
            row = (
                await s.execute(
                    select(ReviewCard, Item)
                    .join(Item, Item.id == ReviewCard.item_id)
                    .join(Person, Person.id == ReviewCard.person_id)
                    .where(ReviewCard.id == card_pk, *self._owner(platform, user_id))
                )
            ).first()
            if row is None:
                return None
            c, i = row
            return CardRow(c.id, i, c.card, c.due, c.reviews)

    async def apply(self, card_pk: int, version: int, card: dict, now: datetime) -> bool:
        """Store a reviewed card unless that version was already reviewed (double click, retry)."""
        async with self.db.write() as s:
            result = await s.execute(
                update(ReviewCard)
                .where(ReviewCard.id == card_pk, ReviewCard.reviews == version)
                .values(
                    card=card,
                    due=datetime.fromisoformat(card["due"]),
                    reviews=version + 1,
                    updated_at=now,
                )
                .returning(ReviewCard.id)
            )
            return result.scalar_one_or_none() is not None
