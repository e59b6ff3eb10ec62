"""Storage: SQLAlchemy Core tables, Alembic migrations and repository functions.

The core never sees a row: repository modules here turn rows into the core's frozen values.
The package itself loads nothing heavy: `create`, `migrate`, `open_database` and
`database_url` come from `store.database` (SQLAlchemy) when first used, so a module that only
finds or peeks at the database (`store.location`, `store.peek`) stays light.

May import `basics` and the domain packages (for the values it stores), SQLAlchemy and
Alembic; never `services` or a shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anklesleep.store.database import create, database_url, migrate, open_database

__all__ = ["create", "database_url", "migrate", "open_database"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from anklesleep.store import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
