"""A consistent copy of the SQLite database while it may be in use (SQLite's online backup)."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from anklesleep.basics import files
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    size_bytes: int


def sqlite_path(engine: Engine) -> Path:
    """The database file behind `engine`, or one line saying why there is none."""
    if engine.url.get_backend_name() != "sqlite":
        raise AnkleSleepError(
            _(
                "backup: the database is {backend}, and backup copies SQLite files; use "
                "`anklesleep export` (or pg_dump) instead"
            ).format(backend=engine.url.get_backend_name()),
            field="db",
        )
    database = engine.url.database or ""
    if database in ("", ":memory:"):
        raise AnkleSleepError(
            _("backup: the database lives in memory; nothing to copy"), field="db"
        )
    return Path(database)


def copy_sqlite(source: Path, temp: Path) -> None:
    """Copy the SQLite file `source` into the new file `temp` and check the copy."""
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(temp)) as dest,
    ):
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        status = dest.execute("PRAGMA integrity_check").fetchone()
    if not status or status[0] != "ok":
        raise AnkleSleepError(
            _("backup: the copy failed its integrity check ({status}); try again").format(
                status=status
            ),
            field="db",
        )


def backup(engine: Engine, target: Path, force: bool = False) -> BackupResult:
    """Copy the database to `target` through a temporary file, check the copy, then rename it
    into place, so `target` is either a complete, checked copy or untouched."""
    source = sqlite_path(engine)
    if target.exists() and not force:
        raise AnkleSleepError(
            _("output: {target!r} already exists; choose a new name or pass --force").format(
                target=str(target)
            ),
            field="output",
        )
    if target.resolve() == source.resolve():
        raise AnkleSleepError(
            _("output: that is the database itself; choose another file"), field="output"
        )
    if not target.parent.is_dir():
        raise AnkleSleepError(
            _("output: folder {folder!r} does not exist; create it or choose another").format(
                folder=str(target.parent)
            ),
            field="output",
        )
    with files.replacing(target, files.PRIVATE) as temp:
        copy_sqlite(source, temp)
    return BackupResult(source, target, target.stat().st_size)
