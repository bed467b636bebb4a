"""Database fixtures: every storage-touching test runs on a SQLite file and on PostgreSQL.

PostgreSQL gets one fresh database per test session (migrated once, emptied between tests,
dropped at the end) and is skipped only when nothing listens on its port.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta, timezone

import pytest
import pytest_asyncio

from bot.quiz import QuizService
from bot.replies import Reply
from bot.storage import Database, upgrade
from bot.storage.testing import postgres_reachable, temporary_postgres, truncate_all
from knowledge.types import QuizItem


@pytest.fixture(scope="session")
def postgres_url():
    if not postgres_reachable():
        pytest.skip("no PostgreSQL listening on 127.0.0.1:5432")
    stack = contextlib.AsyncExitStack()
    loop = asyncio.new_event_loop()
    try:
        url = loop.run_until_complete(stack.enter_async_context(temporary_postgres()))
        loop.run_until_complete(upgrade(url))
        yield url
    finally:
        loop.run_until_complete(stack.aclose())
        loop.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'studybuddy.db'}"
    return request.getfixturevalue("postgres_url")


@pytest_asyncio.fixture
async def db(db_url):
    """A migrated, empty database, disposed after the test."""
    if db_url.startswith("sqlite"):
        await upgrade(db_url)
    database = Database.from_url(db_url)
    try:
        yield database
    finally:
        if database.dialect == "postgresql":
            await truncate_all(database)
        await database.dispose()


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
