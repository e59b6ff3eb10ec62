"""Progress and trends: adherence, streaks, habit strength, rolling sleep means, symptom trends.

Pure: records, diary entries and "today" are arguments. The association view (nights after a
bedtime session against nights without) lives in `association`; `overview` gathers everything
one screen or report needs into one value.

Habit strength follows Loop Habit Tracker's exponential smoothing for a daily habit: with
x_t = 1 on a day with at least one completed session and 0 otherwise,

    s_t = m * s_(t-1) + (1 - m) * x_t,   m = 0.5 ** (1 / 13)

starting from s = 0 on the day of the first completed session. The weight of a day halves
every 13 days (the half-life), so a few missed days after a long run lower the score a little
instead of wiping it out, and a month of daily practice brings it to about 80 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal

from anklesleep.basics.i18n import N_, Translate, nt
from anklesleep.diary.entries import SYMPTOMS, SleepEntry, SymptomEntry, metrics
from anklesleep.insights.association import (
    METRIC_INFO,
    METRICS,
    Association,
    Metric,
    Night,
    compare,
)
from anklesleep.practice.records import SessionRecord, current_streak, longest_streak
from anklesleep.schedule.slots import SLOTS, SlotName

#: days for the weight of a day in the habit strength to halve (Loop Habit Tracker's value)
HALF_LIFE_DAYS = 13.0
ROLLING_WINDOW = 7
#: a 7-day mean is shown only when the window holds at least this many nights
ROLLING_MIN_NIGHTS = 3
#: symptom trend: the recent and earlier windows, in days
TREND_WINDOW_DAYS = 28
#: a change in mean symptom score smaller than this (points out of 10) is "about the same"
TREND_STEADY = 1.0


@dataclass(frozen=True)
class DayAdherence:
    """What was done on one day: the slots with a completed session, and partial ones."""

    day: dt.date
    slots_done: tuple[SlotName, ...]
    slots_partial: tuple[SlotName, ...]

    @property
    def done(self) -> bool:
        return bool(self.slots_done)

    @property
    def count(self) -> int:
        return len(self.slots_done)


@dataclass(frozen=True)
class SlotAdherence:
    slot: SlotName
    days_done: int
    days: int

    @property
    def rate(self) -> float:
        return self.days_done / self.days if self.days else 0.0


@dataclass(frozen=True)
class Adherence:
    """Adherence from `start` to `end` (inclusive): per day, per slot and the streaks."""

    start: dt.date
    end: dt.date
    days: tuple[DayAdherence, ...]
    per_slot: tuple[SlotAdherence, ...]
    days_done: int
    days_all_three: int
    sessions_completed: int
    current_streak: int
    longest_streak: int

    @property
    def days_total(self) -> int:
        return len(self.days)

    @property
    def rate(self) -> float:
        return self.days_done / self.days_total if self.days_total else 0.0


@dataclass(frozen=True)
class HabitStrength:
    """The habit-strength score (0-100 %) for each day of the period, and today's value."""

    half_life_days: float
    points: tuple[tuple[dt.date, float], ...]

    @property
    def current(self) -> float:
        return self.points[-1][1] if self.points else 0.0


@dataclass(frozen=True)
class RollingPoint:
    """Trailing 7-day means of the sleep measures ending on `day` (None: too few nights)."""

    day: dt.date
    nights: int
    means: Mapping[Metric, float | None]


@dataclass(frozen=True)
class SymptomTrend:
    """One complaint's scores over the period and whether it is easing."""

    symptom: str
    label: str
    points: tuple[tuple[dt.date, int], ...]
    latest: int | None
    recent_mean: float | None  # the last 28 days
    earlier_mean: float | None  # the 28 days before those
    change: float | None  # recent - earlier (negative = easing)
    slope_per_30_days: float | None
    direction: Literal["easing", "worsening", "steady", "too few"]


#: how a complaint is going, as people read it (the English words are the values themselves)
DIRECTION_LABELS: dict[str, str] = {
    "easing": N_("easing"),
    "worsening": N_("worsening"),
    "steady": N_("steady"),
    "too few": N_("too few"),
}


@dataclass(frozen=True)
class Overview:
    """Everything the stats screen, the Insights page and the report show, as values."""

    today: dt.date
    start: dt.date
    end: dt.date
    adherence: Adherence
    habit: HabitStrength
    nights: tuple[Night, ...]
    bedtime_days: frozenset[dt.date]
    rolling: tuple[RollingPoint, ...]
    association: Association
    symptoms: tuple[SymptomTrend, ...]

    @property
    def nights_recorded(self) -> int:
        return len(self.nights)


