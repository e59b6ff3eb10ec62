"""Where anklesleep keeps things on this machine (platform conventions, via platformdirs).

`ANKLESLEEP_HOME` moves everything under one folder (used by tests and portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "anklesleep"
ENV_URL = "ANKLESLEEP_DATABASE_URL"
DB_NAME = "anklesleep.sqlite3"


def _home() -> Path | None:
    value = os.environ.get("ANKLESLEEP_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    """User configuration: extra routine files live in `routines/` here."""
    home = _home()
    if home:
        return home / "config"
    from platformdirs import user_config_path

    return user_config_path(APP)


def data_dir() -> Path:
    """User data: the SQLite database and its backups."""
    home = _home()
    if home:
        return home / "data"
    from platformdirs import user_data_path

    return user_data_path(APP)


def cache_dir() -> Path:
    """Rebuildable files: speech clips and rendered tracks."""
    home = _home()
    if home:
        return home / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP)


def user_routines_dir() -> Path:
    return config_dir() / "routines"


def database_url(db_path: str | os.PathLike[str] | None = None) -> str:
    """The database URL to use: `--db PATH` (or a URL), else `$ANKLESLEEP_DATABASE_URL`, else a
    SQLite file in the user data folder.

    `--db` takes a file path or, when it has a scheme (`postgresql+psycopg://…`), a URL.
    """
    if db_path is not None:
        given = os.fspath(db_path)
        if "://" in str(given):
            return str(given)
        return f"sqlite:///{Path(given).expanduser().absolute()}"
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return f"sqlite:///{data_dir() / DB_NAME}"
