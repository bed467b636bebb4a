"""Engine creation, sessions and migrations.

SQLite needs care to take 1,000 concurrent writers: WAL so readers never block the
writer, a busy timeout so writers queue instead of failing with "database is locked",
and ``BEGIN IMMEDIATE`` for write transactions. The last one matters most: a deferred
transaction that reads and then writes cannot wait for the lock (SQLite returns BUSY at
once to avoid a deadlock), whereas an immediate one queues on the busy timeout.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(url: str, **kwargs) -> AsyncEngine:
    """An async engine for ``url``; SQLite files get WAL, a busy timeout and immediate writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Take transaction control away from the driver so the "begin" hook below decides.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fsync at checkpoints only
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):
        readonly = conn.get_execution_options().get("studybuddy_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


class Database:
    """Engines plus sessions: ``write()`` (one transaction, committed on exit) and ``read()``.

    On SQLite, writes go through a one-connection pool. SQLite admits one writer at a time
    anyway; queueing writers here (FIFO, no sleeping) beats letting a dozen connections poll
    the lock through SQLite's busy handler, which sleeps up to 100 ms between tries. Reads use
    their own pool and never wait for the writer (WAL). The busy timeout still arbitrates
    between processes. None of this is needed for correctness: that comes from constraints.
    """

    def __init__(self, engine: AsyncEngine, read_engine: AsyncEngine | None = None) -> None:
        self.engine = engine
        self._read_engine = read_engine
        self._write = async_sessionmaker(engine, expire_on_commit=False)
        self._read = async_sessionmaker(
            (read_engine or engine).execution_options(studybuddy_readonly=True), expire_on_commit=False
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        if make_url(url).get_backend_name() != "sqlite":
            return cls(create_engine(url))
        writer = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=300)
        return cls(writer, create_engine(url, pool_size=4, max_overflow=4))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        async with self._write() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session, session.begin():
            yield session

    def write_conn(self):
        """A Core connection in one write transaction (the hot answer path skips the ORM)."""
        return self.engine.begin()

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self._read() as session:
            await session.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._read_engine is not None:
            await self._read_engine.dispose()


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _upgrade_sync(connection, revision: str) -> None:
    from alembic import command

    cfg = _alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


# Any fixed number: the PostgreSQL advisory lock every replica takes while migrating.
MIGRATION_LOCK = 7_310_512


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision``; safe to call at every start, by several replicas at once.

    Replicas starting together would otherwise race to create the same tables. On PostgreSQL a
    transaction-scoped advisory lock makes them take turns (the later ones find nothing to do);
    SQLite's ``BEGIN IMMEDIATE`` does the same for its single writer.
    """
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            await conn.run_sync(_upgrade_sync, revision)
    finally:
        await engine.dispose()
    log.info("database schema at %s (%s)", revision, make_url(url).get_backend_name())
