"""The session log in the database: written at start, checkpointed per step, finished at the end.

Given an Engine, each write is its own short transaction committed at once, so a process killed
at any moment leaves the last checkpoint intact: a partial record listing the steps done. Given a
Connection, the write joins the caller's transaction (for imports and web requests).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, cast

from sqlalchemy import Connection, Engine, Row, select, update

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.practice.records import SessionRecord, Source
from anklesleep.schedule.slots import SlotName
from anklesleep.store.tables import sessions

Bind = Engine | Connection


@contextlib.contextmanager
def _writing(bind: Bind) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as conn:
            yield conn


@contextlib.contextmanager
def _reading(bind: Bind) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


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


def start_session(bind: Bind, record: SessionRecord) -> None:
    """Write the record of a session that is starting (committed at once)."""
    with _writing(bind) as conn:
        conn.execute(sessions.insert().values(**_values(record)))


def _update(bind: Bind, uuid: str, values: dict[str, Any]) -> None:
    with _writing(bind) as conn:
        result = conn.execute(update(sessions).where(sessions.c.uuid == uuid).values(**values))
        if result.rowcount == 0:
            raise AnkleSleepError(
                _("session: no session with id {uuid!r}; see `anklesleep history`").format(
                    uuid=uuid
                ),
                field="uuid",
            )


def save(bind: Bind, record: SessionRecord) -> None:
    """Write every field of an existing session (a progress report or its end)."""
    values = _values(record)
    del values["uuid"]
    _update(bind, record.uuid, values)


def checkpoint(bind: Bind, uuid: str, steps_done: Iterable[str], completed_seconds: float) -> None:
    """Record progress after a step (committed at once, so it survives a crash)."""
    _update(
        bind,
        uuid,
        {"steps_done": list(steps_done), "completed_seconds": float(completed_seconds)},
    )


def finish(
    bind: Bind,
    uuid: str,
    *,
    completed: bool,
    ended_at: dt.datetime,
    completed_seconds: float,
    steps_done: Iterable[str],
) -> None:
    """Close a session: completed to the end, or stopped early (a partial session)."""
    if ended_at.tzinfo is None:
        raise ValueError("ended_at must be an aware datetime")
    _update(
        bind,
        uuid,
        {
            "completed": completed,
            "ended_at": ended_at,
            "completed_seconds": float(completed_seconds),
            "steps_done": list(steps_done),
        },
    )


def get_session(bind: Bind, uuid: str, *, for_update: bool = False) -> SessionRecord | None:
    """One session; `for_update` locks its row until the caller's transaction ends (inside
    `store.database.for_update`, so SQLite holds its write lock too)."""
    query = select(sessions).where(sessions.c.uuid == uuid)
    if for_update:
        query = query.with_for_update()
    with _reading(bind) as conn:
        row = conn.execute(query).first()
    return _record(row) if row is not None else None


def list_sessions(
    bind: Bind, start: dt.date | None = None, end: dt.date | None = None
) -> list[SessionRecord]:
    """Sessions whose day is within `start`..`end` (inclusive, either open), oldest first."""
    query = select(sessions)
    if start is not None:
        query = query.where(sessions.c.local_date >= start)
    if end is not None:
        query = query.where(sessions.c.local_date <= end)
    query = query.order_by(sessions.c.started_at, sessions.c.id)
    with _reading(bind) as conn:
        return [_record(row) for row in conn.execute(query)]
