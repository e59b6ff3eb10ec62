"""Apple Health's `export.xml` (any name: localized iOS names it `exportar.xml`, `vienti.xml`, …),
read as a stream in constant memory (see `xml_scan`: expat checks the whole file, and only
the sleep records' start tags are parsed into attributes).

Only `HKCategoryTypeIdentifierSleepAnalysis` records are kept. Their values say what a stretch
was: `InBed`, `Asleep`/`AsleepUnspecified`, `AsleepCore` (light), `AsleepDeep`, `AsleepREM` or
`Awake`. Dates carry their offset (`2024-01-01 00:55:28 +0200`), which gives the instant.

Merging, so that nothing is counted twice:
1. per source (`sourceName`), stretches less than an hour apart are one sleep;
2. within that sleep, minutes asleep, awake and in each stage are the union of the stretches;
3. sleeps of different sources that overlap are one sleep: its start and end are the earliest
   and latest of them, and its minutes come from the source with the most detail (stages, then
   asleep, then in bed only; ties to the longer time asleep). The others count as merged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import IO

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.trackers.nights import (
    elapsed_minutes,
    night_of,
    union_minutes,
    with_offset,
)
from anklesleep.trackers.records import Reading, TrackerNight
from anklesleep.trackers.text import refuse
from anklesleep.trackers.xml_scan import Damaged, Scan, elements

SOURCE = "apple-health"
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_PREFIX = "HKCategoryValueSleepAnalysis"
_MARKER = SLEEP_TYPE.encode()  # found by bytes; the type attribute is checked after
#: value -> (kind, stage)
_VALUES: dict[str, tuple[str, str | None]] = {
    "InBed": ("bed", None),
    "Asleep": ("asleep", None),
    "AsleepUnspecified": ("asleep", None),
    "AsleepCore": ("asleep", "light"),
    "AsleepDeep": ("asleep", "deep"),
    "AsleepREM": ("asleep", "rem"),
    "Awake": ("awake", "awake"),
}
_JOIN = dt.timedelta(hours=1)
_EXACT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", re.ASCII)

Span = tuple[dt.datetime, dt.datetime]


def looks_like(head: str) -> bool:
    return "<HealthData" in head or "<!DOCTYPE HealthData" in head


@dataclass
class _Sleep:
    source: str
    device: str
    start: dt.datetime
    end: dt.datetime
    where: str
    spans: dict[str, list[Span]] = field(default_factory=dict)  # kind or stage -> stretches

    def add(self, kind: str, stage: str | None, span: Span) -> None:
        self.spans.setdefault(kind, []).append(span)
        if stage is not None and stage != "awake":
            self.spans.setdefault(stage, []).append(span)
        self.start = min(self.start, span[0])
        self.end = max(self.end, span[1])

    def minutes(self, kind: str) -> int | None:
        spans = self.spans.get(kind)
        return None if not spans else round(union_minutes(spans))

    @property
    def detail(self) -> tuple[int, int]:
        level = 2 if any(k in self.spans for k in ("deep", "rem", "light")) else 0
        level = level or (1 if "asleep" in self.spans else 0)
        return level, self.minutes("asleep") or 0


def _date(raw: str | None, where: str, name: str) -> dt.datetime:
    if raw and _EXACT.fullmatch(raw):  # the form Apple writes: read without strptime's cost
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            pass  # e.g. month 13: strptime below refuses it with the usual line
    try:
        return dt.datetime.strptime(raw or "", "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        raise refuse(
            where, name, raw or "", _("it should look like 2024-01-01 00:55:28 +0100")
        ) from None


def _device(source: str, raw: str | None) -> str:
    if raw and "name:" in raw:
        return raw.split("name:", 1)[1].split(",", 1)[0].strip() or source
    return source


def _stretches(
    stream: IO[bytes], name: str, reading: Reading
) -> list[tuple[str, str, str, str, str | None, Span]]:
    """(where, source, device, kind, stage, span) of every sleep record, streamed: expat checks
    the whole document in C and only the sleep records' start tags reach Python."""
    found: list[tuple[str, str, str, str, str | None, Span]] = []
    scan = Scan()
    try:
        for record in elements(stream, "Record", _MARKER, scan, "HealthData"):
            attrib = record.attributes
            if attrib.get("type") != SLEEP_TYPE:
                continue
            where = f"{name} record {record.number}"
            reading.records_read += 1
            value = attrib.get("value", "").removeprefix(_PREFIX)
            kind = _VALUES.get(value)
            if kind is None:
                raise refuse(
                    where,
                    "value",
                    attrib.get("value", ""),
                    _("it is not a sleep value Apple Health writes"),
                )
            start = _date(attrib.get("startDate"), where, "startDate")
            end = _date(attrib.get("endDate"), where, "endDate")
            if end > start:
                source = attrib.get("sourceName", "") or "Apple Health"
                device = _device(source, attrib.get("device"))
                found.append((where, source, device, kind[0], kind[1], (start, end)))
    except Damaged as exc:
        raise AnkleSleepError(
            _(
                "{file} line {line}: the XML is damaged or cut short; export it again from "
                "the Health app; nothing was imported"
            ).format(file=name, line=exc.line),
            field="file",
        ) from None
    if scan.root != "HealthData":
        raise AnkleSleepError(
            _("{file}: is XML but not an Apple Health export; nothing was imported").format(
                file=name
            ),
            field="file",
        )
    return found


def _per_source(stretches: list[tuple[str, str, str, str, str | None, Span]]) -> list[_Sleep]:
    sleeps: list[_Sleep] = []
    current: dict[str, _Sleep] = {}
    for where, source, device, kind, stage, span in sorted(stretches, key=lambda s: (s[1], s[5])):
        sleep = current.get(source)
        if sleep is None or span[0] - sleep.end > _JOIN:
            sleep = _Sleep(source, device, span[0], span[1], where)
            current[source] = sleep
            sleeps.append(sleep)
        sleep.add(kind, stage, span)
    return sleeps


def _merge(sleeps: list[_Sleep], reading: Reading) -> list[list[_Sleep]]:
    groups: list[list[_Sleep]] = []
    end: dt.datetime | None = None
    for sleep in sorted(sleeps, key=lambda s: s.start):
        if groups and end is not None and sleep.start < end:
            groups[-1].append(sleep)
            end = max(end, sleep.end)
            reading.merged += 1
        else:
            groups.append([sleep])
            end = sleep.end
    return groups


def read(stream: IO[bytes], name: str, zone: dt.tzinfo, reading: Reading) -> None:
    """Add the nights of one Apple Health export to `reading`."""
    stretches = _stretches(stream, name, reading)
    if not stretches:
        raise AnkleSleepError(
            _(
                "{file}: an Apple Health export with no sleep records in it; nothing was imported"
            ).format(file=name),
            field="file",
        )
    for group in _merge(_per_source(stretches), reading):
        best = max(group, key=lambda s: s.detail)
        start = min(s.start for s in group)
        end = max(s.end for s in group)
        asleep = best.minutes("asleep")
        stages = {
            k: m for k in ("deep", "light", "rem", "awake") if (m := best.minutes(k)) is not None
        }
        reading.nights.append(
            TrackerNight(
                source=SOURCE,
                record_id=start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S"),
                device=best.device,
                start=with_offset(start),
                end=with_offset(end),
                night=night_of(end, zone),
                in_bed_minutes=elapsed_minutes(start, end),
                asleep_minutes=asleep,
                awake_minutes=best.minutes("awake"),
                stages=stages if len(stages) > ("awake" in stages) else None,
                nap=False,
                where=best.where,
            )
        )
