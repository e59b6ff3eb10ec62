"""Charts for screens: dates in words, periods from the first day of use, plurals, and a table
with every value that is drawn."""

from __future__ import annotations

import datetime as dt

from anklesleep.insights.association import Night
from anklesleep.insights.progress import DayAdherence, HabitStrength, SymptomTrend, headline
from anklesleep.insights.progress import overview as make_overview
from anklesleep.printouts import screen_charts as sc

TODAY = dt.date(2026, 11, 26)  # a Thursday


def test_dates_read_as_words() -> None:
    assert sc.weekday_day(dt.date(2026, 11, 23), str) == "Mon 23"
    assert sc.month_name(dt.date(2026, 11, 23), str) == "Nov"
    assert sc.full_day(dt.date(2026, 11, 23), str) == "Mon 23 Nov"


def test_short_periods_label_days_long_ones_months() -> None:
    week = sc.date_ticks(TODAY - dt.timedelta(days=6), TODAY, str)
    assert week[0].label == "Fri 20"
    assert week[-1].label == "Thu 26"
    assert len(week) <= sc.MAX_X_LABELS
    assert week[0].at == 0 and week[-1].at == 100
    season = sc.date_ticks(TODAY - dt.timedelta(days=89), TODAY, str)
    assert [t.label for t in season] == ["Sep", "Oct", "Nov"]
    assert all(0 < t.at < 100 for t in season)


def test_value_ticks_are_round() -> None:
    assert sc.value_ticks(0, 100) == (0, 50, 100)
    assert sc.value_ticks(0, 7.5) == (0, 2.5, 5, 7.5)
    assert sc.value_ticks(80, 100) == (80, 90, 100)
    assert sc.value_ticks(4, 4) == (4,)


def test_the_calendar_starts_on_the_first_day_of_use() -> None:
    first = TODAY - dt.timedelta(days=2)
    days = [
        DayAdherence(first, ("morning",), ()),
        DayAdherence(first + dt.timedelta(days=1), (), ()),
        DayAdherence(TODAY, ("morning", "bedtime"), ()),
    ]
    chart = sc.practice_calendar(days, TODAY, str)
    assert chart.summary == "2 of 3 days with at least one finished session."
    drawn = [c for c in chart.cells if c.level >= 0]
    assert [c.level for c in drawn] == [1, 0, 2]
    assert drawn[0].text == "Tue 24 Nov: 1 session finished"
    assert drawn[2].text == "Thu 26 Nov: 2 sessions finished"
    assert chart.weeks == 1 and chart.week_heads == ("Nov",)
    assert chart.table_rows[0] == ("Thu 26 Nov", "2")
    assert len(chart.table_rows) == 3
    one = sc.practice_calendar([DayAdherence(TODAY, (), ())], TODAY, str)
    assert one.summary == "0 of 1 day with at least one finished session."


def test_every_drawn_point_is_in_the_table_and_inside_the_plot() -> None:
    points = tuple((TODAY - dt.timedelta(days=4 - i), 10.0 * i) for i in range(5))
    chart = sc.habit_line(HabitStrength(13.0, points), str)
    (panel,) = chart.panels
    (series,) = panel.series
    assert len(series.points) == len(chart.table_rows) == 5
    assert all(0 <= p.x <= 100 and 0 <= p.y <= 100 for p in series.points)
    assert series.points[-1].text == "Thu 26 Nov: 40 %"
    assert len(series.segments) == 4


def test_sleep_marks_nights_after_a_bedtime_session_and_leaves_gaps() -> None:
    nights = [
        Night(TODAY - dt.timedelta(days=2), 10, 5, 420, 90, 4),
        Night(TODAY, 30, 20, 360, 80, 2),
    ]
    chart = sc.sleep_panels(nights, [], {TODAY - dt.timedelta(days=1)}, str)
    assert chart.summary == "2 nights in the diary, 1 of them after a bedtime session."
    tst = chart.panels[0]
    marks = tst.series[1].points
    assert [p.marker for p in marks] == [1, 0]
    assert marks[1].text == "Thu 26 Nov: 6 h 00"
    assert chart.table_rows[0][:2] == ("Thu 26 Nov", "6 h 00")
    assert chart.table_rows[0][-1] == "yes"


def test_symptoms_one_series_each_and_a_column_each() -> None:
    trends = [
        SymptomTrend("neck", "Neck", ((TODAY, 3),), 3, None, None, None, None, "too few"),
        SymptomTrend("knee", "Knee", (), None, None, None, None, None, "too few"),
    ]
    chart = sc.symptom_lines(trends, TODAY - dt.timedelta(days=5), TODAY, str)
    assert chart.table_head == ("Day", "Neck")
    assert chart.table_rows == (("Thu 26 Nov", "3"),)
    assert chart.panels[0].series[0].points[0].text == "Neck, Thu 26 Nov: 3"
    empty = sc.symptom_lines(trends[1:], TODAY, TODAY, str)
    assert empty.empty


def test_the_period_counts_from_the_first_day_of_use_with_plurals() -> None:
    o = make_overview([], [], [], today=TODAY, t=str, first_use=TODAY - dt.timedelta(days=2))
    assert o.start == TODAY - dt.timedelta(days=2)
    lines = headline(o, str)
    assert lines[0].startswith("Practice: 0 of 3 days")
    assert lines[1] == "Streak: 0 days now; longest 0."
    o = make_overview([], [], [], today=TODAY, t=str, first_use=TODAY)
    assert headline(o, str)[0].startswith("Practice: 0 of 1 day ")
    assert make_overview([], [], [], today=TODAY, t=str).start == TODAY - dt.timedelta(days=89)


def test_one_day_of_streak_is_singular() -> None:
    from dataclasses import replace

    from anklesleep.practice.records import new_record

    start = dt.datetime(2026, 11, 26, 22, 0, tzinfo=dt.UTC)
    record = new_record(routine="full", local_start=start, planned_seconds=600, source="web")
    done = replace(record, completed=True, completed_seconds=600)
    o = make_overview([done], [], [], today=TODAY, t=str, first_use=TODAY)
    lines = headline(o, str)
    assert lines[0] == "Practice: 1 of 1 day with at least one session (100%)."
    assert lines[1] == "Streak: 1 day now; longest 1."


def test_dates_on_the_axes_in_japanese() -> None:
    from anklesleep.basics.i18n import translator

    ja = translator("ja")
    assert sc.weekday_day(dt.date(2026, 11, 23), ja) == "23日(月)"
    assert sc.month_name(dt.date(2026, 11, 23), ja) == "11月"
    week = sc.date_ticks(TODAY - dt.timedelta(days=6), TODAY, ja)
    assert week[0].label == "20日(金)" and week[-1].label == "26日(木)"
    season = sc.date_ticks(TODAY - dt.timedelta(days=89), TODAY, ja)
    assert [t.label for t in season] == ["9月", "10月", "11月"]