# --- adherence and habit strength -------------------------------------------------------------


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def adherence(
    records: Sequence[SessionRecord], start: dt.date, end: dt.date, today: dt.date
) -> Adherence:
    """Per day and per slot from `start` to `end`; streaks over all records up to `today`."""
    done: dict[dt.date, set[SlotName]] = {}
    partial: dict[dt.date, set[SlotName]] = {}
    completed = 0
    for r in records:
        if not start <= r.local_date <= end:
            continue
        if r.completed:
            done.setdefault(r.local_date, set()).add(r.slot)
            completed += 1
        else:
            partial.setdefault(r.local_date, set()).add(r.slot)
    days = []
    for day in _days(start, end):
        slots_done = done.get(day, set())
        days.append(
            DayAdherence(
                day,
                tuple(s for s in SLOTS if s in slots_done),
                tuple(s for s in SLOTS if s in partial.get(day, set()) - slots_done),
            )
        )
    per_slot = tuple(
        SlotAdherence(slot, sum(1 for d in days if slot in d.slots_done), len(days))
        for slot in SLOTS
    )
    return Adherence(
        start=start,
        end=end,
        days=tuple(days),
        per_slot=per_slot,
        days_done=sum(1 for d in days if d.done),
        days_all_three=sum(1 for d in days if d.count == len(SLOTS)),
        sessions_completed=completed,
        current_streak=current_streak(records, today),
        longest_streak=longest_streak(records),
    )


def habit_strength(
    done_days: Iterable[dt.date],
    start: dt.date,
    end: dt.date,
    half_life_days: float = HALF_LIFE_DAYS,
) -> HabitStrength:
    """Loop Habit Tracker's score (see the module docstring), as percent, for start..end.

    The smoothing runs from the first completed day ever, so history before `start` counts.
    """
    days = set(done_days)
    if not days or end < start:
        return HabitStrength(half_life_days, tuple((d, 0.0) for d in _days(start, end)))
    m = 0.5 ** (1.0 / half_life_days)
    first = min(min(days), start)
    score = 0.0
    points = []
    day = first
    step = dt.timedelta(days=1)
    while day <= end:
        score = m * score + (1.0 - m) * (1.0 if day in days else 0.0)
        if day >= start:
            points.append((day, round(100.0 * score, 2)))
        day += step
    return HabitStrength(half_life_days, tuple(points))


# --- sleep: rolling means ---------------------------------------------------------------------


def nights_from(entries: Iterable[SleepEntry]) -> list[Night]:
    """The outcome values of diary entries (TST, SE, SOL, WASO from `diary.metrics`)."""
    result = []
    for e in entries:
        m = metrics(e)
        result.append(
            Night(
                e.night, float(m.sol), float(m.waso), float(m.tst), m.se, float(e.quality), m.nwak
            )
        )
    return sorted(result, key=lambda n: n.night)


def rolling_means(
    nights: Sequence[Night],
    start: dt.date,
    end: dt.date,
    window: int = ROLLING_WINDOW,
    min_nights: int = ROLLING_MIN_NIGHTS,
) -> tuple[RollingPoint, ...]:
    """For each day start..end, the mean of each measure over the nights of the `window` days
    ending that day; None where fewer than `min_nights` nights were recorded."""
    import numpy as np

    if end < start:
        return ()
    first = start - dt.timedelta(days=window - 1)
    span = (end - first).days + 1
    sums = np.zeros((span + 1, len(METRICS)))
    counts = np.zeros(span + 1)
    for night in nights:
        i = (night.night - first).days
        if 0 <= i < span:
            sums[i + 1] += [night.value(m) for m in METRICS]
            counts[i + 1] += 1
    csum, ccount = np.cumsum(sums, axis=0), np.cumsum(counts)
    # day i (counted from `first`) sits at cumulative index i + 1; output k is day k + window - 1
    total = csum[window:] - csum[: span + 1 - window]
    number = ccount[window:] - ccount[: span + 1 - window]
    points = []
    for k, day in enumerate(_days(start, end)):
        n = int(number[k])
        means: dict[Metric, float | None] = {
            m: (float(total[k, j]) / n if n >= min_nights else None) for j, m in enumerate(METRICS)
        }
        points.append(RollingPoint(day, n, means))
    return tuple(points)


