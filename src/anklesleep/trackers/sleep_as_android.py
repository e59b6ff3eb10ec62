"""Sleep as Android's `sleep-export.csv`.

Every record repeats its own header (`Id,Tz,From,To,Sched,Hours,…`), then one data line, and
sometimes a line of noise values whose first cells are empty. `Id` is the start in Unix
milliseconds and `Hours` the real length, so the end is `Id + Hours`; `From` is used only when
`Id` is missing. `LenAdjust` (minutes, zero or less) is the awake time the app took off;
`DeepSleep` is the share of deep sleep (negative: not measured).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import IO

from anklesleep.basics.i18n import _
from anklesleep.trackers.nights import elapsed_minutes, night_of, with_offset, zone_named
from anklesleep.trackers.records import Reading, TrackerNight
from anklesleep.trackers.text import csv_rows, refuse

SOURCE = "sleep-as-android"
_DATE = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(\d{1,2}):(\d{2})\s*$")


def looks_like(head: str) -> bool:
    return head.lstrip().startswith("Id,Tz,From,To")


def _number(cells: dict[str, str], name: str, where: str) -> float | None:
    raw = cells.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise refuse(where, name, raw, _("it should be a number")) from None


def _from_text(raw: str, zone: dt.tzinfo, where: str) -> dt.datetime:
    match = _DATE.match(raw)
    if not match:
        raise refuse(where, "From", raw, _("it should look like 31. 12. 2024 23:05"))
    day, month, year, hour, minute = (int(g) for g in match.groups())
    try:
        naive = dt.datetime(year, month, day, hour, minute)
    except ValueError:
        raise refuse(where, "From", raw, _("it is not a real date and time")) from None
    return naive.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)


def _record(cells: dict[str, str], where: str, zone: dt.tzinfo) -> TrackerNight:
    own_zone = zone_named(cells.get("Tz", "").strip(), zone)
    ident = _number(cells, "Id", where)
    if ident is not None:
        start = dt.datetime.fromtimestamp(ident / 1000, dt.UTC).astimezone(own_zone)
        record_id = str(int(ident))
    else:
        start = _from_text(cells.get("From", ""), own_zone, where)
        record_id = start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    hours = _number(cells, "Hours", where)
    if hours is None or hours < 0 or hours > 48:
        raise refuse(where, "Hours", cells.get("Hours", ""), _("it should be 0 to 48 hours"))
    end = (start + dt.timedelta(hours=hours)).astimezone(own_zone)
    in_bed = elapsed_minutes(start, end)
    adjust = _number(cells, "LenAdjust", where) or 0.0
    asleep = max(0, round(in_bed + min(0.0, adjust)))
    deep = _number(cells, "DeepSleep", where)
    stages = {"deep": round(deep * asleep)} if deep is not None and 0 <= deep <= 1 else None
    return TrackerNight(
        source=SOURCE,
        record_id=record_id,
        device="Sleep as Android",
        start=with_offset(start),
        end=with_offset(end),
        night=night_of(end, zone),
        in_bed_minutes=in_bed,
        asleep_minutes=asleep,
        awake_minutes=in_bed - asleep,
        stages=stages,
        nap=False,
        where=where,
    )


def read(stream: IO[bytes], name: str, zone: dt.tzinfo, reading: Reading) -> None:
    """Add the records of one `sleep-export.csv` to `reading`."""
    header: list[str] | None = None
    for line, row in csv_rows(stream, name):
        if not row or not any(cell.strip() for cell in row):
            continue
        if row[0] == "Id":
            header = [cell.strip() for cell in row]
            continue
        if not row[0].strip() or header is None:
            continue  # the noise line after a record
        reading.records_read += 1
        cells = dict(zip(header, row, strict=False))
        reading.nights.append(_record(cells, f"{name} line {line}", zone))
