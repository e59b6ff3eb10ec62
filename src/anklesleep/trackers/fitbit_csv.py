"""Fitbit's sleep table from the website's data export (CSV).

A full export has sections (`Body`, `Activities`, `Sleep`, …), each a title line, a header and
rows, separated by blank lines; copies often keep only the sleep table. The header we read:
`Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed,Minutes REM
Sleep,Minutes Light Sleep,Minutes Deep Sleep`. Times are local clock times without an offset,
written in the account's locale (`2021-11-28 11:09PM`, `27-11-2021 10:28 pm`, `11/28/2021
23:09`); numbers may have thousands separators; stages are `N/A` for classic sleeps and naps.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import IO

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _
from anklesleep.trackers.nights import elapsed_minutes, night_of, span_in_zone, with_offset
from anklesleep.trackers.records import Reading, TrackerNight
from anklesleep.trackers.text import csv_rows, refuse

SOURCE = "fitbit"
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(.+)$")
_DMY = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})\s+(.+)$")
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(.+)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$")
_FIX = N_("write it like 2021-11-28 11:09PM or 28-11-2021 23:09")


def looks_like(head: str) -> bool:
    lines = [line.strip().lower() for line in head.splitlines()[:400]]
    return any("start time" in line and "minutes asleep" in line for line in lines) or any(
        "minutes asleep" in line and "time in bed" in line for line in lines
    )


def parse_time(raw: str, where: str, column: str) -> dt.datetime:
    """A naive datetime from one of Fitbit's locale formats."""
    text = raw.strip()
    if match := _YMD.match(text):
        year, month, day, clock = match.groups()
    elif match := _DMY.match(text):
        day, month, year, clock = match.groups()
    elif match := _MDY.match(text):
        month, day, year, clock = match.groups()
    else:
        raise refuse(where, column, raw, _(_FIX))
    time_match = _TIME.match(clock.strip())
    if not time_match:
        raise refuse(where, column, raw, _(_FIX))
    hour, minute, second_s, meridiem = time_match.groups()
    h = int(hour)
    if meridiem:
        if not 1 <= h <= 12:
            raise refuse(where, column, raw, _(_FIX))
        h = h % 12 + (12 if meridiem.lower().startswith("p") else 0)
    try:
        return dt.datetime(int(year), int(month), int(day), h, int(minute), int(second_s or 0))
    except ValueError:
        raise refuse(where, column, raw, _("it is not a real date and time")) from None


def _minutes(cells: dict[str, str], name: str, where: str) -> int | None:
    raw = cells.get(name, "").strip()
    if not raw or raw.upper() == "N/A":
        return None
    try:
        value = float(raw.replace(",", "").replace("\u00a0", ""))
    except ValueError:
        raise refuse(where, name, raw, _("it should be a number of minutes or N/A")) from None
    if value < 0:
        raise refuse(where, name, raw, _("it should not be negative"))
    return round(value)


def _record(cells: dict[str, str], where: str, zone: dt.tzinfo) -> TrackerNight:
    start_naive = parse_time(cells["Start Time"], where, "Start Time")
    end_naive = parse_time(cells["End Time"], where, "End Time")
    if end_naive <= start_naive:
        raise refuse(where, "End Time", cells["End Time"], _("it should be after the start"))
    in_bed_count = _minutes(cells, "Time in Bed", where)
    start, end = span_in_zone(start_naive, end_naive, zone, in_bed_count)
    asleep = _minutes(cells, "Minutes Asleep", where)
    awake = _minutes(cells, "Minutes Awake", where)
    stage_values = {
        "deep": _minutes(cells, "Minutes Deep Sleep", where),
        "light": _minutes(cells, "Minutes Light Sleep", where),
        "rem": _minutes(cells, "Minutes REM Sleep", where),
    }
    stages = {k: v for k, v in stage_values.items() if v is not None} or None
    if stages is not None and awake is not None:
        stages["awake"] = awake
    return TrackerNight(
        source=SOURCE,
        record_id=start_naive.strftime("%Y%m%dT%H%M%S"),
        device="Fitbit",
        start=with_offset(start),
        end=with_offset(end),
        night=night_of(end, zone),
        in_bed_minutes=elapsed_minutes(start, end),
        asleep_minutes=asleep,
        awake_minutes=awake,
        stages=stages,
        nap=False,
        where=where,
    )


def read(stream: IO[bytes], name: str, zone: dt.tzinfo, reading: Reading) -> None:
    """Add the sleeps of one Fitbit CSV export to `reading`."""
    header: list[str] | None = None
    for line, row in csv_rows(stream, name):
        cells_raw = [cell.strip() for cell in row]
        if not any(cells_raw):
            if header is not None and reading.records_read:
                header = None  # the end of the sleep section
            continue
        lowered = [cell.lower() for cell in cells_raw]
        if "minutes asleep" in lowered:
            if "start time" not in lowered:
                raise AnkleSleepError(
                    _(
                        "{file} line {line}: this Fitbit table has only daily totals, no start "
                        "and end times; export the sleep data again from your Fitbit account "
                        "(Sleep, with start times); nothing was imported"
                    ).format(file=name, line=line),
                    field="file",
                )
            header = [" ".join(cell.split()) for cell in cells_raw]
            header = [_canonical(h) for h in header]
            continue
        if header is None:
            continue  # a section title ("Sleep") or another section's rows
        reading.records_read += 1
        cells = dict(zip(header, row, strict=False))
        reading.nights.append(_record(cells, f"{name} line {line}", zone))


_NAMES = {
    "start time": "Start Time",
    "end time": "End Time",
    "minutes asleep": "Minutes Asleep",
    "minutes awake": "Minutes Awake",
    "number of awakenings": "Number of Awakenings",
    "time in bed": "Time in Bed",
    "minutes rem sleep": "Minutes REM Sleep",
    "minutes light sleep": "Minutes Light Sleep",
    "minutes deep sleep": "Minutes Deep Sleep",
}


def _canonical(name: str) -> str:
    return _NAMES.get(name.lower(), name)
