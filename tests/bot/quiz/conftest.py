"""Quiz doubles (an in-memory channel) and a small bank; the clock moved by hand is in tests.support.

Database fixtures (`db`, SQLite and PostgreSQL) come from tests/bot/conftest.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.quiz import QuizService
from bot.replies import Reply
from knowledge.types import QuizItem

# Quiz doubles: small working implementations, not mocks ---------------------------------


class FakePoster:
    """An in-memory channel: keeps what was posted; can be told to fail the next sends.

    Like Discord with a nonce, a post whose key was seen already returns the first message
    instead of showing a second one.
    """

    def __init__(self) -> None:
        self.sent: list[tuple[object, Reply]] = []
        self.fail_next = 0
        self.keys: dict[str, str] = {}

    async def post(self, channel, reply: Reply, *, key: str | None = None) -> str | None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("platform unavailable")
        if key is not None and key in self.keys:
            return self.keys[key]
        self.sent.append((channel, reply))
        message_id = f"m{len(self.sent)}"
        if key is not None:
            self.keys[key] = message_id
        return message_id

    def quizzes(self) -> list[Reply]:
        return [r for _, r in self.sent if r.buttons]

    def reveals(self) -> list[Reply]:
        return [r for _, r in self.sent if r.data and r.data.get("reveal")]


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
