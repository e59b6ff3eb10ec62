"""Saving and reading diary nights and symptom scores (one night per date, one score per
complaint per day; saving again replaces)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Row, delete, select

from anklesleep.diary.entries import NIGHT_FIELDS, SleepEntry, SymptomEntry
from anklesleep.store.tables import sleep_entries, symptom_entries
from anklesleep.store.upsert import upsert


def _night(row: Row[tuple[object, ...]]) -> SleepEntry:
    m = row._mapping
    return SleepEntry(**{name: m[name] for name in NIGHT_FIELDS})


def _symptom(row: Row[tuple[object, ...]]) -> SymptomEntry:
    m = row._mapping
    return SymptomEntry(day=m["day"], symptom=m["symptom"], score=m["score"], note=m["note"])


# --- nights -----------------------------------------------------------------------------------


def save_night(conn: Connection, entry: SleepEntry, now: dt.datetime) -> bool:
    """Store `entry`, replacing any night with the same date. True when one was replaced.

    The caller validates first (`diary.validate_entry`) and owns the transaction.
    """
    existed = get_night(conn, entry.night) is not None
    values = {name: getattr(entry, name) for name in NIGHT_FIELDS}
    upsert(conn, sleep_entries, {**values, "updated_at": now}, ["night"])
    return existed


def get_night(conn: Connection, night: dt.date) -> SleepEntry | None:
    row = conn.execute(select(sleep_entries).where(sleep_entries.c.night == night)).first()
    return _night(row) if row else None


def previous_night(conn: Connection, before: dt.date) -> SleepEntry | None:
    """The latest night dated before `before` (used for defaults when filling in the diary)."""
    row = conn.execute(
        select(sleep_entries)
        .where(sleep_entries.c.night < before)
        .order_by(sleep_entries.c.night.desc())
        .limit(1)
    ).first()
    return _night(row) if row else None


def list_nights(
    conn: Connection, start: dt.date | None = None, end: dt.date | None = None
) -> list[SleepEntry]:
    """Nights from `start` to `end` inclusive (either open), oldest first."""
    query = select(sleep_entries).order_by(sleep_entries.c.night)
    if start is not None:
        query = query.where(sleep_entries.c.night >= start)
    if end is not None:
        query = query.where(sleep_entries.c.night <= end)
    return [_night(row) for row in conn.execute(query)]


def delete_night(conn: Connection, night: dt.date) -> bool:
    result = conn.execute(delete(sleep_entries).where(sleep_entries.c.night == night))
    return result.rowcount > 0


# --- symptoms ---------------------------------------------------------------------------------


def save_symptoms(conn: Connection, entries: Iterable[SymptomEntry], now: dt.datetime) -> None:
    """Store each score, replacing the same complaint's score on the same day."""
    for entry in entries:
        values = {
            "day": entry.day,
            "symptom": entry.symptom,
            "score": entry.score,
            "note": entry.note,
            "updated_at": now,
        }
        upsert(conn, symptom_entries, values, ["day", "symptom"])


def get_symptoms(conn: Connection, day: dt.date) -> dict[str, SymptomEntry]:
    """The scores given on `day`, by complaint key."""
    rows = conn.execute(select(symptom_entries).where(symptom_entries.c.day == day))
    return {entry.symptom: entry for entry in map(_symptom, rows)}


def latest_symptoms(conn: Connection, before: dt.date) -> dict[str, SymptomEntry]:
    """For each complaint, its most recent score dated before `before`."""
    rows = conn.execute(
        select(symptom_entries)
        .where(symptom_entries.c.day < before)
        .order_by(symptom_entries.c.day.desc())
    )
    found: dict[str, SymptomEntry] = {}
    for entry in map(_symptom, rows):
        found.setdefault(entry.symptom, entry)
    return found


def list_symptoms(
    conn: Connection, start: dt.date | None = None, end: dt.date | None = None
) -> list[SymptomEntry]:
    """Scores from `start` to `end` inclusive, by day then complaint key."""
    query = select(symptom_entries).order_by(symptom_entries.c.day, symptom_entries.c.symptom)
    if start is not None:
        query = query.where(symptom_entries.c.day >= start)
    if end is not None:
        query = query.where(symptom_entries.c.day <= end)
    return [_symptom(row) for row in conn.execute(query)]


def delete_symptom(conn: Connection, day: dt.date, symptom: str) -> bool:
    result = conn.execute(
        delete(symptom_entries).where(
            symptom_entries.c.day == day, symptom_entries.c.symptom == symptom
        )
    )
    return result.rowcount > 0
