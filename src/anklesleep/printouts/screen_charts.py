"""Charts for screens of any width, as plain geometry the web page draws itself.

The report keeps the matplotlib drawings of `anklesleep.printouts.charts` (made for paper). A
phone needs something else: text that stays at least 12 CSS px at 320 px wide, dates in the
user's words ("Mon 23", "Nov"), one title, and every value reachable by tapping, by keyboard and
as a table. So these functions compute only positions, in percent of the plotting area
(x from the left, y from the top), and the words around them; the page lays out the text in HTML
at its real size and draws only lines and bars in a stretched SVG (see
`templates/_charts.html`). Nothing here reads a clock or a file: today and the first day of use
come in as arguments.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from anklesleep.basics import formats
from anklesleep.basics.formats import WEEKDAYS
from anklesleep.basics.i18n import N_, Translate, language_of, nt, translator
from anklesleep.insights.association import METRIC_INFO, Metric, Night
from anklesleep.insights.progress import DayAdherence, HabitStrength, RollingPoint, SymptomTrend

#: at most this many date labels under a chart: each takes up to 50 px, and a 320 px phone
#: leaves about 180 px for the plot
MAX_X_LABELS = 3


def weekday_day(day: dt.date, t: Translate) -> str:
    """ "Mon 23" ("23日(月)") in the language of `t`."""
    return formats.short_day(day, language_of(t))


def month_name(day: dt.date, t: Translate) -> str:
    """ "Nov" ("11月") in the language of `t`."""
    return formats.month(day, language_of(t))


def full_day(day: dt.date, t: Translate) -> str:
    """ "Mon 23 Nov" ("11月23日(月)") in the language of `t` (for tables and read-outs)."""
    return formats.day(day, language_of(t))


@dataclass(frozen=True)
class Tick:
    """A label at `at` percent along an axis."""

    at: float
    label: str


@dataclass(frozen=True)
class Point:
    """One value: where it is drawn, and what tapping or focusing it reads out."""

    x: float
    y: float
    text: str
    marker: int = 0  # which of the page's marker shapes


@dataclass(frozen=True)
class Series:
    """A named line or a set of marks, drawn in one of the page's styles."""

    name: str
    points: tuple[Point, ...]
    style: int = 0
    line: bool = True
    #: the line as segments (x1, y1, x2, y2) in percent: SVG takes percentages for lines but
    #: not for paths, and percentages keep the page's text at its real size
    segments: tuple[tuple[float, float, float, float], ...] = ()


@dataclass(frozen=True)
class Panel:
    """One plotting area with its own y axis (a chart has one or more, sharing the x axis)."""

    title: str
    series: tuple[Series, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]


@dataclass(frozen=True)
class Cell:
    """One day of the practice calendar."""

    week: int
    weekday: int
    level: int  # finished sessions that day, 0-3; -1 before the first day or after today
    text: str


@dataclass(frozen=True)
class ScreenChart:
    """A chart for the page: its one title, a summary sentence, what to draw, and a table."""

    key: str
    title: str
    summary: str
    panels: tuple[Panel, ...] = ()
    cells: tuple[Cell, ...] = ()
    weeks: int = 0
    week_heads: tuple[str, ...] = ()  # a month's name over the week it starts in, else ""
    row_heads: tuple[str, ...] = ()  # the calendar's weekday names, Monday first
    legend: tuple[tuple[int, str, bool], ...] = ()  # style, words, drawn as a line
    table_head: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = field(default=())
    empty: str = ""
    printable: bool = True  # a matplotlib drawing of it is served at /insights/KEY.svg


# --- axes -------------------------------------------------------------------------------------


def _x(day: dt.date, start: dt.date, end: dt.date) -> float:
    span = (end - start).days
    if span <= 0:
        return 50.0
    return round(100.0 * (day - start).days / span, 1)


