"""FSRS glue: a missed item becomes a card due soon; review answers reschedule it."""

from __future__ import annotations

from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler


class Reviewer:
    def __init__(self, scheduler: Scheduler | None = None) -> None:
        self.scheduler = scheduler or Scheduler()

    @staticmethod
    def _utc(now: datetime) -> datetime:
        # fsrs insists on tzinfo being exactly timezone.utc
        return now.astimezone(timezone.utc)

    def on_miss(self, stored: dict | None, now: datetime) -> dict:
        """The card after a miss in a quiz: rated Again, so it comes back within minutes."""
        now = self._utc(now)
        # An explicit id: Card() would otherwise sleep 1 ms on the event loop to make one up.
        card = Card.from_dict(stored) if stored else Card(card_id=int(now.timestamp() * 1000), due=now)
        card, _log = self.scheduler.review_card(card, Rating.Again, now)
        return card.to_dict()

    def new_card(self, now: datetime) -> dict:
        """A card never reviewed, due now ("quiz me on this")."""
        now = self._utc(now)
        return Card(card_id=int(now.timestamp() * 1000), due=now).to_dict()

    def on_review(self, stored: dict, correct: bool, now: datetime) -> dict:
        now = self._utc(now)
        card, _log = self.scheduler.review_card(Card.from_dict(stored), Rating.Good if correct else Rating.Again, now)
        return card.to_dict()
