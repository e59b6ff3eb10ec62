"""Tracker nights in the experiment and the insights: tracker outcomes, the diary against the
tracker (Bland–Altman), and the `stats` and report sections."""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
from pathlib import Path

import pytest

from anklesleep.insights.agreement import agreement, compare, sentence
from anklesleep.printouts.agreement import agreement_chart
from anklesleep.testing import synthetic
from anklesleep.trackers.records import TrackerNight
from tests.cli_helpers import run_cli

START = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)
UTC = dt.UTC


def tracked(night: dt.date, asleep: int, in_bed: int = 480, nap: bool = False) -> TrackerNight:
    end = dt.datetime.combine(night, dt.time(15 if nap else 7, 0), UTC)
    return TrackerNight(
        source="fitbit",
        record_id=f"{night}{'n' if nap else ''}",
        device="Fitbit",
        start=end - dt.timedelta(minutes=in_bed),
        end=end,
        night=night,
        in_bed_minutes=in_bed,
        asleep_minutes=asleep,
        awake_minutes=in_bed - asleep,
        stages=None,
        nap=nap,
    )


# --- agreement (pure) -------------------------------------------------------------------------


def test_bland_altman_by_hand() -> None:
    days = [dt.date(2026, 1, d) for d in range(1, 6)]
    diary = dict(zip(days, [420.0, 400.0, 450.0, 380.0, 410.0], strict=True))
    tracker = dict(zip(days, [400.0, 390.0, 420.0, 385.0, 380.0], strict=True))
    tracker[dt.date(2026, 1, 9)] = 300.0  # no diary that night: not a pair
    a = agreement(diary, tracker, "tst")
    assert a is not None and a.n == 5
    differences = [20.0, 10.0, 30.0, -5.0, 30.0]
    assert a.differences == tuple(differences)
    assert a.mean_difference == pytest.approx(17.0)
    sd = statistics.stdev(differences)
    assert (a.lower, a.upper) == pytest.approx((17.0 - 1.96 * sd, 17.0 + 1.96 * sd))
    assert a.means[0] == pytest.approx(410.0)
    text = sentence(a, lambda s: s)
    assert "Over 5 nights with both" in text and "+17 min" in text
    assert "between \u2212" in text  # the lower limit is negative
    chart = agreement_chart(a)
    assert chart.svg.startswith("<svg") and "limits of agreement" in chart.description


def test_too_few_pairs_give_no_agreement() -> None:
    day = dt.date(2026, 1, 1)
    assert agreement({day: 1.0}, {day: 2.0}, "se") is None
    c = compare({"tst": {day: 400.0}}, {"tst": {day: 380.0}}, 1, 1)
    assert c.agreements["tst"] is None and c.sentences(lambda s: s) == []
    assert c.diary_means["tst"] == 400.0 and c.tracker_means["se"] is None


# --- the experiment with a tracker outcome ----------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    from anklesleep.cli import localtime as local

    now = [START]
    monkeypatch.setattr(local, "local_now", lambda zone: now[0].astimezone(zone))
    monkeypatch.setenv("TZ", "UTC")
    return now


def test_an_experiment_judged_by_the_trackers_time_asleep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clock: list[dt.datetime]
) -> None:
    from anklesleep.store import diary, open_database
    from anklesleep.store import trackers as tracker_store

    db = str(tmp_path / "x.sqlite3")
    started = run_cli(
        capsys, "--db", db, "experiment", "start", "--seed", "7", "--block-days", "4",
        "--outcome", "tracker_tst",
    )  # fmt: skip
    assert started.code == 0, started.err
    assert "time asleep (tracker)" in started.out
    plan = json.loads(run_cli(capsys, "--db", db, "experiment", "status", "--json").out)
    engine = open_database(db)
    rng = random.Random(3)
    with engine.begin() as conn:
        nights = []
        for block in plan["experiment"]["blocks"]:
            first = dt.date.fromisoformat(block["start"])
            for i in range(4):
                night = first + dt.timedelta(days=i + 1)
                asleep = 430 if block["condition"] == "routine" else 390
                nights.append(tracked(night, asleep + rng.randint(-5, 5)))
                nights.append(tracked(night, 60, in_bed=70, nap=True))  # naps never count
                # the diary says otherwise, and is not the outcome
                diary.save_night(conn, synthetic.night(rng, night), START)
        tracker_store.save(conn, nights, START)
    engine.dispose()
    clock[0] += dt.timedelta(days=57)
    data = json.loads(run_cli(capsys, "--db", db, "experiment", "result", "--json").out)
    assert data["result"]["outcome"] == "tracker_tst"
    assert data["result"]["effect"] == pytest.approx(40, abs=6)
    assert data["result"]["verdict"] == "routine better"


def test_stats_show_diary_and_tracker_side_by_side(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clock: list[dt.datetime]
) -> None:
    from anklesleep.diary.entries import metrics
    from anklesleep.store import diary, open_database
    from anklesleep.store import trackers as tracker_store

    db = str(tmp_path / "x.sqlite3")
    engine = open_database(db)
    rng = random.Random(5)
    today = START.date()
    expected = []
    with engine.begin() as conn:
        for back in range(1, 11):
            night = today - dt.timedelta(days=back)
            entry = synthetic.night(rng, night)
            diary.save_night(conn, entry, START)
            tst = metrics(entry).tst
            tracker_store.save(conn, [tracked(night, tst - 25)], START)
            expected.append(25)
    engine.dispose()
    out = run_cli(capsys, "--db", db, "stats", "--days", "30")
    assert out.code == 0, out.err
    text = " ".join(out.out.split())
    assert "Diary and sleep tracker, same days (10 diary nights, 10 tracked)" in text
    assert "Over 10 nights with both, your diary's time asleep differed from the tracker's" in text
    assert "by +25 min on average" in text and "the difference was the same every night" in text
    data = json.loads(run_cli(capsys, "--db", db, "stats", "--json").out)
    assert data["tracker"]["agreements"]["tst"]["mean_difference"] == 25
    report = tmp_path / "report.html"
    made = run_cli(capsys, "--db", db, "report", "-o", str(report), "--days", "30")
    assert made.code == 0, made.err
    html = report.read_text()
    assert "Diary and sleep tracker" in html and 'id="chart-agreement-tst' in html
