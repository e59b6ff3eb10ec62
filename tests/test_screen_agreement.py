"""The Insights page's tracker charts: the two sources kept apart and labelled, the Bland–Altman
chart's lines where the numbers are, and the diary nights copied from the tracker left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from anklesleep.insights.agreement import agreement
from anklesleep.printouts import screen_agreement as sa

DAY = dt.date(2026, 3, 1)
DAYS = [DAY + dt.timedelta(days=k) for k in range(6)]


def t(text: str) -> str:
    return text


def test_trends_keep_the_sources_apart_and_name_them() -> None:
    diary = {"tst": {d: 420.0 + 10 * k for k, d in enumerate(DAYS[:4])}, "se": {}}
    tracker = {"tst": dict.fromkeys(DAYS, 400.0), "se": {DAYS[0]: 91.0}}
    chart = sa.tracker_trends(diary, tracker, ["Charge 5"], t)  # type: ignore[arg-type]
    tst, se = chart.panels
    mine, theirs = tst.series
    assert (mine.name, theirs.name) == ("Your diary", "Tracker (Charge 5)")
    assert len(mine.points) == 4 and len(theirs.points) == 6
    assert {p.marker for p in mine.points} == {sa.DIARY_STYLE}
    assert all(p.text.startswith("Tracker (Charge 5), ") for p in theirs.points)
    assert theirs.points[0].text.endswith(": 6 h 40")
    assert [len(s.points) for s in se.series] == [0, 1]
    assert chart.summary.startswith("4 diary nights and 6 tracker nights")
    # the table: one row a night, newest first, a dash where a source has nothing
    assert chart.table_rows[0] == ("Fri 6 Mar", "–", "6 h 40", "–", "–")
    assert not chart.printable


def test_trends_with_no_nights_say_so() -> None:
    chart = sa.tracker_trends({}, {}, [], t)
    assert chart.empty and not chart.panels


def test_the_agreement_chart_draws_bias_and_limits_where_they_are() -> None:
    diary = {d: 400.0 + v for d, v in zip(DAYS, (0, 20, 40, 10, 30, 20), strict=True)}
    tracker = dict.fromkeys(DAYS, 400.0)
    found = agreement(diary, tracker, "tst")
    assert found is not None
    chart = sa.agreement_chart(found, t)
    (panel,) = chart.panels
    zero, bias, limits, nights = panel.series
    assert len(nights.points) == found.n == 6 and not nights.line

    def value_at(y: float) -> float:
        """The value at `y` percent from the top, read off the axis's labelled ticks."""
        ticks = [(float(k.label.replace("−", "-")), k.at) for k in panel.y_ticks]
        (v1, y1), (v2, y2) = ticks[0], ticks[-1]
        return v1 + (v2 - v1) * (y - y1) / (y2 - y1)

    assert value_at(bias.segments[0][1]) == pytest.approx(found.mean_difference, abs=0.5)
    lows_highs = sorted(value_at(seg[1]) for seg in limits.segments)
    assert lows_highs == pytest.approx([found.lower, found.upper], abs=0.5)
    assert value_at(zero.segments[0][1]) == pytest.approx(0, abs=0.5)
    assert "Over 6 nights with both" in chart.summary and "+20 min on average" in chart.summary
    assert "average difference +20 min" in chart.legend[0][1]
    assert chart.key == "agreement-tst" and chart.printable


def test_the_insights_page_and_printable_chart_with_a_tracker(
    engine: Engine, tmp_path: Path
) -> None:
    from anklesleep.diary import forms
    from anklesleep.diary.entries import SleepEntry
    from anklesleep.store import diary as diary_store
    from anklesleep.store import trackers as tracker_store
    from anklesleep.trackers.records import TrackerNight
    from tests.web_helpers import MORNING, client

    today = MORNING.date()
    nights = [today - dt.timedelta(days=k) for k in range(1, 7)]
    tracked = []
    with engine.begin() as conn:
        for k, night in enumerate(nights):
            start = dt.datetime.combine(night - dt.timedelta(days=1), dt.time(23, 0), dt.UTC)
            end = dt.datetime.combine(night, dt.time(6, 30 + k), dt.UTC)
            in_bed = round((end - start).total_seconds() / 60)
            one = TrackerNight(
                "fitbit", f"x{k}", "Charge 5", start, end, night, in_bed, in_bed - 30, 30,
                None, False,
            )  # fmt: skip
            tracked.append(one)
            if k == 0:  # quality only: its times are the tracker's
                entry = forms.night_from_form({"quality": "4"}, night, "UTC", today, tracked=one)
            else:
                entry = SleepEntry(
                    night, dt.time(22, 45), dt.time(23, 0), 10 + 3 * k, 1, 10,
                    dt.time(6, 45), dt.time(7, 0), 3,
                )  # fmt: skip
            diary_store.save_night(conn, entry, MORNING)
        tracker_store.save(conn, tracked, MORNING)
    c, _renderer = client(engine, tmp_path)
    page = c.get("/insights").text
    assert 'data-testid="tracker-agreement"' in page
    assert "5 nights have both a diary entry and a tracker night." in page
    assert "1 diary night took its times from the tracker, so it was left out." in page
    assert 'data-chart="tracker"' in page and 'data-chart="agreement-tst"' in page
    assert "Over 5 nights with both" in page
    image = c.get("/insights/agreement-tst.svg")
    assert image.status_code == 200 and image.text.lstrip().startswith("<svg")


def test_the_insights_page_without_a_tracker_shows_no_tracker_cards(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.web_helpers import client

    c, _renderer = client(engine, tmp_path)
    page = c.get("/insights").text
    assert 'data-testid="tracker-agreement"' not in page and 'data-chart="tracker"' not in page
    assert c.get("/insights/agreement-tst.svg").status_code == 404
