"""Where the user's database is, and which schema is current: plain constants and paths, so
that code which only needs to find the database does not load SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

from anklesleep.basics.paths import DB_NAME as DB_NAME
from anklesleep.basics.paths import ENV_URL as ENV_URL
from anklesleep.basics.paths import database_url as database_url

#: the newest migration's revision id. Checked against the migration scripts by a test, so that
#: opening an up-to-date database never has to import Alembic (a third of a command's start-up).
HEAD_REVISION = "0004_tracker_nights"


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///PATH` URL; None for any other URL (memory, other databases)."""
    if not url.startswith("sqlite:///"):
        return None
    name = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(name) if name and name != ":memory:" else None
