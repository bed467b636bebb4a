"""Quiz doubles (a clock moved by hand, an in-memory channel) and a small bank.

Database fixtures (`db`, SQLite and PostgreSQL) come from tests/bot/conftest.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.quiz import QuizService
from bot.replies import Reply
from knowledge.types import QuizItem

# Quiz doubles: small working implementations, not mocks ---------------------------------


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> datetime:
        self.now += timedelta(**kw)
        return self.now

    def set(self, now: datetime) -> datetime:
        self.now = now.astimezone(timezone.utc)
        return self.now


class FakePoster:
    """An in-memory channel: keeps what was posted; can be told to fail the next sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[object, Reply]] = []
        self.fail_next = 0

    async def post(self, channel, reply: Reply) -> str | None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("platform unavailable")
        self.sent.append((channel, reply))
        return f"m{len(self.sent)}"

    def quizzes(self) -> list[Reply]:
        return [r for _, r in self.sent if r.buttons]

    def reveals(self) -> list[Reply]:
        return [r for _, r in self.sent if r.title == "Quiz reveal"]


def make_bank(n_topics: int = 3, per_topic: int = 3) -> list[QuizItem]:
    items = []
    for t in range(n_topics):
        for k in range(per_topic):
            items.append(
                QuizItem(
                    id=f"t{t}-q{k}",
                    kind="mcq",
                    question=f"Topic {t} question {k}?",
                    options=("alpha", "beta", "gamma", "delta"),
                    answer=(t + k) % 4,
                    explanation=f"The notes say option {(t + k) % 4 + 1}.",
                    source_title=f"Notes › Topic {t}",
                    source_path="llm-foundations-week1.md",
                    topic=f"Topic {t}",
                )
            )
    return items


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 3, 27, 6, 0, tzinfo=timezone.utc))  # a Thursday


@pytest.fixture
def poster():
    return FakePoster()


@pytest.fixture
def new_poster():
    """Factory for extra posters (a second process, a failing platform)."""
    return FakePoster


@pytest.fixture
def bank():
    return make_bank()


@pytest.fixture
def service(db, bank, clock):
    return QuizService(db, bank, clock=clock, close_after=timedelta(hours=23))
