"""The quick read of a few settings without SQLAlchemy (the terminal player's start-up)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from anklesleep.store import open_database, peek, settings
from anklesleep.store.location import database_url, sqlite_file

NOW = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)


def _database(tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite3"
    engine = open_database(path)
    with engine.begin() as conn:
        settings.put(conn, "safety_acknowledged_at", NOW.isoformat(), NOW)
        settings.put(conn, "preferences", {"theme": "dark"}, NOW)
    engine.dispose()
    return path


def test_an_up_to_date_file_is_read_without_opening_it_the_usual_way(tmp_path: Path) -> None:
    url = database_url(_database(tmp_path))
    keys = ["safety_acknowledged_at", "preferences", "unset"]
    assert peek.settings(url, keys) == {
        "safety_acknowledged_at": NOW.isoformat(),
        "preferences": {"theme": "dark"},
    }


def test_anything_else_is_left_to_the_usual_way(tmp_path: Path) -> None:
    path = _database(tmp_path)
    with sqlite3.connect(path) as conn:  # an older schema: migrations may change what it holds
        conn.execute("UPDATE alembic_version SET version_num = '0001_old'")
    assert peek.settings(database_url(path), ["preferences"]) is None
    assert peek.settings(database_url(tmp_path / "missing.sqlite3"), ["preferences"]) is None
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 100)
    assert peek.settings(database_url(tmp_path / "junk.sqlite3"), ["preferences"]) is None
    assert peek.settings("postgresql+psycopg://u@localhost/db", ["preferences"]) is None
    assert peek.settings("sqlite://", ["preferences"]) is None


def test_sqlite_file_names_only_files() -> None:
    assert sqlite_file("sqlite:////tmp/x.sqlite3") == Path("/tmp/x.sqlite3")
    assert sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("postgresql://u@h/db") is None
