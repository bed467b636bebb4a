"""Button action ids: stable strings that route a click to the right quiz after a restart.

``quiz:<quiz id>:<option index>`` answers a posted quiz;
``review:<card id>:<card version>:<option index>`` answers a private review card (the version
makes a second click on an old card a no-op instead of a second reschedule).
"""

from __future__ import annotations

from dataclasses import dataclass

QUIZ_PREFIX = "quiz"
REVIEW_PREFIX = "review"
MAX_OPTIONS = 10


@dataclass(frozen=True, slots=True)
class QuizAction:
    quiz_id: int
    option: int


@dataclass(frozen=True, slots=True)
class ReviewAction:
    card_id: int
    version: int
    option: int


def quiz_action(quiz_id: int, option: int) -> str:
    return f"{QUIZ_PREFIX}:{quiz_id}:{option}"


def review_action(card_id: int, version: int, option: int) -> str:
    return f"{REVIEW_PREFIX}:{card_id}:{version}:{option}"


def is_quiz_action(action_id: str) -> bool:
    """True for any action id this package owns, so adapters can route clicks by prefix."""
    return action_id.startswith((QUIZ_PREFIX + ":", REVIEW_PREFIX + ":"))


def parse_action(action_id: str) -> QuizAction | ReviewAction | None:
    """The decoded action, or None for anything malformed (clicks are untrusted input)."""
    if len(action_id) > 100:
        return None
    parts = action_id.split(":")
    if not all(p.isdigit() and len(p) <= 18 for p in parts[1:]):
        return None
    numbers = [int(p) for p in parts[1:]]
    if parts[0] == QUIZ_PREFIX and len(numbers) == 2 and numbers[1] < MAX_OPTIONS:
        return QuizAction(*numbers)
    if parts[0] == REVIEW_PREFIX and len(numbers) == 3 and numbers[2] < MAX_OPTIONS:
        return ReviewAction(*numbers)
    return None
