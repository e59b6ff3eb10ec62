"""Fitbit's sleep logs as JSON: Google Takeout and the account export (`sleep-YYYY-MM-DD.json`,
a bare array, one file per 30 days, windows overlapping) and the web API's `{"sleep": [...]}`.

Read per log: `logId`, `startTime` and `endTime` (local, no offset), `minutesAsleep`,
`minutesAwake`, `timeInBed`, `mainSleep` (or `isMainSleep`) and, for `stages` logs, the minutes
of deep, light, REM and wake in `levels.summary`. Logs seen twice (overlapping windows) count
once, by `logId`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import IO, Any

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.trackers.nights import elapsed_minutes, night_of, span_in_zone, with_offset
from anklesleep.trackers.records import Reading, TrackerNight
from anklesleep.trackers.text import not_utf8, refuse

SOURCE = "fitbit"
#: The most a Fitbit JSON file may hold (one holds 30 days of logs: well under a megabyte).
MAX_JSON_BYTES = 50_000_000
_STAGE_NAMES = {"deep": "deep", "light": "light", "rem": "rem", "wake": "awake"}


def looks_like(head: str) -> bool:
    start = head.lstrip()[:1]
    return start in ("[", "{") and '"logId"' in head and '"startTime"' in head


def _time(log: Mapping[str, Any], key: str, where: str) -> dt.datetime:
    raw = log.get(key)
    try:
        value = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise refuse(
            where, key, str(raw), _("it should look like 2021-11-28T23:09:30.000")
        ) from None
    return value.replace(tzinfo=None)


def _minutes(log: Mapping[str, Any], key: str, where: str) -> int | None:
    raw = log.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        raise refuse(where, key, str(raw), _("it should be a number of minutes"))
    return round(raw)


def _stages(log: Mapping[str, Any]) -> dict[str, int] | None:
    if log.get("type") != "stages":
        return None
    summary = (log.get("levels") or {}).get("summary") or {}
    stages = {}
    for key, name in _STAGE_NAMES.items():
        minutes = (summary.get(key) or {}).get("minutes")
        if isinstance(minutes, int | float) and not isinstance(minutes, bool):
            stages[name] = round(minutes)
    return stages or None


def _record(log: Mapping[str, Any], where: str, zone: dt.tzinfo) -> TrackerNight:
    start_naive = _time(log, "startTime", where)
    end_naive = _time(log, "endTime", where)
    if end_naive <= start_naive:
        raise refuse(where, "endTime", str(log.get("endTime")), _("it should be after the start"))
    in_bed_count = _minutes(log, "timeInBed", where)
    start, end = span_in_zone(start_naive, end_naive, zone, in_bed_count)
    main = log.get("mainSleep", log.get("isMainSleep", True))
    return TrackerNight(
        source=SOURCE,
        record_id=str(log.get("logId")),
        device="Fitbit",
        start=with_offset(start),
        end=with_offset(end),
        night=night_of(end, zone),
        in_bed_minutes=elapsed_minutes(start, end),
        asleep_minutes=_minutes(log, "minutesAsleep", where),
        awake_minutes=_minutes(log, "minutesAwake", where),
        stages=_stages(log),
        nap=main is False,
        where=where,
    )


def read(stream: IO[bytes], name: str, zone: dt.tzinfo, reading: Reading) -> None:
    """Add the sleep logs of one Fitbit JSON file to `reading`."""
    text = stream.read(MAX_JSON_BYTES + 1)  # read whole: a bounded amount, never more
    if len(text) > MAX_JSON_BYTES:
        raise AnkleSleepError(
            _(
                "{file}: is larger than a Fitbit sleep file can be ({limit} MB); "
                "nothing was imported"
            ).format(file=name, limit=MAX_JSON_BYTES // 1_000_000),
            field="file",
        )
    try:
        data = json.loads(text)
    except RecursionError:
        raise AnkleSleepError(
            _("{file}: nests too deeply to be a Fitbit sleep file; nothing was imported").format(
                file=name
            ),
            field="file",
        ) from None
    except UnicodeDecodeError:
        raise not_utf8(name) from None
    except json.JSONDecodeError as exc:
        raise AnkleSleepError(
            _("{file} line {line}: is not valid JSON ({why}); nothing was imported").format(
                file=name, line=exc.lineno, why=exc.msg
            ),
            field="file",
        ) from None
    logs = data.get("sleep") if isinstance(data, dict) else data
    if not isinstance(logs, list):
        raise AnkleSleepError(
            _("{file}: holds no list of sleep logs; nothing was imported").format(file=name),
            field="file",
        )
    for number, log in enumerate(logs, start=1):
        where = f"{name} record {number}"
        if not isinstance(log, dict) or "logId" not in log:
            raise refuse(where, "logId", str(log)[:40], _("each record should be a sleep log"))
        reading.records_read += 1
        reading.nights.append(_record(log, where, zone))