def date_ticks(start: dt.date, end: dt.date, t: Translate) -> tuple[Tick, ...]:
    """A few date labels: weekday and day ("Mon 23") up to five weeks, else month starts."""
    span = (end - start).days
    if span <= 0:
        return (Tick(50.0, weekday_day(start, t)),)
    if span <= 35:
        count = min(MAX_X_LABELS, span + 1)
        step = span / (count - 1)
        days = sorted({start + dt.timedelta(days=round(i * step)) for i in range(count)})
        return tuple(Tick(_x(d, start, end), weekday_day(d, t)) for d in days)
    firsts = [
        dt.date(y, m, 1)
        for y in range(start.year, end.year + 1)
        for m in range(1, 13)
        if start < dt.date(y, m, 1) <= end
    ]
    return tuple(Tick(_x(d, start, end), month_name(d, t)) for d in firsts[-MAX_X_LABELS:])


def _step(low: float, high: float, count: int) -> float:
    raw = (high - low) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def nice_range(low: float, high: float, count: int = 3) -> tuple[float, float]:
    """`low` and `high` widened to round values, so the axis ends on a labelled line."""
    if high <= low:
        return low, high
    step = _step(low, high, count)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step


def value_ticks(low: float, high: float, count: int = 3) -> tuple[float, ...]:
    """Round values from `low` to `high` for a y axis (at most `count` + 1 of them)."""
    if high <= low:
        return (low,)
    step = _step(low, high, count)
    first = math.ceil(low / step) * step
    values = []
    v = first
    while v <= high + 1e-9:
        values.append(round(v, 6))
        v += step
    return tuple(values)


def _y(value: float, low: float, high: float) -> float:
    if high <= low:
        return 50.0
    return round(100.0 * (high - value) / (high - low), 1)


def _segments(
    points: Sequence[tuple[float, float] | None],
) -> tuple[tuple[float, float, float, float], ...]:
    """Line segments joining the points in turn, with a gap at each None."""
    result = []
    previous: tuple[float, float] | None = None
    for p in points:
        if p is not None and previous is not None:
            result.append((previous[0], previous[1], p[0], p[1]))
        previous = p
    return tuple(result)


def _range(
    values: Sequence[float], floor: float | None, ceiling: float | None
) -> tuple[float, float]:
    low = min(values) if floor is None else floor
    high = max(values) if ceiling is None else ceiling
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    return low, high


# --- the charts -------------------------------------------------------------------------------


def practice_calendar(
    days: Sequence[DayAdherence], today: dt.date, t: Translate, weeks: int = 14
) -> ScreenChart:
    """Finished sessions per day as a calendar, a column per week from Monday, since the first
    day of use (at most `weeks` weeks)."""
    title = t("Practice calendar")
    shown = [d for d in days if d.day <= today]
    if not shown:
        return ScreenChart("practice", title, "", empty=t("No days to show yet."))
    first = max(shown[0].day, today - dt.timedelta(weeks=weeks) + dt.timedelta(days=1))
    monday = first - dt.timedelta(days=first.weekday())
    columns = (today - monday).days // 7 + 1
    by_day = {d.day: d for d in shown}
    cells: list[Cell] = []
    labels: list[Tick] = []
    for week in range(columns):
        week_start = monday + dt.timedelta(weeks=week)
        for weekday in range(7):
            day = week_start + dt.timedelta(days=weekday)
            if day.day == 1 or (week == 0 and weekday == 0):
                labels.append(Tick(week, month_name(day, t)))
            if day < first or day > today:
                cells.append(Cell(week, weekday, -1, ""))
                continue
            count = by_day[day].count if day in by_day else 0
            words = nt("{n} session finished", "{n} sessions finished", count, t).format(n=count)
            cells.append(Cell(week, weekday, count, f"{full_day(day, t)}: {words}"))
    done = sum(1 for d in shown if first <= d.day and d.done)
    total = (today - first).days + 1
    summary = nt(
        "{done} of {total} day with at least one finished session.",
        "{done} of {total} days with at least one finished session.",
        total,
        t,
    ).format(done=done, total=total)
    rows = tuple((full_day(d.day, t), str(d.count)) for d in reversed(shown) if first <= d.day)
    # a month's name over the week it starts in; the first week's too when there is room
    heads = [""] * columns
    for tick in labels:
        week = int(tick.at)
        later = [other.at for other in labels if other.at > tick.at]
        if week == 0 and later and later[0] < 3:
            continue
        heads[week] = tick.label
    return ScreenChart(
        "practice",
        title,
        summary,
        cells=tuple(cells),
        weeks=columns,
        week_heads=tuple(heads),
        row_heads=tuple(t(name) for name in WEEKDAYS),
        table_head=(t("Day"), t("Finished sessions")),
        table_rows=rows,
    )


