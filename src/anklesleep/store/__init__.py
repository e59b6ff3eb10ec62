"""Storage: SQLAlchemy Core tables, Alembic migrations and repository functions.

The core never sees a row: repository modules here turn rows into the core's frozen values.
"""

from anklesleep.store.database import create, database_url, migrate, open_database

__all__ = ["create", "database_url", "migrate", "open_database"]
