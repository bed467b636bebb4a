"""One index writer at a time: a second `studybuddy ingest` (or a bot starting while one runs) waits.

Beside an embedded index the lock is a file lock next to it; with a Chroma server, shared by
replicas on several machines, it is a PostgreSQL advisory lock when the database is PostgreSQL
(the one thing they all reach), else a file lock in the data folder (one machine).

The lock is taken in the worker thread that ingests (never on the event loop), so the
PostgreSQL variant drives its own connection on a private loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from bot.config import Settings

log = logging.getLogger(__name__)

# Any fixed number, distinct from the migration lock's.
INGEST_LOCK = 7_310_513
WAITING = "another ingest is running ({where}); waiting for it to finish"


def writer_lock(settings: Settings) -> Callable[[], AbstractContextManager]:
    url = settings.sqlalchemy_url
    if settings.chroma_url and url.startswith(("postgresql", "postgres")):
        return lambda: _postgres_lock(url)
    path = (settings.data_dir if settings.chroma_url else settings.chroma_path) / "ingest.lock"
    return lambda: _file_lock(path)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    from filelock import FileLock, Timeout

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning(WAITING.format(where=f"lock file {path}"))
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def _postgres_lock(url: str) -> Iterator[None]:
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, database=u.database))
    try:
        if not loop.run_until_complete(conn.fetchval("SELECT pg_try_advisory_lock($1)", INGEST_LOCK)):
            log.warning(WAITING.format(where=f"PostgreSQL lock on {u.host}"))
            loop.run_until_complete(conn.execute("SELECT pg_advisory_lock($1)", INGEST_LOCK))
        yield
    finally:
        # Closing the session releases the lock, also when the work failed.
        loop.run_until_complete(conn.close())
        loop.close()
