"""Database fixtures shared by the storage and quiz tests: each runs on a SQLite file and on PostgreSQL.

PostgreSQL gets one fresh database per test session (migrated once, emptied between tests,
dropped at the end) and is skipped only when nothing listens on its port.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
import pytest_asyncio

from bot.storage import Database, upgrade
from bot.storage.testing import postgres_reachable, temporary_postgres, truncate_all


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
