"""A VTIMEZONE that every calendar parser reads the same way, far into the future.

Each change of the zone's offset, from the year before the first event to `YEARS_AHEAD` years
after it, is written out as a date of its own: the observances (one per kind of change: the
name and the offsets before and after) carry one `RDATE` per line. The dates come from the
zone database Python uses (`zoneinfo`, which follows the zone's current rule past the end of
its table), so they are the same dates the app itself uses.

Why dates rather than an `RRULE`: a rule has to be derived from the zone data and says "this
repeats forever", which is wrong the day a country changes its clocks (the calendar is
regenerated then, as subscriptions refresh twice a day); explicit dates are exactly the zone
data. Why one date per line: vobject reads only the first date of an `RDATE` line that lists
several. Why far ahead: parsers that run out of dates keep the last offset, which put events an
hour late after the table of an earlier version ended in 2037.

Pure: the zone name and years are arguments; the result is an `icalendar.Timezone`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import cache

import icalendar

#: How many years after the first event the zone's changes are listed.
YEARS_AHEAD = 40


@dataclass(frozen=True)
class Change:
    """One change of offset: the instant (UTC) and the offsets and name around it."""

    at: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    daylight: bool

    @property
    def local_start(self) -> dt.datetime:
        """The wall-clock time the change happens at, read before it (as RFC 5545 wants)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _offset(tz: dt.tzinfo, at: dt.datetime) -> dt.timedelta:
    value = at.astimezone(tz).utcoffset()
    assert value is not None
    return value


@cache
def changes(zone_name: str, first: dt.date, last: dt.date) -> tuple[Change, ...]:
    """Every change of offset in `zone_name` from `first` to `last` (UTC days), in order."""
    tz = zoneinfo.ZoneInfo(zone_name)
    found: list[Change] = []
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(last, dt.time(), tzinfo=dt.UTC)
    step = dt.timedelta(hours=12)
    here = start
    before = _offset(tz, here)
    while here < end:
        nxt = here + step
        after = _offset(tz, nxt)
        if after != before:
            low, high = here, nxt  # the change is in (low, high]: narrow it to the second
            while high - low > dt.timedelta(seconds=1):
                mid = low + (high - low) / 2
                mid = mid.replace(microsecond=0)
                if mid <= low:
                    break
                if _offset(tz, mid) == before:
                    low = mid
                else:
                    high = mid
            local = high.astimezone(tz)
            found.append(
                Change(
                    at=high,
                    offset_from=before,
                    offset_to=after,
                    name=local.tzname() or zone_name,
                    daylight=bool(local.dst()),
                )
            )
        here, before = nxt, after
    return tuple(found)


def build(zone_name: str, first: dt.date, last: dt.date) -> icalendar.Timezone:
    """The VTIMEZONE of `zone_name` valid from `first` to `last`."""
    tz = zoneinfo.ZoneInfo(zone_name)
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone_name)
    opening = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    offset = _offset(tz, opening)
    local = opening.astimezone(tz)
    groups: dict[tuple[bool, str, dt.timedelta, dt.timedelta], list[dt.datetime]] = {}
    # The offset in force at the start, as an observance that begins then and changes nothing.
    first_key = (bool(local.dst()), local.tzname() or zone_name, offset, offset)
    groups[first_key] = [(opening + offset).replace(tzinfo=None)]
    for change in changes(zone_name, first, last):
        key = (change.daylight, change.name, change.offset_from, change.offset_to)
        groups.setdefault(key, []).append(change.local_start)
    for (daylight, name, offset_from, offset_to), starts in groups.items():
        part = icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
        part.add("dtstart", starts[0])
        for start in starts[1:]:
            part.add("rdate", start)  # one date per line: see the module's docstring
        part.add("tzname", name)
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        timezone.add_component(part)
    return timezone
