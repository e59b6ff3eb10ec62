"""The diary and the tracker on the web's Insights page: both sources' nights side by side, kept
apart and labelled, and the Bland–Altman chart of how well they agree, as plain geometry for
`templates/_charts.html` (see `screen_charts`). Pure: the values come in as arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from anklesleep.basics.i18n import N_, Translate, nt
from anklesleep.insights.agreement import Agreement, Measure, sentence
from anklesleep.printouts.screen_charts import (
    Panel,
    Point,
    ScreenChart,
    Series,
    Tick,
    _range,
    _segments,
    _x,
    _y,
    date_ticks,
    full_day,
    nice_range,
    value_ticks,
)

#: the trend panels: the measure, its words, the divisor to the unit shown, the axis range
TREND_PANELS: tuple[tuple[Measure, str, float, float | None, float | None], ...] = (
    ("tst", N_("Time asleep (hours)"), 60.0, None, None),
    ("se", N_("Sleep efficiency (%)"), 1.0, None, 100.0),
)
#: the page's styles: the diary filled and solid, the tracker hollow and dashed
DIARY_STYLE, TRACKER_STYLE = 0, 1
BIAS_STYLE, LIMIT_STYLE = 4, 3


def _value(measure: Measure, value: float) -> str:
    if measure == "tst":
        minutes = round(value)
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{value:.0f} %"


def _axis(
    values: Sequence[float], floor: float | None, ceiling: float | None
) -> tuple[float, float]:
    low, high = _range(values, floor, ceiling)
    nice_low, nice_high = nice_range(low, high)
    return (
        nice_low if floor is None else max(nice_low, floor),
        nice_high if ceiling is None else min(nice_high, ceiling),
    )


def tracker_trends(
    diary: Mapping[Measure, Mapping[dt.date, float]],
    tracker: Mapping[Measure, Mapping[dt.date, float]],
    devices: Sequence[str],
    t: Translate,
) -> ScreenChart:
    """Time asleep and efficiency night by night, one series per source (never mixed)."""
    title = t("Diary and tracker over time")
    days = sorted({d for m in ("tst", "se") for src in (diary, tracker) for d in src.get(m, {})})
    if not days:
        return ScreenChart("tracker", title, "", empty=t("No nights to show yet."))
    start, end = days[0], days[-1]
    tracker_name = (
        t("Tracker ({device})").format(device=", ".join(devices)) if devices else t("Tracker")
    )
    panels = []
    for measure, words, scale, floor, ceiling in TREND_PANELS:
        mine = diary.get(measure, {})
        theirs = tracker.get(measure, {})
        low, high = _axis([v / scale for v in (*mine.values(), *theirs.values())], floor, ceiling)
        series = []
        for name, values, style in (
            (t("Your diary"), mine, DIARY_STYLE),
            (tracker_name, theirs, TRACKER_STYLE),
        ):
            marks = tuple(
                Point(
                    _x(d, start, end),
                    _y(values[d] / scale, low, high),
                    f"{name}, {full_day(d, t)}: {_value(measure, values[d])}",
                    style,
                )
                for d in sorted(values)
            )
            series.append(
                Series(name, marks, style=style, segments=_segments([(p.x, p.y) for p in marks]))
            )
        panels.append(
            Panel(
                t(words),
                tuple(series),
                tuple(Tick(_y(v, low, high), f"{v:g}") for v in value_ticks(low, high)),
                date_ticks(start, end, t),
            )
        )
    in_diary = len(diary.get("tst", {}))
    in_tracker = len(tracker.get("tst", {}))
    summary = t("{diary} and {tracker}, kept apart: each line is one source.").format(
        diary=nt("{n} diary night", "{n} diary nights", in_diary, t).format(n=in_diary),
        tracker=nt("{n} tracker night", "{n} tracker nights", in_tracker, t).format(n=in_tracker),
    )
    mine_tst, theirs_tst = diary.get("tst", {}), tracker.get("tst", {})
    mine_se, theirs_se = diary.get("se", {}), tracker.get("se", {})

    def cell(values: Mapping[dt.date, float], day: dt.date, measure: Measure) -> str:
        return _value(measure, values[day]) if day in values else "–"

    rows = tuple(
        (
            full_day(d, t),
            cell(mine_tst, d, "tst"),
            cell(theirs_tst, d, "tst"),
            cell(mine_se, d, "se"),
            cell(theirs_se, d, "se"),
        )
        for d in reversed(days)
    )
    return ScreenChart(
        "tracker",
        title,
        summary,
        panels=tuple(panels),
        legend=(
            (DIARY_STYLE, t("Your diary"), True),
            (TRACKER_STYLE, tracker_name, True),
        ),
        table_head=(
            t("Night"),
            t("Diary: asleep"),
            t("Tracker: asleep"),
            t("Diary: efficiency"),
            t("Tracker: efficiency"),
        ),
        table_rows=rows,
        printable=False,
    )


def agreement_chart(a: Agreement, t: Translate) -> ScreenChart:
    """Bland–Altman: each night's difference (diary minus tracker) over the mean of the two,
    with a line at the average difference and dashed lines at the limits of agreement."""
    minutes = a.measure == "tst"
    title = (
        t("How well your diary and tracker agree: time asleep")
        if minutes
        else t("How well your diary and tracker agree: sleep efficiency")
    )
    unit = t("min") if minutes else "%"
    x_scale = 60.0 if minutes else 1.0  # the x axis in hours for time asleep
    x_low, x_high = _axis([m / x_scale for m in a.means], None, None)
    spread = [*a.differences, a.lower, a.upper, 0.0]
    y_low, y_high = _axis(spread, None, None)

    def amount(value: float) -> str:
        text = f"{value:+.0f}" if minutes else f"{value:+.1f}"
        return f"{text.replace('-', '−')} {unit}"

    points = tuple(
        Point(
            _x_value(m / x_scale, x_low, x_high),
            _y(d, y_low, y_high),
            t("{night}: diary {diff} compared with the tracker").format(
                night=full_day(night, t), diff=amount(d)
            ),
            0,
        )
        for night, m, d in zip(a.nights, a.means, a.differences, strict=True)
    )

    def across(value: float) -> tuple[tuple[float, float, float, float], ...]:
        y = _y(value, y_low, y_high)
        return ((0.0, y, 100.0, y),)

    series = (
        Series(t("no difference"), (), style=2, segments=across(0.0)),
        Series(t("average difference"), (), style=BIAS_STYLE, segments=across(a.mean_difference)),
        Series(
            t("limits of agreement"),
            (),
            style=LIMIT_STYLE,
            segments=across(a.lower) + across(a.upper),
        ),
        Series(t("nights"), points, style=0, line=False),
    )
    x_words = (
        t("hours asleep, the average of diary and tracker")
        if minutes
        else t("efficiency (%), the average of diary and tracker")
    )
    panel = Panel(
        t("Up: diary minus tracker ({unit}). Across: {x}.").format(unit=unit, x=x_words),
        series,
        tuple(
            Tick(_y(v, y_low, y_high), f"{v:+g}".replace("-", "−") if v else "0")
            for v in value_ticks(y_low, y_high)
        ),
        tuple(Tick(_x_value(v, x_low, x_high), f"{v:g}") for v in value_ticks(x_low, x_high)),
    )
    rows = tuple(
        (full_day(night, t), amount(d), f"{m / x_scale:.1f}" if minutes else f"{m:.0f} %")
        for night, m, d in sorted(zip(a.nights, a.means, a.differences, strict=True), reverse=True)
    )
    return ScreenChart(
        f"agreement-{a.measure}",
        title,
        sentence(a, t),
        panels=(panel,),
        legend=(
            (
                BIAS_STYLE,
                t("average difference {value}").format(value=amount(a.mean_difference)),
                True,
            ),
            (
                LIMIT_STYLE,
                t("limits of agreement {low} to {high}").format(
                    low=amount(a.lower), high=amount(a.upper)
                ),
                True,
            ),
        ),
        table_head=(t("Night"), t("Diary minus tracker"), t("Average of diary and tracker")),
        table_rows=rows,
        printable=True,  # /insights/agreement-MEASURE.svg
    )


def _x_value(value: float, low: float, high: float) -> float:
    if high <= low:
        return 50.0
    return round(100.0 * (value - low) / (high - low), 1)
