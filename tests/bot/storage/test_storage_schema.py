"""The migration builds the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.storage import upgrade
from bot.storage.models import Base

pytestmark = pytest.mark.asyncio


def _diff(sync_conn):
    return compare_metadata(MigrationContext.configure(sync_conn), Base.metadata)


async def test_migration_matches_models(db):
    """Autogenerate finds nothing to change after `upgrade` (models and migration agree)."""
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def test_upgrade_is_idempotent(db_url, db):
    """Calling upgrade at every start is safe: the schema stays at the newest revision with its data."""
    from sqlalchemy import text

    from bot.storage.quizzes import QuizStore

    await QuizStore(db).channel("slack", "C1")
    await upgrade(db_url)
    await upgrade(db_url)
    async with db.read() as s:
        assert (await s.execute(text("SELECT version_num FROM alembic_version"))).scalar_one() == "0003"
        assert (await s.execute(text("SELECT count(*) FROM channels"))).scalar_one() == 1


async def test_sqlite_uses_wal(tmp_path):
    """SQLite files run in WAL mode so readers never block the writer."""
    from sqlalchemy import text

    from bot.storage import Database

    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    await upgrade(url)
    db = Database.from_url(url)
    try:
        async with db.read() as s:
            assert (await s.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
    finally:
        await db.dispose()
