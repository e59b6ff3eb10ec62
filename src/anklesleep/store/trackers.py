"""Saving and reading tracker nights.

A night is identified by its tracker and the tracker's own id for it. Saving the same night
again changes nothing; a night of the same tracker that covers mostly the same time (a new
export of it, the same sleep from Fitbit's CSV and JSON) replaces the stored one, so one sleep
is never counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, delete, select

from anklesleep.store.tables import tracker_nights
from anklesleep.trackers.records import TrackerNight

Stored = Row[tuple[Any, ...]]


def _aware(moment: dt.datetime, offset_minutes: int) -> dt.datetime:
    return moment.astimezone(dt.timezone(dt.timedelta(minutes=offset_minutes)))


def _offset(moment: dt.datetime) -> int:
    offset = moment.utcoffset()
    assert offset is not None
    return round(offset.total_seconds() / 60)


def to_night(row: Stored) -> TrackerNight:
    m = row._mapping
    return TrackerNight(
        source=m["source"],
        record_id=m["record_id"],
        device=m["device"],
        start=_aware(m["start_at"], m["start_offset_minutes"]),
        end=_aware(m["end_at"], m["end_offset_minutes"]),
        night=m["night"],
        in_bed_minutes=m["in_bed_minutes"],
        asleep_minutes=m["asleep_minutes"],
        awake_minutes=m["awake_minutes"],
        stages=m["stages"],
        nap=bool(m["nap"]),
    )


def values(night: TrackerNight, now: dt.datetime) -> dict[str, Any]:
    return {
        "source": night.source,
        "record_id": night.record_id,
        "device": night.device,
        "start_at": night.start,
        "start_offset_minutes": _offset(night.start),
        "end_at": night.end,
        "end_offset_minutes": _offset(night.end),
        "night": night.night,
        "in_bed_minutes": night.in_bed_minutes,
        "asleep_minutes": night.asleep_minutes,
        "awake_minutes": night.awake_minutes,
        "stages": dict(night.stages) if night.stages is not None else None,
        "nap": night.nap,
        "imported_at": now,
    }


@dataclass
class Saved:
    """What saving an import did."""

    added: int = 0
    replaced: int = 0
    unchanged: list[TrackerNight] = field(default_factory=list)


def _overlap(a_start: dt.datetime, a_end: dt.datetime, night: TrackerNight) -> float:
    """The overlap as a share of the shorter of the two periods."""
    shared = (min(a_end, night.end) - max(a_start, night.start)).total_seconds()
    shorter = min((a_end - a_start).total_seconds(), (night.end - night.start).total_seconds())
    return shared / shorter if shorter > 0 else 0.0


def _same_sleep(conn: Connection, night: TrackerNight) -> Stored | None:
    """The stored night of the same tracker that is this sleep: same id, or over half shared."""
    t = tracker_nights.c
    row = conn.execute(
        select(tracker_nights).where(t.source == night.source, t.record_id == night.record_id)
    ).first()
    if row is not None:
        return row
    candidates = conn.execute(
        select(tracker_nights).where(
            t.source == night.source, t.start_at < night.end, t.end_at > night.start
        )
    ).all()
    for candidate in candidates:
        if _overlap(candidate.start_at, candidate.end_at, night) > 0.5:
            return candidate
    return None


def save(conn: Connection, nights: Iterable[TrackerNight], now: dt.datetime) -> Saved:
    """Store `nights` (the caller owns the transaction, so an import is all or nothing)."""
    saved = Saved()
    for night in nights:
        existing = _same_sleep(conn, night)
        if existing is not None and to_night(existing).same_values(night):
            saved.unchanged.append(night)
            continue
        if existing is not None:
            conn.execute(delete(tracker_nights).where(tracker_nights.c.id == existing.id))
            saved.replaced += 1
        else:
            saved.added += 1
        conn.execute(tracker_nights.insert().values(**values(night, now)))
    return saved


def between(conn: Connection, first: dt.date, last: dt.date) -> list[TrackerNight]:
    """Every tracker night from `first` to `last` (inclusive), naps too, in time order."""
    t = tracker_nights.c
    rows = conn.execute(
        select(tracker_nights)
        .where(t.night >= first, t.night <= last)
        .order_by(t.start_at, t.source)
    )
    return [to_night(row) for row in rows]


def count(conn: Connection) -> int:
    return len(conn.execute(select(tracker_nights.c.id)).all())


def main_sleeps(nights: Sequence[TrackerNight]) -> dict[dt.date, TrackerNight]:
    """One sleep per night for comparing with the diary: of the nights that are not naps, the
    one with the most detail (stages, then a time asleep), then the longest in bed."""
    best: dict[dt.date, TrackerNight] = {}
    for night in nights:
        if night.nap:
            continue

        def rank(n: TrackerNight) -> tuple[bool, bool, int]:
            return (n.stages is not None, n.asleep_minutes is not None, n.in_bed_minutes)

        current = best.get(night.night)
        if current is None or rank(night) > rank(current):
            best[night.night] = night
    return best