def habit_line(habit: HabitStrength, t: Translate) -> ScreenChart:
    """Habit strength (0-100 %) day by day."""
    title = t("Habit strength")
    points = habit.points
    if not points:
        return ScreenChart("habit", title, "", empty=t("No days to show yet."))
    start, end = points[0][0], points[-1][0]
    marks = tuple(
        Point(_x(d, start, end), _y(v, 0, 100), f"{full_day(d, t)}: {v:.0f} %") for d, v in points
    )
    series = Series(
        t("Habit strength"),
        marks,
        segments=_segments([(p.x, p.y) for p in marks]),
    )
    panel = Panel(
        "",
        (series,),
        tuple(Tick(_y(v, 0, 100), f"{v:g} %") for v in (0, 50, 100)),
        date_ticks(start, end, t),
    )
    summary = t(
        "Now {score:.0f} %. It grows with each day you practise and fades slowly on days "
        "without, so one missed day costs little."
    ).format(score=habit.current)
    return ScreenChart(
        "habit",
        title,
        summary,
        panels=(panel,),
        table_head=(t("Day"), t("Habit strength")),
        table_rows=tuple((full_day(d, t), f"{v:.0f} %") for d, v in reversed(points)),
    )


#: the sleep panels: the measure, its words, the divisor to the unit shown, the axis range
SLEEP_PANELS: tuple[tuple[Metric, str, float, float | None, float | None], ...] = (
    ("tst", N_("Total sleep (hours)"), 60.0, 0.0, None),
    ("se", N_("Sleep efficiency (%)"), 1.0, None, 100.0),
    ("sol", N_("Minutes to fall asleep"), 1.0, 0.0, None),
    ("quality", N_("Quality (1 very poor to 5 very good)"), 1.0, 1.0, 5.0),
)


def _sleep_value(metric: Metric, value: float, language: str) -> str:
    if metric == "tst":
        return formats.hours_minutes(value, language)
    if metric == "se":
        return f"{value:.0f} %"
    if metric == "quality":
        return f"{value:.0f}"
    return translator(language)("{minutes} min").format(minutes=f"{value:.0f}")


