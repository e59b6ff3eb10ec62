"""The session log in the database: one row per session, written at its start and saved again
with each progress report and at its end.

Every function takes a Connection and joins the caller's transaction, as the other
repositories do; `services.sessions` keeps each write to one short transaction, so a process
killed at any moment leaves the last report intact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, Row, select, update

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.practice.records import SessionRecord, Source
from anklesleep.schedule.slots import SlotName
from anklesleep.store.tables import sessions


def _values(record: SessionRecord) -> dict[str, Any]:
    return {
        "uuid": record.uuid,
        "routine": record.routine,
        "slot": record.slot,
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "utc_offset_minutes": record.utc_offset_minutes,
        "local_date": record.local_date,
        "planned_seconds": float(record.planned_seconds),
        "completed_seconds": float(record.completed_seconds),
        "completed": record.completed,
        "steps_done": list(record.steps_done),
        "options": dict(record.options),
        "source": record.source,
        "played": [[a, b] for a, b in record.played],
        "position_seconds": record.position_seconds,
    }


def _record(row: Row[Any]) -> SessionRecord:
    m = row._mapping
    return SessionRecord(
        uuid=m["uuid"],
        routine=m["routine"],
        slot=cast(SlotName, m["slot"]),
        started_at=m["started_at"],
        ended_at=m["ended_at"],
        utc_offset_minutes=int(m["utc_offset_minutes"]),
        local_date=m["local_date"],
        planned_seconds=float(m["planned_seconds"]),
        completed_seconds=float(m["completed_seconds"]),
        completed=bool(m["completed"]),
        steps_done=tuple(m["steps_done"] or ()),
        options=dict(m["options"] or {}),
        source=cast(Source, m["source"]),
        played=tuple((float(a), float(b)) for a, b in (m["played"] or ())),
        position_seconds=(
            float(m["position_seconds"]) if m["position_seconds"] is not None else None
        ),
    )


def start_session(conn: Connection, record: SessionRecord) -> None:
    """Write the record of a session that is starting."""
    conn.execute(sessions.insert().values(**_values(record)))


def save(conn: Connection, record: SessionRecord) -> None:
    """Write every field of an existing session (a progress report or its end)."""
    values = _values(record)
    del values["uuid"]
    result = conn.execute(update(sessions).where(sessions.c.uuid == record.uuid).values(**values))
    if result.rowcount == 0:
        raise AnkleSleepError(
            _("session: no session with id {uuid!r}; see `anklesleep history`").format(
                uuid=record.uuid
            ),
            field="uuid",
        )


def get_session(conn: Connection, uuid: str, *, for_update: bool = False) -> SessionRecord | None:
    """One session; `for_update` locks its row until the caller's transaction ends (inside
    `store.database.for_update`, so SQLite holds its write lock too)."""
    query = select(sessions).where(sessions.c.uuid == uuid)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    return _record(row) if row is not None else None


def list_sessions(
    conn: Connection, start: dt.date | None = None, end: dt.date | None = None
) -> list[SessionRecord]:
    """Sessions whose day is within `start`..`end` (inclusive, either open), oldest first."""
    query = select(sessions)
    if start is not None:
        query = query.where(sessions.c.local_date >= start)
    if end is not None:
        query = query.where(sessions.c.local_date <= end)
    query = query.order_by(sessions.c.started_at, sessions.c.id)
    return [_record(row) for row in conn.execute(query)]
