"""Alembic environment, driven programmatically by ``bot.storage.engine.upgrade``.

The caller hands over an open synchronous connection (from ``AsyncConnection.run_sync``), so
no alembic.ini or URL is needed here and the same migration runs on SQLite and PostgreSQL.
"""

from alembic import context

from bot.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.storage.upgrade(url)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
)
with context.begin_transaction():
    context.run_migrations()
