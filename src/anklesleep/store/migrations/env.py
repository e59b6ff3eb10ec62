"""Alembic environment: migrations run in-process on the connection anklesleep hands over."""

from __future__ import annotations

from alembic import context

from anklesleep.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
