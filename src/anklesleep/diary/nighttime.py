"""A diary night on the real timeline: wall-clock times in the user's zone on that night,
turned into instants so that durations are real elapsed minutes across daylight-saving changes.

The four clock times are read in diary order, each the first moment at or after the one before
on the clock (so a bedtime of 23:30 and one of 00:30 both work), and the night ends on the
morning of its date. Each local time is then placed in the night's zone:

- a time the clocks skipped (02:30 on a spring-forward night in New York) never happened, so it
  is refused with a sentence that says so;
- a time the clocks showed twice (01:30 on a fall-back night) is ambiguous; the entry's `fold`
  says which one was meant (0 the earlier, 1 the later, as in `datetime.fold`); without it the
  entry is refused with a question rather than guessed.

Pure: no clock, no database; the zone data is the standard library's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from dataclasses import dataclass
from functools import cache

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

MINUTES_PER_DAY = 24 * 60
TIME_FIELDS: tuple[str, ...] = ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed")
#: The names a person gives for a repeated hour, and the `fold` each one means.
FOLD_WORDS: dict[str, int] = {"earlier": 0, "later": 1}


@cache
def zone(name: str) -> dt.tzinfo:
    """The zone called `name`; an unknown name is refused naming it."""
    if name == "UTC":
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise AnkleSleepError(
            _("{field}: “{value}” is not a time zone name; use one like Europe/London").format(
                field=_field_label("zone"), value=name
            ),
            field="zone",
        ) from None


def _minute_of_day(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def forward_minutes(start: dt.time, end: dt.time) -> int:
    """Clock minutes from `start` to the next `end` at or after it (crossing midnight)."""
    return (_minute_of_day(end) - _minute_of_day(start)) % MINUTES_PER_DAY


def wall_times(night: dt.date, times: tuple[dt.time, ...]) -> list[dt.datetime]:
    """The local (naive) date and time of each clock time, the last one on the morning of
    `night`, each one the first at or after the one before on the clock."""
    steps = [forward_minutes(a, b) for a, b in itertools.pairwise(times)]
    end = dt.datetime.combine(night, times[-1])
    total = sum(steps)
    result = [end - dt.timedelta(minutes=total)]
    for step in steps:
        result.append(result[-1] + dt.timedelta(minutes=step))
    return result


def is_skipped(local: dt.datetime, tz: dt.tzinfo) -> bool:
    """Whether the clocks in `tz` jumped over `local` (it never showed on a wall clock)."""
    aware = local.replace(tzinfo=tz)
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    return back != local


def is_repeated(local: dt.datetime, tz: dt.tzinfo) -> bool:
    """Whether the clocks in `tz` showed `local` twice (a fall-back hour)."""
    if is_skipped(local, tz):
        return False
    return (
        local.replace(tzinfo=tz, fold=0).utcoffset() != local.replace(tzinfo=tz, fold=1).utcoffset()
    )


@dataclass(frozen=True)
class Instants:
    """The night's four moments in UTC, in diary order."""

    into_bed: dt.datetime
    tried_to_sleep: dt.datetime
    final_awakening: dt.datetime
    out_of_bed: dt.datetime


def instants(
    night: dt.date,
    times: tuple[dt.time, dt.time, dt.time, dt.time],
    zone_name: str,
    fold: int | None,
    *,
    strict: bool = True,
) -> Instants:
    """The four clock times of a night as UTC instants.

    With `strict`, a skipped time or a repeated one without `fold` raises `AnkleSleepError`
    naming the field; without it (reading stored nights), a skipped time counts with the
    offset before the change and a repeated one as the earlier, so old rows still show.
    """
    tz = zone(zone_name)
    result: list[dt.datetime] = []
    for name, local in zip(TIME_FIELDS, wall_times(night, times), strict=True):
        if strict and is_skipped(local, tz):
            raise AnkleSleepError(
                _(
                    "{field}: {time} did not happen on {date} in {zone}, because the clocks "
                    "went forward then; check the time"
                ).format(
                    field=_field_label(name),
                    time=local.strftime("%H:%M"),
                    date=local.date().isoformat(),
                    zone=zone_name,
                ),
                field=name,
            )
        if strict and fold is None and is_repeated(local, tz):
            raise AnkleSleepError(
                _(
                    "{field}: {time} happened twice on {date} in {zone}, because the clocks went "
                    "back; say whether you mean the earlier or the later {time}"
                ).format(
                    field=_field_label(name),
                    time=local.strftime("%H:%M"),
                    date=local.date().isoformat(),
                    zone=zone_name,
                ),
                field="fold",
            )
        aware = local.replace(tzinfo=tz, fold=fold or 0)
        result.append(aware.astimezone(dt.UTC))
    return Instants(*result)


def elapsed_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes of real time from `start` to `end` (both aware)."""
    seconds = (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds()
    return round(seconds / 60)


def _field_label(name: str) -> str:
    from anklesleep.diary.labels import label

    return label(name)
