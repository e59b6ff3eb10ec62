"""The session log in the database, and the backup made before a migration."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.practice.records import SessionRecord, new_record
from anklesleep.store import sessions
from tests.session_helpers import store_session, stored_session, stored_sessions

ZONE = dt.timezone(dt.timedelta(hours=-5))


def make(day: int, hour: int = 22, routine: str = "full") -> SessionRecord:
    local = dt.datetime(2026, 4, day, hour, 15, tzinfo=ZONE)
    return new_record(
        routine=routine,
        local_start=local,
        planned_seconds=612.4,
        options={"tempo": 1.0, "extra_circles": {"left": "inward"}},
    )


def test_a_session_round_trips(engine: Engine) -> None:
    rec = make(3)
    store_session(engine, rec)
    assert stored_session(engine, rec.uuid) == rec
    assert stored_session(engine, "no-such-id") is None


def test_save_writes_a_progress_report_then_the_end(engine: Engine) -> None:
    rec = make(3)
    store_session(engine, rec)
    with engine.begin() as conn:
        sessions.save(conn, replace(rec, steps_done=("T1:left", "T2:left"), completed_seconds=81.5))
    mid = stored_session(engine, rec.uuid)
    assert mid is not None
    assert mid.steps_done == ("T1:left", "T2:left")
    assert mid.completed_seconds == pytest.approx(81.5)
    assert not mid.completed and mid.ended_at is None
    end = dt.datetime(2026, 4, 4, 3, 30, tzinfo=dt.UTC)
    with engine.begin() as conn:
        sessions.save(
            conn,
            replace(rec, completed=True, ended_at=end, completed_seconds=612.4, steps_done=("a",)),
        )
    done = stored_session(engine, rec.uuid)
    assert done is not None
    assert done.completed and done.ended_at == end and done.steps_done == ("a",)
    assert done.started_at.tzinfo is not None
    assert done.local_start.utcoffset() == dt.timedelta(hours=-5)


def test_unknown_session_is_a_clear_error(engine: Engine) -> None:
    with pytest.raises(AnkleSleepError, match="no session"), engine.begin() as conn:
        sessions.save(conn, make(3))


def test_list_sessions_by_day(engine: Engine) -> None:
    records = [make(d) for d in (1, 2, 3, 5)]
    for rec in reversed(records):
        store_session(engine, rec)
    assert stored_sessions(engine) == records  # oldest first
    mid = stored_sessions(engine, dt.date(2026, 4, 2), dt.date(2026, 4, 3))
    assert [r.local_date.day for r in mid] == [2, 3]
    assert [r.local_date.day for r in stored_sessions(engine, start=dt.date(2026, 4, 3))] == [
        3,
        5,
    ]


def test_writes_join_a_callers_transaction(engine: Engine) -> None:
    rec = make(7)
    with engine.begin() as conn:
        sessions.start_session(conn, rec)
        assert sessions.get_session(conn, rec.uuid) == rec
    with pytest.raises(RuntimeError), engine.begin() as conn:
        sessions.start_session(conn, make(8))
        raise RuntimeError("roll back")
    assert [r.local_date.day for r in stored_sessions(engine)] == [7]


def test_an_existing_sqlite_file_is_backed_up_before_migrating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.store import database

    path = tmp_path / "anklesleep.sqlite3"
    engine = database.create(f"sqlite:///{path}")
    assert database.migrate(engine) is None  # a new file: nothing to back up
    rec = make(9)
    store_session(engine, rec)
    # a newer release with a later schema revision: the file must be copied first
    monkeypatch.setattr(database, "head_revision", lambda: "9999")
    when = dt.datetime(2026, 4, 10, 8, 5, 3, tzinfo=dt.UTC)
    backup = database.migrate(engine, now=lambda: when)
    engine.dispose()
    assert backup == tmp_path / "anklesleep.sqlite3.20260410-080503.bak"
    assert backup.exists()
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT uuid FROM sessions").fetchall() == [(rec.uuid,)]
    finally:
        copy.close()
