"""Importing a tracker's export: read it whole, then save it in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from anklesleep.store import trackers as store
from anklesleep.trackers.detect import read_export
from anklesleep.trackers.records import Reading


@dataclass(frozen=True)
class Imported:
    reading: Reading
    saved: store.Saved


def import_export(
    engine: Engine, path: Path, zone: dt.tzinfo, now: dt.datetime, *, save: bool = True
) -> Imported:
    """Read `path` and, unless `save` is False, store its nights (all or nothing)."""
    reading = read_export(path, zone)
    if not save:
        return Imported(reading, store.Saved())
    with engine.begin() as conn:
        saved = store.save(conn, reading.nights, now)
    return Imported(reading, saved)
