"""Persistent quiz state: SQLAlchemy 2 async on SQLite (default) or PostgreSQL, Alembic migrations."""

from bot.storage.engine import Database, create_engine, upgrade

__all__ = ["Database", "create_engine", "upgrade"]