def sleep_panels(
    nights: Sequence[Night],
    rolling: Sequence[RollingPoint],
    bedtime_days: frozenset[dt.date] | set[dt.date],
    t: Translate,
) -> ScreenChart:
    """Each night's total sleep, efficiency, minutes to fall asleep and quality, with 7-day
    means; nights after a bedtime session have a filled mark, the others a hollow one."""
    title = t("Sleep over time")
    if not nights:
        return ScreenChart("sleep", title, "", empty=t("No diary nights to show yet."))
    start = min([n.night for n in nights] + [p.day for p in rolling])
    end = max([n.night for n in nights] + [p.day for p in rolling])
    one = dt.timedelta(days=1)
    after = {n.night: (n.night - one) in bedtime_days for n in nights}
    ticks = date_ticks(start, end, t)
    panels: list[Panel] = []
    for metric, words, scale, floor, ceiling in SLEEP_PANELS:
        values = [n.value(metric) / scale for n in nights]
        means = [p.means.get(metric) for p in rolling]
        low, high = _range(values + [m / scale for m in means if m is not None], floor, ceiling)
        nice_low, nice_high = nice_range(low, high)
        low = nice_low if floor is None else max(nice_low, floor)
        high = nice_high if ceiling is None else min(nice_high, ceiling)
        marks = tuple(
            Point(
                _x(n.night, start, end),
                _y(n.value(metric) / scale, low, high),
                f"{full_day(n.night, t)}: {_sleep_value(metric, n.value(metric), language_of(t))}",
                marker=0 if after[n.night] else 1,
            )
            for n in nights
        )
        mean_line = _segments(
            [
                (_x(p.day, start, end), _y(m / scale, low, high)) if m is not None else None
                for p, m in zip(rolling, means, strict=True)
            ]
        )
        panels.append(
            Panel(
                t(words),
                (
                    Series(t("7-day mean"), (), style=0, segments=mean_line),
                    Series(t(METRIC_INFO[metric].label), marks, style=1, line=False),
                ),
                tuple(Tick(_y(v, low, high), f"{v:g}") for v in value_ticks(low, high)),
                ticks,
            )
        )
    after_count = sum(after.values())
    summary = nt(
        "{n} night in the diary, {after} of them after a bedtime session.",
        "{n} nights in the diary, {after} of them after a bedtime session.",
        len(nights),
        t,
    ).format(n=len(nights), after=after_count)
    rows = tuple(
        (
            full_day(n.night, t),
            _sleep_value("tst", n.tst, language_of(t)),
            _sleep_value("se", n.se, language_of(t)),
            _sleep_value("sol", n.sol, language_of(t)),
            _sleep_value("quality", n.quality, language_of(t)),
            t("yes") if after[n.night] else t("no"),
        )
        for n in reversed(nights)
    )
    return ScreenChart(
        "sleep",
        title,
        summary,
        panels=tuple(panels),
        legend=(
            (0, t("7-day mean"), True),
            (1, t("night after a bedtime session"), False),
            (2, t("no bedtime session"), False),
        ),
        table_head=(
            t("Night"),
            t("Asleep"),
            t("Efficiency"),
            t("Fell asleep in"),
            t("Quality"),
            t("After a bedtime session"),
        ),
        table_rows=rows,
    )


def symptom_lines(
    trends: Sequence[SymptomTrend], start: dt.date, end: dt.date, t: Translate
) -> ScreenChart:
    """Each complaint's scores (0 not at all, 10 the worst) over time, a small panel each."""
    title = t("Complaints over time")
    scored = [s for s in trends if s.points]
    if not scored:
        return ScreenChart("symptoms", title, "", empty=t("No complaint scores to show yet."))
    days = [d for s in scored for d, _v in s.points]
    start = min([*days, end]) if start > min(days) else start
    # one small panel per complaint: seven lines in one box cannot be told apart on a phone
    panels = []
    x_ticks = date_ticks(start, end, t)
    y_ticks = tuple(Tick(_y(v, 0, 10), f"{v}") for v in (0, 5, 10))
    labels = [t(s.label) for s in scored]  # the core keeps the English names; show the user's
    for i, trend in enumerate(scored):
        label = labels[i]
        marks = tuple(
            Point(_x(d, start, end), _y(v, 0, 10), f"{label}, {full_day(d, t)}: {v}", i)
            for d, v in trend.points
        )
        line = Series(label, marks, style=i, segments=_segments([(p.x, p.y) for p in marks]))
        panels.append(Panel(label, (line,), y_ticks, x_ticks))
    all_days = sorted({d for s in scored for d, _v in s.points}, reverse=True)
    by = [dict(s.points) for s in scored]
    rows = tuple((full_day(d, t), *(str(b[d]) if d in b else "–" for b in by)) for d in all_days)
    summary = t("Scores from 0 (not at all) to 10 (the worst you can imagine).")
    return ScreenChart(
        "symptoms",
        title,
        summary,
        panels=tuple(panels),
        table_head=(t("Day"), *labels),
        table_rows=rows,
    )
