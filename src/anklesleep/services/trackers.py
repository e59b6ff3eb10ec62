"""Importing a tracker's export: read it whole, then save it in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from anklesleep.experiment.analysis import tracker_values
from anklesleep.insights.agreement import Comparison, Measure, compare
from anklesleep.insights.progress import nights_from
from anklesleep.services.evidence import load
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


def comparison(engine: Engine, first: dt.date, last: dt.date) -> Comparison | None:
    """The diary against the tracker from `first` to `last`; None when no tracker night is
    stored for those days."""
    evidence = load(engine, first, last)
    if not evidence.tracked:
        return None
    nights = nights_from(evidence.nights)
    diary: dict[Measure, dict[dt.date, float]] = {
        "tst": {n.night: n.tst for n in nights},
        "se": {n.night: n.se for n in nights},
    }
    tracker: dict[Measure, dict[dt.date, float]] = {
        "tst": tracker_values(evidence.tracked, "tracker_tst"),
        "se": tracker_values(evidence.tracked, "tracker_se"),
    }
    return compare(diary, tracker, len(nights), len(evidence.tracked))
