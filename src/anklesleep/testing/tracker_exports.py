"""Synthetic tracker exports of any size, for benchmarks and tests: an Apple Health
`export.xml` written as a stream (mostly heart-rate samples, as real ones are, with a night of
Apple Watch stages and an iPhone in-bed record each day) and a Fitbit Takeout folder of
`sleep-YYYY-MM-DD.json` windows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2025-01-01 09:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>
"""
_WATCH = (
    "&lt;&lt;HKDevice: 0x300c1a8f0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.2&gt;"
)
_HEART = (
    ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" sourceVersion="10.2" '
    f'device="{_WATCH}" unit="count/min" creationDate="D0 HH:MM:10 +0000" '
    'startDate="D0 HH:MM:05 +0000" endDate="D0 HH:MM:05 +0000" value="VV">\n'
    '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
    " </Record>\n"
)
_SLEEP = (
    ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="SRC" sourceVersion="10.2" '
    'creationDate="D1 08:00:00 +0000" startDate="START +0000" endDate="END +0000" '
    'value="HKCategoryValueSleepAnalysisKIND">\n'
    '  <MetadataEntry key="HKTimeZone" value="Europe/London"/>\n'
    " </Record>\n"
)
#: (source, kind, start, end) of each night, D0 the evening's date and D1 the morning's
_NIGHT = [
    ("iPhone", "InBed", "D0 22:40:00", "D1 07:05:00"),
    ("Watch", "AsleepCore", "D0 23:00:00", "D1 01:10:00"),
    ("Watch", "AsleepDeep", "D1 01:10:00", "D1 02:00:00"),
    ("Watch", "Awake", "D1 02:00:00", "D1 02:12:00"),
    ("Watch", "AsleepREM", "D1 02:12:00", "D1 03:00:00"),
    ("Watch", "AsleepCore", "D1 03:00:00", "D1 06:50:00"),
]


def _day_template(heart_per_day: int) -> str:
    parts = []
    for n in range(heart_per_day):
        minute = (n * 1440) // heart_per_day
        clock = f"{minute // 60:02d}:{minute % 60:02d}"
        parts.append(_HEART.replace("HH:MM", clock).replace("VV", str(55 + n % 40)))
    for source, kind, start, end in _NIGHT:
        parts.append(
            _SLEEP.replace("SRC", source)
            .replace("KIND", kind)
            .replace("START", start)
            .replace("END", end)
        )
    return "".join(parts)


def write_apple_health(path: Path, target_bytes: int, heart_per_day: int = 600) -> int:
    """Write an export of about `target_bytes`; return the number of nights in it."""
    template = _day_template(heart_per_day)
    day = dt.date(1990, 1, 1)
    written = 0
    nights = 0
    with path.open("w", encoding="utf-8") as out:
        written += out.write(_HEAD)
        while written < target_bytes:
            following = day + dt.timedelta(days=1)
            block = template.replace("D0", day.isoformat()).replace("D1", following.isoformat())
            written += out.write(block)
            day = following
            nights += 1
        out.write("</HealthData>\n")
    return nights


def _fitbit_log(log_id: int, night: dt.date) -> dict[str, Any]:
    start = dt.datetime.combine(night - dt.timedelta(days=1), dt.time(23, 5))
    end = dt.datetime.combine(night, dt.time(6, 55))
    minutes = round((end - start).total_seconds() / 60)
    return {
        "logId": log_id,
        "dateOfSleep": night.isoformat(),
        "startTime": start.isoformat(timespec="milliseconds"),
        "endTime": end.isoformat(timespec="milliseconds"),
        "duration": minutes * 60000,
        "minutesToFallAsleep": 0,
        "minutesAsleep": minutes - 45,
        "minutesAwake": 45,
        "minutesAfterWakeup": 0,
        "timeInBed": minutes,
        "efficiency": 92,
        "type": "stages",
        "infoCode": 0,
        "levels": {
            "summary": {
                "deep": {"count": 4, "minutes": 80, "thirtyDayAvgMinutes": 75},
                "wake": {"count": 25, "minutes": 45, "thirtyDayAvgMinutes": 50},
                "light": {"count": 28, "minutes": minutes - 215, "thirtyDayAvgMinutes": 250},
                "rem": {"count": 6, "minutes": 90, "thirtyDayAvgMinutes": 85},
            },
            "data": [
                {"dateTime": start.isoformat(), "level": "wake", "seconds": 30 * (k + 1)}
                for k in range(40)
            ],
        },
        "mainSleep": True,
    }


def write_fitbit_folder(folder: Path, first: dt.date, days: int) -> int:
    """A Takeout-style folder of 30-day windows (each overlapping the next by one night)."""
    folder.mkdir(parents=True, exist_ok=True)
    for window in range(0, days, 30):
        start = first + dt.timedelta(days=window)
        nights = [start + dt.timedelta(days=k) for k in range(min(31, days - window))]
        logs = [_fitbit_log(1_000_000 + (n - first).days, n) for n in reversed(nights)]
        (folder / f"sleep-{start.isoformat()}.json").write_text(json.dumps(logs, indent=2))
    return days
