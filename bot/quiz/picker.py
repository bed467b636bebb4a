"""The daily pick: rotate topics and avoid items the channel saw recently."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from knowledge.types import QuizItem

RECENT_WINDOW = 30  # quizzes; an item seen within this many is avoided while others remain


def _tiebreak(seed: str, item_id: str) -> str:
    # Deterministic per (channel, day) so two replicas or a retry pick the same item.
    return hashlib.sha256(f"{seed}\0{item_id}".encode()).hexdigest()


def pick_item(bank: Sequence[QuizItem], recent: Sequence[tuple[str, str]], seed: str) -> QuizItem | None:
    """Choose from ``bank`` given ``recent`` (item id, topic) pairs, newest first.

    Topics never shown come first, then the one shown longest ago; within the topic, items
    not seen in the recent window, then the one seen longest ago.
    """
    if not bank:
        return None
    topic_age: dict[str, int] = {}
    item_age: dict[str, int] = {}
    for age, (item_id, topic) in enumerate(recent):
        topic_age.setdefault(topic, age)
        item_age.setdefault(item_id, age)
    never = len(recent) + 1
    window = min(RECENT_WINDOW, max(len(bank) - 1, 0))

    def fresh(item: QuizItem) -> bool:
        return item_age.get(item.id, never) >= window

    candidates = [i for i in bank if fresh(i)] or list(bank)
    topics = {i.topic for i in candidates}
    topic = max(topics, key=lambda t: (topic_age.get(t, never), _tiebreak(seed, t)))
    in_topic = [i for i in candidates if i.topic == topic]
    return max(in_topic, key=lambda i: (item_age.get(i.id, never), _tiebreak(seed, i.id)))