# --- symptoms ---------------------------------------------------------------------------------


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _slope(points: Sequence[tuple[dt.date, int]]) -> float | None:
    """Least-squares slope in score points per 30 days; None with fewer than 3 days."""
    if len({d for d, _s in points}) < 3:
        return None
    xs = [d.toordinal() for d, _s in points]
    ys = [float(s) for _d, s in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return 30.0 * sxy / sxx if sxx else None


def symptom_trends(
    entries: Iterable[SymptomEntry], start: dt.date, end: dt.date
) -> tuple[SymptomTrend, ...]:
    """For each of the seven complaints scored in start..end: the scores, the mean of the last
    28 days against the 28 before, and the slope. Complaints never scored are left out."""
    by_symptom: dict[str, list[tuple[dt.date, int]]] = {}
    for e in entries:
        if start <= e.day <= end:
            by_symptom.setdefault(e.symptom, []).append((e.day, e.score))
    recent_from = end - dt.timedelta(days=TREND_WINDOW_DAYS - 1)
    earlier_from = recent_from - dt.timedelta(days=TREND_WINDOW_DAYS)
    trends = []
    for symptom in SYMPTOMS:
        points = sorted(by_symptom.get(symptom.key, []))
        if not points:
            continue
        recent = _mean([s for d, s in points if d >= recent_from])
        earlier = _mean([s for d, s in points if earlier_from <= d < recent_from])
        change = recent - earlier if recent is not None and earlier is not None else None
        direction: Literal["easing", "worsening", "steady", "too few"]
        if change is None:
            direction = "too few"
        elif change <= -TREND_STEADY:
            direction = "easing"
        elif change >= TREND_STEADY:
            direction = "worsening"
        else:
            direction = "steady"
        trends.append(
            SymptomTrend(
                symptom=symptom.key,
                label=symptom.label,
                points=tuple(points),
                latest=points[-1][1],
                recent_mean=recent,
                earlier_mean=earlier,
                change=change,
                slope_per_30_days=_slope(points),
                direction=direction,
            )
        )
    return tuple(trends)


# --- everything at once -----------------------------------------------------------------------


def overview(
    records: Sequence[SessionRecord],
    entries: Iterable[SleepEntry],
    symptoms: Iterable[SymptomEntry],
    *,
    today: dt.date,
    t: Translate,
    days: int = 90,
    seed: int = 0,
    first_use: dt.date | None = None,
) -> Overview:
    """The whole analysis for the `days` days ending today (no charts, no I/O).

    With `first_use` (the first day anything was recorded) the period starts no earlier than
    that day, so three days of use count as three days, not as three of ninety.
    """
    start = today - dt.timedelta(days=days - 1)
    if first_use is not None:
        start = min(max(start, first_use), today)
    done_days = {r.local_date for r in records if r.completed}
    bedtime = frozenset(r.local_date for r in records if r.completed and r.slot == "bedtime")
    nights = tuple(n for n in nights_from(entries) if start <= n.night <= today)
    return Overview(
        today=today,
        start=start,
        end=today,
        adherence=adherence(records, start, today, today),
        habit=habit_strength(done_days, start, today),
        nights=nights,
        bedtime_days=bedtime,
        rolling=rolling_means(nights, start, today),
        association=compare(nights, bedtime, t=t, seed=seed),
        symptoms=symptom_trends(symptoms, start, today),
    )


def headline(o: Overview, t: Translate) -> list[str]:
    """A few plain sentences for the top of the stats screen and the report."""
    a = o.adherence
    return [
        nt(
            "Practice: {done} of {total} day with at least one session ({rate:.0%}).",
            "Practice: {done} of {total} days with at least one session ({rate:.0%}).",
            a.days_total,
            t,
        ).format(done=a.days_done, total=a.days_total, rate=a.rate),
        nt(
            "Streak: {current} day now; longest {longest}.",
            "Streak: {current} days now; longest {longest}.",
            a.current_streak,
            t,
        ).format(current=a.current_streak, longest=a.longest_streak),
        t("Habit strength: {score:.0f} % (half-life {half:g} days).").format(
            score=o.habit.current, half=o.habit.half_life_days
        ),
        nt(
            "Sleep diary: {n} night recorded.",
            "Sleep diary: {n} nights recorded.",
            o.nights_recorded,
            t,
        ).format(n=o.nights_recorded),
    ]


# --- JSON -------------------------------------------------------------------------------------


def jsonable(value: Any, digits: int = 3) -> Any:
    """Plain JSON types from the values here: dates as ISO text, floats rounded."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name), digits) for f in fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, digits) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return [jsonable(v, digits) for v in sorted(value)]
    if isinstance(value, list | tuple):
        return [jsonable(v, digits) for v in value]
    return value


def overview_dict(o: Overview) -> dict[str, Any]:
    """The overview as JSON-ready data (the per-day series kept, the night list left out)."""
    data: dict[str, Any] = {
        "today": o.today.isoformat(),
        "start": o.start.isoformat(),
        "end": o.end.isoformat(),
        "adherence": jsonable(o.adherence) | {"rate": round(o.adherence.rate, 3)},
        "habit_strength": {
            "half_life_days": o.habit.half_life_days,
            "current": o.habit.current,
            "points": [[d.isoformat(), s] for d, s in o.habit.points],
        },
        "nights_recorded": o.nights_recorded,
        "rolling_7_day_means": [
            {"day": p.day.isoformat(), "nights": p.nights, **jsonable(p.means, 2)}
            for p in o.rolling
        ],
        "association": jsonable(o.association),
        "symptoms": jsonable(o.symptoms),
        "metrics": {k: jsonable(v) for k, v in METRIC_INFO.items()},
    }
    return data
