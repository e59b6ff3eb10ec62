"""The rules that turn recorded sleep periods into nights: time zones, the night's date, naps,
duplicates and overlapping intervals. Pure: the user's zone is an argument.

- A time written without an offset (Fitbit, Sleep as Android) is read in the zone the record
  names, else in the user's zone. Where a clock time happens twice (the hour repeated when
  clocks go back) or not at all (skipped when they go forward), the reading whose elapsed time
  is closest to the tracker's own time in bed is taken.
- A time written with an offset (Apple Health) is that instant; a zone name beside it is not
  used, so a file whose zone and offset disagree still gives the recorded instants.
- Time in bed is the real elapsed time from start to end; time asleep, awake and the stages are
  the tracker's own counts.
- The night is the date, in the user's zone, of the morning the sleep ended on.
- Of one tracker's sleeps ending on the same night the longest is the night's sleep and the
  others are naps; a tracker that marks a sleep as not the main one makes it a nap too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import product
from zoneinfo import ZoneInfo

from anklesleep.basics.i18n import _
from anklesleep.trackers.records import Skipped, TrackerNight

#: Sleep periods shorter than this are test recordings or mistakes, not sleep.
SHORTEST_MINUTES = 10


def elapsed_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes of real time between two aware datetimes."""
    return round((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() / 60)


def _exact(naive: dt.datetime, zone: dt.tzinfo, fold: int) -> dt.datetime:
    """`naive` in `zone` with `fold`, normalized to an existing instant with a fixed offset."""
    aware = naive.replace(tzinfo=zone, fold=fold)
    return aware.astimezone(dt.UTC).astimezone(zone)


def span_in_zone(
    start: dt.datetime, end: dt.datetime, zone: dt.tzinfo, minutes_hint: float | None
) -> tuple[dt.datetime, dt.datetime]:
    """Aware start and end for two naive wall-clock times in `zone` (the rule above)."""
    choices = [(_exact(start, zone, a), _exact(end, zone, b)) for a, b in product((0, 1), (0, 1))]
    valid = [(s, e) for s, e in choices if e > s] or choices
    if minutes_hint is None:
        return valid[0]
    return min(valid, key=lambda se: abs(elapsed_minutes(*se) - minutes_hint))


def with_offset(moment: dt.datetime) -> dt.datetime:
    """An aware datetime with a fixed offset (as it was recorded), not a zone."""
    offset = moment.utcoffset()
    assert offset is not None
    return moment.astimezone(dt.timezone(offset))


def night_of(end: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The night a sleep belongs to: the date it ended on, in the user's zone."""
    return end.astimezone(zone).date()


def zone_named(name: str, fallback: dt.tzinfo) -> dt.tzinfo:
    """The IANA zone `name`, or `fallback` when it is empty or unknown."""
    try:
        return ZoneInfo(name) if name else fallback
    except (ValueError, KeyError, OSError):
        return fallback


def mark_naps(nights: Iterable[TrackerNight]) -> list[TrackerNight]:
    """Keep each night's longest sleep as the main one (per source) and mark the rest as naps."""
    ordered = list(nights)
    longest: dict[tuple[str, dt.date], TrackerNight] = {}
    for night in ordered:
        if night.nap:
            continue
        key = (night.source, night.night)
        best = longest.get(key)
        if best is None or (night.in_bed_minutes, night.start) > (best.in_bed_minutes, best.start):
            longest[key] = night
    result = []
    for night in ordered:
        main = longest.get((night.source, night.night))
        result.append(night if night is main else replace(night, nap=True))
    return result


def drop_short(nights: Iterable[TrackerNight], skipped: list[Skipped]) -> list[TrackerNight]:
    """The nights at least `SHORTEST_MINUTES` long; the others are reported as skipped."""
    kept = []
    for night in nights:
        if night.in_bed_minutes < SHORTEST_MINUTES:
            reason = _("shorter than {n} minutes, so not counted as sleep").format(
                n=SHORTEST_MINUTES
            )
            skipped.append(Skipped(night.where, reason))
        else:
            kept.append(night)
    return kept


def drop_repeats(nights: Iterable[TrackerNight], skipped: list[Skipped]) -> list[TrackerNight]:
    """One night per record id: a later copy (overlapping files, a re-export) replaces an earlier
    one only when it differs; an identical copy is reported as a duplicate."""
    kept: dict[tuple[str, str], TrackerNight] = {}
    for night in nights:
        key = (night.source, night.record_id)
        earlier = kept.get(key)
        if earlier is not None and earlier.same_values(night):
            reason = _("the same sleep as {where}").format(where=earlier.where)
            skipped.append(Skipped(night.where, reason))
            continue
        if earlier is not None:
            reason = _("the same sleep again at {where}, which replaces it").format(
                where=night.where
            )
            skipped.append(Skipped(earlier.where, reason))
        kept[key] = night
    return list(kept.values())


def union_minutes(intervals: Sequence[tuple[dt.datetime, dt.datetime]]) -> float:
    """Minutes covered by the union of `intervals` (overlaps counted once)."""
    total = 0.0
    current: tuple[dt.datetime, dt.datetime] | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += (current[1] - current[0]).total_seconds()
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        total += (current[1] - current[0]).total_seconds()
    return total / 60
