"""Throwaway databases for tests and the benchmark (no pytest here; used by both)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage.engine import Database
from bot.storage.models import Base

log = logging.getLogger(__name__)

# The server's maintenance database is used only to CREATE/DROP the throwaway one.
ADMIN_URL = os.environ.get("STUDYBUDDY_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def postgres_reachable(url: str = ADMIN_URL, timeout: float = 0.5) -> bool:
    parsed = make_url(url)
    try:
        with socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 5432), timeout=timeout):
            return True
    except OSError:
        return False


@asynccontextmanager
async def temporary_postgres(admin_url: str = ADMIN_URL) -> AsyncIterator[str]:
    """A fresh, empty database on the server; dropped on exit. Yields its async URL."""
    name = f"studybuddy_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def truncate_all(db: Database) -> None:
    """Empty every table between tests that share one migrated database."""
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with db.write() as s:
        if db.dialect == "postgresql":
            await s.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                await s.execute(table.delete())
