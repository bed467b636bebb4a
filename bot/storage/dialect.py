"""The one place that knows INSERT ... ON CONFLICT is spelled per dialect."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


def insert(session: AsyncSession | AsyncConnection, table):
    """A dialect-specific ``insert`` with ``on_conflict_do_nothing``/``_do_update``."""
    name = session.bind.dialect.name if isinstance(session, AsyncSession) else session.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database dialect {name!r}")
