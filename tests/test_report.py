"""The printable report: self-contained HTML with every chart, its numbers and the caveats."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from anklesleep.basics.i18n import translator
from anklesleep.experiment import analysis as trial
from anklesleep.experiment import design as experiment
from anklesleep.experiment.analysis import ExperimentReport
from anklesleep.insights import progress as insights
from anklesleep.printouts import report
from anklesleep.testing import synthetic

EN = translator("en")

TODAY = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 6, 30, 21, 15, tzinfo=dt.UTC)


def build(with_experiment: bool) -> tuple[insights.Overview, ExperimentReport | None]:
    h = synthetic.history(TODAY - dt.timedelta(days=70), 70, seed=9, practice_rate=0.6)
    o = insights.overview(h.sessions, h.nights, h.symptoms, today=TODAY, t=EN, days=60)
    if not with_experiment:
        return o, None
    start = TODAY - dt.timedelta(days=40)
    e = experiment.new_experiment(
        experiment.design(seed=2, block_days=4), start, today=start, uuid="r", created_at=NOW
    )
    values = trial.outcome_values(o.nights, e.outcome)
    per_day = trial.sessions_per_day(h.sessions)
    followed = experiment.adherence(e, per_day, set(values), TODAY)
    return o, ExperimentReport(e, followed, trial.analyse(e, values, TODAY, followed, t=EN))


Built = tuple[insights.Overview, ExperimentReport, report.ReportCharts]


@pytest.fixture(scope="module")
def built() -> Built:
    """Drawn once for the module: charts are the slow part."""
    o, x = build(with_experiment=True)
    assert x is not None
    return o, x, report.draw_charts(o, x)


def test_report_has_every_section_and_refers_to_nothing_outside(built: Built) -> None:
    o, x, drawn = built
    html = report.render(o, x, charts=drawn, generated_at=NOW)
    assert html.startswith("<!doctype html>")
    assert html.count("<svg") == 5
    for heading in ("Summary", "Practice", "Sleep", "Everyday complaints", "Personal experiment",
                    "Caveats", "Safety notes"):  # fmt: skip
        assert f">{heading}</h2>" in html or f">{heading}</h3>" in html, heading
    assert "<script" not in html and "<link" not in html
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert all(link.startswith("#") for link in links), links
    assert "association, not proof" in html
    assert "not a medical" in html
    assert "interim look" in html  # the experiment is still running on TODAY
    assert "2026-05-02 to 2026-06-30" in html
    assert f"{o.adherence.days_done}</td>" in html  # the numbers behind the calendar
    assert "@media print" in html


def test_report_without_an_experiment(built: Built) -> None:
    o, _x, drawn = built
    html = report.render(o, charts=replace(drawn, experiment=None), generated_at=NOW)
    assert html.count("<svg") == 4
    assert "Personal experiment" not in html


def test_writing_is_atomic_and_pngs_are_written(tmp_path: Path, built: Built) -> None:
    o, x, drawn = built
    target = report.write(tmp_path / "r.html", report.render(o, x, charts=drawn, generated_at=NOW))
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
    pngs = report.write_pngs(tmp_path / "png", drawn, dpi=40)
    assert sorted(p.name for p in pngs) == [
        "calendar.png", "experiment.png", "habit.png", "sleep.png", "symptoms.png",
    ]  # fmt: skip
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
