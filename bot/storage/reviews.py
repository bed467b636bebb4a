"""FSRS review cards. The card itself is opaque JSON here; ``bot.quiz.review`` owns the algorithm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from bot.storage.dialect import insert
from bot.storage.engine import Database
from bot.storage.models import Item, Person, ReviewCard
from bot.storage.quizzes import ensure_person


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

    async def due_of(self, platform: str, user_id: str, item_id: str) -> datetime | None:
        """When the person's card for ``item_id`` is due, if they have one."""
        async with self.db.read() as s:
            return (
                await s.execute(
                    select(ReviewCard.due)
                    .join(Person, Person.id == ReviewCard.person_id)
                    .where(*self._owner(platform, user_id), ReviewCard.item_id == item_id)
                )
            ).scalar_one_or_none()

    async def next_due(self, platform: str, user_id: str) -> datetime | None:
        """When the person's next card is due (None without cards)."""
        async with self.db.read() as s:
            return (
                await s.execute(
                    select(func.min(ReviewCard.due))
                    .join(Person, Person.id == ReviewCard.person_id)
                    .where(*self._owner(platform, user_id))
                )
            ).scalar_one_or_none()

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

    async def ensure_card(self, platform: str, user_id: str, display_name: str, item: dict, card: dict,
                          now: datetime) -> CardRow:
        """The person's card for ``item``, made (due now) if they have none; the item's snapshot is kept."""
        async with self.db.write() as s:
            person_pk = await ensure_person(s, platform, user_id, display_name)
            await s.execute(insert(s, Item).values(**item).on_conflict_do_nothing(index_elements=["id"]))
            await s.execute(
                insert(s, ReviewCard)
                .values(person_id=person_pk, item_id=item["id"], due=now, card=card, reviews=0, updated_at=now)
                .on_conflict_do_nothing(index_elements=["person_id", "item_id"])
            )
            c, i = (
                await s.execute(
                    select(ReviewCard, Item)
                    .join(Item, Item.id == ReviewCard.item_id)
                    .where(ReviewCard.person_id == person_pk, ReviewCard.item_id == item["id"])
                )
            ).one()
            return CardRow(c.id, i, c.card, c.due, c.reviews)

    async def items_with_cards(self, platform: str, user_id: str) -> set[str]:
        async with self.db.read() as s:
            rows = await s.execute(
                select(ReviewCard.item_id).join(Person, Person.id == ReviewCard.person_id).where(
                    *self._owner(platform, user_id)
                )
            )
            return set(rows.scalars())

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
