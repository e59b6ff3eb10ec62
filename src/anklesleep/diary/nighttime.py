"""A diary night on the real timeline: wall-clock times in the user's zone on that night,
turned into instants so that durations are real elapsed minutes across daylight-saving changes.

The four clock times are read in diary order, each the first moment at or after the one before
on the clock (so a bedtime of 23:30 and one of 00:30 both work), and the night ends on the
morning of its date. Each local time is then placed in the night's zone:

- a time the clocks skipped (02:30 on a spring-forward night in New York) never happened, so it
  is refused with a sentence that says so;
- a time the clocks showed twice (01:30 on a fall-back night) is ambiguous; the entry's `fold`
  says which one was meant (0 the earlier, 1 the later, as in `datetime.fold`); without it the
  entry is refused with a question rather than guessed. When the order of the night leaves only
  one reading (into bed at 01:50, then trying to sleep at 01:05 after the clocks went back),
  that reading is taken without asking; `fold` answers for the first repeated time, and later
  ones keep the same side unless only the other keeps the times in order.

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


def clock_steps(night: dt.date, times: tuple[dt.time, ...], tz: dt.tzinfo) -> list[int]:
    """Minutes on the wall clock from each time to the next: forward around the clock, except a
    step back inside the hour that a fall-back night shows twice (into bed at 01:50, trying to
    sleep at 01:05 once the clocks went back), which is a negative step."""
    steps = [forward_minutes(a, b) for a, b in itertools.pairwise(times)]
    for n, local in enumerate(_chain(night, times, steps)[1:]):
        before = dt.datetime.combine(local.date(), times[n])
        if before > local and is_repeated(local, tz) and is_repeated(before, tz):
            steps[n] = -round((before - local).total_seconds() / 60)
    return steps


def _chain(night: dt.date, times: tuple[dt.time, ...], steps: list[int]) -> list[dt.datetime]:
    end = dt.datetime.combine(night, times[-1])
    result = [end - dt.timedelta(minutes=sum(steps))]
    for step in steps:
        result.append(result[-1] + dt.timedelta(minutes=step))
    return result


def wall_times(night: dt.date, times: tuple[dt.time, ...], tz: dt.tzinfo) -> list[dt.datetime]:
    """The local (naive) date and time of each clock time, the last one on the morning of
    `night`, each one the next at or after the one before on the clock (see `clock_steps`)."""
    return _chain(night, times, clock_steps(night, times, tz))


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
    locals_ = wall_times(night, times, tz)
    for name, local in zip(TIME_FIELDS, locals_, strict=True):
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
    folds = _folds(locals_, tz, fold)
    if folds is None:
        if strict:
            name, local = next(
                (n, t) for n, t in zip(TIME_FIELDS, locals_, strict=True) if is_repeated(t, tz)
            )
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
        folds = [0] * len(locals_)
    return Instants(
        *(
            local.replace(tzinfo=tz, fold=f).astimezone(dt.UTC)
            for local, f in zip(locals_, folds, strict=True)
        )
    )


def _folds(locals_: list[dt.datetime], tz: dt.tzinfo, fold: int | None) -> list[int] | None:
    """The `fold` of each local time: the readings of the repeated ones that keep the night in
    order, the one `fold` names for the first repeated time, most often on that same side.
    None when the night allows more than one reading and `fold` is not given."""
    repeated = [n for n, local in enumerate(locals_) if is_repeated(local, tz)]

    def spread(choice: tuple[int, ...]) -> list[int]:
        folds = [0] * len(locals_)
        for n, f in zip(repeated, choice, strict=True):
            folds[n] = f
        return folds

    def in_order(choice: tuple[int, ...]) -> bool:
        pairs = zip(locals_, spread(choice), strict=True)
        moments = [t.replace(tzinfo=tz, fold=f).astimezone(dt.UTC) for t, f in pairs]
        return all(a <= b for a, b in itertools.pairwise(moments))

    readings = [c for c in itertools.product((0, 1), repeat=len(repeated)) if in_order(c)]
    if len(readings) == 1 or not repeated:
        return spread(readings[0] if readings else ())
    if fold is None:
        return None
    answered = [r for r in readings if r[0] == fold]
    if not answered:  # no reading keeps the order: the order checks say what is wrong
        return spread((fold,) * len(repeated))
    return spread(max(answered, key=lambda r: r.count(fold)))


def elapsed_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes of real time from `start` to `end` (both aware)."""
    seconds = (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds()
    return round(seconds / 60)


def _field_label(name: str) -> str:
    from anklesleep.diary.labels import label

    return label(name)
