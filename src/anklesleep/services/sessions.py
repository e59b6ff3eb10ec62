"""The session lifecycle for every front end: start, report progress, finish.

The rules live in `practice.records` (a finished session is closed, finishing twice changes
nothing, credit only for time played); this module loads the record, applies them and writes
the result in one short transaction, so a player killed at any moment leaves the last report.
The web API's session handlers call it; a terminal player can call the same functions with
the stretches it played.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.practice import records
from anklesleep.practice.records import Progress, SessionRecord, Source
from anklesleep.schedule.slots import SlotName, SlotSettings
from anklesleep.store import sessions as store
from anklesleep.store.database import for_update


def _no_session(uuid: str) -> AnkleSleepError:
    return AnkleSleepError(
        _("uuid: no session {uuid!r}; start one first").format(uuid=uuid), field="uuid"
    )


def start(
    engine: Engine,
    *,
    routine: str,
    local_start: dt.datetime,
    planned_seconds: float,
    slots: SlotSettings | None = None,
    slot: SlotName | None = None,
    options: Mapping[str, Any] | None = None,
    source: Source = "terminal",
) -> SessionRecord:
    """Record a session that is starting (committed at once)."""
    if not 1 <= planned_seconds <= records.MAX_SESSION_SECONDS:
        raise AnkleSleepError(
            _("planned_seconds: got {value!r}; use a number from 1 to {high:g}").format(
                value=planned_seconds, high=records.MAX_SESSION_SECONDS
            ),
            field="planned_seconds",
        )
    record = records.new_record(
        routine=routine,
        local_start=local_start,
        planned_seconds=planned_seconds,
        slots=slots,
        slot=slot,
        options=options,
        source=source,
    )
    with engine.begin() as conn:
        store.start_session(conn, record)
    return record


def load(engine: Engine, uuid: str) -> SessionRecord:
    with engine.connect() as conn:
        record = store.get_session(conn, uuid)
    if record is None:
        raise _no_session(uuid)
    return record


def progress(engine: Engine, uuid: str, report: Progress, *, now: dt.datetime) -> SessionRecord:
    """Credit a progress report (refused once the session is completed)."""
    with for_update(engine) as conn:
        record = store.get_session(conn, uuid, for_update=True)
        if record is None:
            raise _no_session(uuid)
        after = records.progressed(record, report, now=now)
        store.save(conn, after)
    return after


def finish(
    engine: Engine,
    uuid: str,
    report: Progress,
    *,
    reached_end: bool,
    now: dt.datetime,
    cue_starts: tuple[float, ...] | None = None,
) -> SessionRecord:
    """Close a session: completed when it reached the end with enough played, else partial.
    Finishing a completed session again changes nothing."""
    with for_update(engine) as conn:
        record = store.get_session(conn, uuid, for_update=True)
        if record is None:
            raise _no_session(uuid)
        after = records.closed(
            record, report, reached_end=reached_end, now=now, cue_starts=cue_starts
        )
        if after is not record:
            store.save(conn, after)
    return after


def resumable(engine: Engine, *, routine: str, now: dt.datetime) -> SessionRecord | None:
    """The session of `routine` left unfinished in the last day, if any (see
    `records.resumable`)."""
    since = (now - dt.timedelta(days=2)).date()
    with engine.connect() as conn:
        recent = store.list_sessions(conn, start=since)
    return records.resumable(recent, routine=routine, now=now)


def set_aside(engine: Engine, uuid: str, *, now: dt.datetime) -> SessionRecord:
    """Close an unfinished session as partial (the user chose to start over)."""
    return finish(engine, uuid, Progress(), reached_end=False, now=now)
