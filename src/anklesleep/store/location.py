"""Where the user's database is, and which schema is current: plain constants and paths, so
that code which only needs to find the database does not load SQLAlchemy."""

from __future__ import annotations

import os
from pathlib import Path

from anklesleep.basics.paths import data_dir

ENV_URL = "ANKLESLEEP_DATABASE_URL"
DB_NAME = "anklesleep.sqlite3"
#: the newest migration's revision id. Checked against the migration scripts by a test, so that
#: opening an up-to-date database never has to import Alembic (a third of a command's start-up).
HEAD_REVISION = "0004_tracker_nights"


def database_url(db_path: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL to use: `--db` (a file path or, when it has a scheme such as
    `postgresql+psycopg://…`, a URL), else $ANKLESLEEP_DATABASE_URL, else the file in the data
    folder."""
    if db_path is not None:
        given = os.fspath(db_path)
        if "://" in str(given):
            return str(given)
        return f"sqlite:///{Path(given).expanduser().absolute()}"
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return f"sqlite:///{data_dir() / DB_NAME}"


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///PATH` URL; None for any other URL (memory, other databases)."""
    if not url.startswith("sqlite:///"):
        return None
    name = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(name) if name and name != ":memory:" else None
