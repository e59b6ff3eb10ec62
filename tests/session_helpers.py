"""Sessions written and read straight through the store, each in its own transaction, for
tests that set up or check the session log without a player."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Engine

from anklesleep.practice.records import SessionRecord
from anklesleep.store import sessions


def store_session(engine: Engine, record: SessionRecord, **changes: Any) -> SessionRecord:
    """Write `record` with `changes` (e.g. completed=True, ended_at=...) as one committed row."""
    if "steps_done" in changes:
        changes["steps_done"] = tuple(changes["steps_done"])
    record = dataclasses.replace(record, **changes)
    with engine.begin() as conn:
        sessions.start_session(conn, record)
    return record


def stored_sessions(
    engine: Engine, start: dt.date | None = None, end: dt.date | None = None
) -> list[SessionRecord]:
    with engine.connect() as conn:
        return sessions.list_sessions(conn, start, end)


def stored_session(engine: Engine, uuid: str) -> SessionRecord | None:
    with engine.connect() as conn:
        return sessions.get_session(conn, uuid)
