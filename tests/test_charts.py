"""Charts: one SVG per view, accessible, self-contained, repeatable; PNG on request."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from anklesleep.basics.i18n import translator
from anklesleep.experiment import analysis as trial
from anklesleep.experiment import design as experiment
from anklesleep.insights import progress as insights
from anklesleep.insights.progress import Overview
from anklesleep.printouts import charts
from anklesleep.testing import synthetic

EN = translator("en")

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def overview() -> Overview:
    h = synthetic.history(TODAY - dt.timedelta(days=60), 60, seed=8, practice_rate=0.6)
    return insights.overview(h.sessions, h.nights, h.symptoms, today=TODAY, t=EN, days=45)


def self_contained(svg: str) -> None:
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert 'role="img"' in svg
    # nothing fetched from elsewhere: only the XML namespaces mention http
    links = re.findall(r'(?:href|src)="([^"]*)"', svg)
    assert all(link.startswith("#") for link in links), links
    assert "<image" not in svg and "@font-face" not in svg and "url(http" not in svg


@pytest.mark.slow
def test_every_chart_is_accessible_svg(overview: Overview) -> None:
    drawn = [
        charts.adherence_calendar(overview.adherence.days),
        charts.habit_chart(overview.habit),
        charts.sleep_chart(overview.nights, overview.rolling, overview.bedtime_days),
        charts.symptom_chart(overview.symptoms),
    ]
    assert [c.key for c in drawn] == ["calendar", "habit", "sleep", "symptoms"]
    for chart in drawn:
        self_contained(chart.svg)
        title = f'<title id="chart-{chart.key}-title">'
        assert title in chart.svg
        assert f'aria-labelledby="chart-{chart.key}-title chart-{chart.key}-desc"' in chart.svg
        assert chart.description and chart.description in chart.svg.replace("&#x27;", "'")
    calendar = drawn[0]
    assert f"{overview.adherence.days_done} of 45 days" in calendar.description
    sleep = drawn[2]
    assert f"{len(overview.nights)} diary nights" in sleep.description


def test_charts_are_repeatable(overview: Overview) -> None:
    a = charts.habit_chart(overview.habit)
    b = charts.habit_chart(overview.habit)
    assert a.svg == b.svg


def test_png_output(overview: Overview) -> None:
    png = charts.habit_chart(overview.habit).png(dpi=60)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_empty_inputs_say_so_instead_of_drawing_nothing() -> None:
    assert "No days" in charts.adherence_calendar([]).description
    assert "No diary nights" in charts.sleep_chart([], [], set()).description
    assert "No complaint scores" in charts.symptom_chart([]).svg


def test_experiment_chart_shows_the_result() -> None:
    d = experiment.design(seed=4, block_days=4)
    start = TODAY - dt.timedelta(days=60)
    e = experiment.new_experiment(
        d, start, today=start, uuid="c", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    values = {
        b.start + dt.timedelta(days=i + 1): (4.0 if b.condition == "routine" else 3.0) + 0.1 * i
        for b in e.blocks
        for i in range(b.days)
    }
    r = trial.analyse(e, values, TODAY, t=EN)
    chart = charts.experiment_chart(r)
    self_contained(chart.svg)
    assert chart.description == r.summary
    empty = charts.experiment_chart(trial.analyse(e, {}, start, t=EN))
    assert "No diary nights" in empty.description
