"""Button action ids: stable, versioned strings that route a click to the right thing after a restart.

Every button the core makes carries one; an adapter passes the id back untouched
(``StudyBuddy.press``) and never parses it. All ids start with ``sb1:`` so an adapter can
register one persistent handler for the prefix, and stay under 100 characters (Discord's
``custom_id`` limit; Slack allows 255).

- ``sb1:quiz:<quiz id>:<option>`` answers a posted quiz;
- ``sb1:review:<card id>:<card version>:<option>`` answers a private review card (the version
  makes a second click on an old card a no-op instead of a second reschedule);
- ``sb1:vote:<answer id>:up|down`` is 👍 / 👎 on an answer;
- ``sb1:quizme:<answer id>`` asks for a quiz on the sections an answer cited;
- ``sb1:level:<answer id>:simpler|deeper|example`` re-answers from the same passages at another level.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.types import Level

PREFIX = "sb1:"
MAX_OPTIONS = 10
MAX_LEN = 100


@dataclass(frozen=True, slots=True)
class QuizAction:
    quiz_id: int
    option: int


@dataclass(frozen=True, slots=True)
class ReviewAction:
    card_id: int
    version: int
    option: int


@dataclass(frozen=True, slots=True)
class VoteAction:
    answer_id: int
    helpful: bool


@dataclass(frozen=True, slots=True)
class QuizMeAction:
    answer_id: int


@dataclass(frozen=True, slots=True)
class LevelAction:
    answer_id: int
    level: Level


Action = QuizAction | ReviewAction | VoteAction | QuizMeAction | LevelAction
LEVELS = (Level.SIMPLER, Level.DEEPER, Level.EXAMPLE)


def quiz_action(quiz_id: int, option: int) -> str:
    return f"{PREFIX}quiz:{quiz_id}:{option}"


def review_action(card_id: int, version: int, option: int) -> str:
    return f"{PREFIX}review:{card_id}:{version}:{option}"


def vote_action(answer_id: int, helpful: bool) -> str:
    return f"{PREFIX}vote:{answer_id}:{'up' if helpful else 'down'}"


def quiz_me_action(answer_id: int) -> str:
    return f"{PREFIX}quizme:{answer_id}"


def level_action(answer_id: int, level: Level) -> str:
    return f"{PREFIX}level:{answer_id}:{level.value}"


def is_action(action_id: str) -> bool:
    """True for any id the core made, so adapters can route clicks by prefix."""
    return action_id.startswith(PREFIX)


def _number(part: str) -> int | None:
    # isdecimal, not isdigit: "²" is a digit to Python but not a number int() can read.
    return int(part) if part.isdecimal() and part.isascii() and len(part) <= 18 else None


def parse_action(action_id: str) -> Action | None:
    """The decoded action, or None for anything malformed (clicks are untrusted input)."""
    if not is_action(action_id) or len(action_id) > MAX_LEN:
        return None
    kind, *parts = action_id[len(PREFIX):].split(":")
    if kind == "vote" and len(parts) == 2 and parts[1] in ("up", "down"):
        answer_id = _number(parts[0])
        return VoteAction(answer_id, parts[1] == "up") if answer_id is not None else None
    if kind == "level" and len(parts) == 2 and parts[1] in {lv.value for lv in LEVELS}:
        answer_id = _number(parts[0])
        return LevelAction(answer_id, Level(parts[1])) if answer_id is not None else None
    numbers = [_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    if kind == "quiz" and len(numbers) == 2 and numbers[1] < MAX_OPTIONS:
        return QuizAction(*numbers)
    if kind == "review" and len(numbers) == 3 and numbers[2] < MAX_OPTIONS:
        return ReviewAction(*numbers)
    if kind == "quizme" and len(numbers) == 1:
        return QuizMeAction(numbers[0])
    return None
