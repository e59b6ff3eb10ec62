"""`anklesleep experiment start|status|result|stop`, with a fixed clock that can move on."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from anklesleep.testing import synthetic
from tests.cli_helpers import run_cli

START = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, days: int) -> None:
        self.now += dt.timedelta(days=days)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from anklesleep.cli import localtime as local

    c = Clock()
    monkeypatch.setattr(local, "local_now", lambda zone: c.now.astimezone(zone))
    monkeypatch.setenv("TZ", "UTC")
    return c


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "x.sqlite3"


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(capsys, "--db", str(db), "experiment", *args)


def test_start_status_result_stop(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    started = cli(capsys, db, "start", "--seed", "42", "--block-days", "4")
    assert started.code == 0, started.err
    assert "saved" in started.out
    assert "7 pairs of 4-day blocks, 2026-03-02 to 2026-04-26" in started.out
    assert "cannot reach" not in started.out
    assert "Experiment:" in started.out  # today's instruction

    again = cli(capsys, db, "start", "--seed", "1")
    assert again.code == 2
    assert again.err.startswith("anklesleep: error: experiment: one is already running")

    status = cli(capsys, db, "status", "--json")
    data = json.loads(status.out)
    assert data["experiment"]["seed"] == 42 and data["experiment"]["outcome"] == "quality"
    assert len(data["experiment"]["blocks"]) == 14
    assert data["today"]["day_in_block"] == 1
    assert data["today"]["do_routine"] == (
        data["experiment"]["blocks"][0]["condition"] == "routine"
    )

    early = cli(capsys, db, "result")
    assert early.code == 0
    assert "Not enough data" in early.out and "interim" in " ".join(early.out.split())

    stopped = cli(capsys, db, "stop", "--yes")
    assert stopped.code == 0 and "stopped" in stopped.out
    status = cli(capsys, db, "status")
    assert "Experiment stopped" in status.out
    assert cli(capsys, db, "stop", "--yes").code == 2
    # a stopped experiment no longer blocks a new one
    assert cli(capsys, db, "start", "--seed", "5").code == 0


def test_a_full_experiment_gives_a_careful_result(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    from anklesleep.practice.records import SessionRecord
    from anklesleep.store import diary, open_database, sessions

    assert (
        cli(capsys, db, "start", "--seed", "7", "--block-days", "4", "--outcome", "sol").code == 0
    )
    plan = json.loads(cli(capsys, db, "status", "--json").out)["experiment"]
    engine = open_database(db)
    rng = random.Random(1)
    with engine.begin() as conn:
        for block in plan["blocks"]:
            first = dt.date.fromisoformat(block["start"])
            for i in range(4):
                day = first + dt.timedelta(days=i)
                routine = block["condition"] == "routine"
                if routine:
                    at = dt.datetime(day.year, day.month, day.day, 22, tzinfo=dt.UTC)
                    sessions.start_session(
                        conn,
                        SessionRecord(
                            uuid=f"s{day}", routine="full", slot="bedtime", started_at=at,
                            utc_offset_minutes=0, local_date=day, planned_seconds=600,
                            completed=True, completed_seconds=600,
                        ),
                    )  # fmt: skip
                entry = synthetic.night(rng, day + dt.timedelta(days=1), sol=12 if routine else 35)
                diary.save_night(conn, entry, START)
    engine.dispose()
    clock.advance(57)
    result = cli(capsys, db, "result")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())  # the text is wrapped for the terminal
    assert "time to fall asleep" in text
    assert "averaged 12 min after routine days and 35 min after usual days" in text
    assert "unlikely to be chance alone" in text
    assert "expecting a change" in text
    assert "randomization test over 128 block orders" in text
    data = json.loads(cli(capsys, db, "result", "--json").out)
    assert data["result"]["verdict"] == "routine better"
    assert data["result"]["effect"] == pytest.approx(-23)
    assert data["experiment"]["status"] == "finished"  # settled once the last night is over
    assert data["adherence"]["by_condition"][0]["followed"] == 28


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weeks", "7"], "weeks: got 7; use an even number of weeks"),
        (["--block-days", "5"], "block-days: got 5; 8 weeks (56 days)"),
        (["--outcome", "mood"], "outcome: got 'mood'; use one of quality, sol, se, tst"),
        (["--seed", "x"], "seed: got 'x'"),
        (["--start", "2026-03-01"], "start: got 2026-03-01, before today"),
        (["--start", "soon"], "start: “soon” is not a date; use one like"),
    ],
)
def test_bad_options_get_one_line(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock, args: list[str], message: str
) -> None:
    result = cli(capsys, db, "start", *args)
    assert result.code == 2
    assert result.err.startswith(f"anklesleep: error: {message}")
    assert result.err.count("\n") == 1


def test_weekly_blocks_warn_they_cannot_reach_five_percent(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    result = cli(capsys, db, "start", "--seed", "3", "--baseline", "--block-days", "7")
    assert result.code == 0, result.err
    result.out = " ".join(result.out.split())
    assert "4 pairs of 7-day blocks" in result.out and "after a baseline week" in result.out
    assert "smallest possible p = 0.125" in result.out
    assert "--block-days 4" in result.out
    assert "baseline week, day 1 of 7" in result.out


def test_nothing_yet(capsys: pytest.CaptureFixture[str], db: Path, clock: Clock) -> None:
    assert "No experiment yet" in cli(capsys, db, "status").out
    assert json.loads(cli(capsys, db, "status", "--json").out) == {"experiment": None}
    result = cli(capsys, db, "result")
    assert result.code == 2 and "experiment: none found" in result.err


def test_start_says_what_it_can_detect_and_plan_writes_a_file(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    first = cli(capsys, db, "start", "--seed", "4")
    assert first.code == 0 and "too few nights to say yet" in " ".join(first.out.split())
    assert cli(capsys, db, "stop", "--yes").code == 0
    for i in range(1, 15):
        night = (clock.now.date() - dt.timedelta(days=i)).isoformat()
        quality = ["poor", "fair", "good"][i % 3]
        done = run_cli(
            capsys, "--db", str(db), "sleep", "--night", night, "--into-bed", "23:00",
            "--tried", "23:10", "--sol", "10", "--awakenings", "0", "--waso", "0",
            "--final", "06:30", "--out", "06:45", "--quality", quality, "--replace",
        )  # fmt: skip
        assert done.code == 0, done.err
    second = cli(capsys, db, "start", "--seed", "5")
    words = " ".join(second.out.split())
    assert second.code == 0 and "In the 14 nights before the experiment" in words
    assert "80 % chance of detecting a change of about" in words
    out = db.parent / "plan.md"
    written = cli(capsys, db, "plan", "-o", str(out))
    assert written.code == 0 and out.read_text().startswith("# Personal experiment plan")
    status = cli(capsys, db, "status", "--json")
    data = json.loads(status.out)
    assert data["power"]["nights_used"] == 14 and data["power"]["pairs"] == 7
    from anklesleep.store import open_database
    from tests.web_helpers import client

    engine = open_database(db)
    c, _ = client(engine, db.parent)
    for page in ("/", "/insights"):
        html = " ".join(c.get(page).text.split())
        assert 'data-testid="experiment-power"' in html, page
        assert "In the 14 nights before the experiment" in html, page
    engine.dispose()


def _diary(capsys: pytest.CaptureFixture[str], db: Path, night: dt.date, quality: str) -> None:
    done = run_cli(
        capsys, "--db", str(db), "sleep", "--night", night.isoformat(), "--into-bed", "23:00",
        "--tried", "23:10", "--sol", "10", "--awakenings", "0", "--waso", "0",
        "--final", "06:30", "--out", "06:45", "--quality", quality, "--replace",
    )  # fmt: skip
    assert done.code == 0, done.err


def test_the_power_is_estimated_again_at_the_end_of_each_pair_and_the_plan_keeps_the_first(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    """Issue 22: at the start from the nights before; after each pair from the pairs so far."""
    for i in range(1, 15):  # steady nights before: fair and good
        _diary(capsys, db, clock.now.date() - dt.timedelta(days=i - 1), ["fair", "good"][i % 2])
    assert cli(capsys, db, "start", "--seed", "9").code == 0
    before = json.loads(cli(capsys, db, "status", "--json").out)["power"]
    assert before["source"] == "history" and before["nights_used"] == 14
    plan = json.loads(cli(capsys, db, "status", "--json").out)["experiment"]

    # inside the experiment the nights swing from very poor to very good within every block
    def swinging(blocks: list[dict[str, str]]) -> None:
        for block in blocks:
            first = dt.date.fromisoformat(block["start"])
            for i in range(4):
                night = first + dt.timedelta(days=i + 1)
                _diary(capsys, db, night, ["very poor", "very good"][i % 2])

    clock.advance(8)  # the first pair is over: 6 analysed nights, too few to estimate from
    swinging(plan["blocks"][:2])
    first_pair = json.loads(cli(capsys, db, "status", "--json").out)["power"]
    assert first_pair["source"] == "history" and first_pair["nights_used"] == 14
    clock.advance(8)  # the second pair is over: 12 nights
    swinging(plan["blocks"][2:4])
    status = cli(capsys, db, "status")
    words = " ".join(status.out.split())
    assert "Within the blocks of the 2 pairs so far" in words and "(12 nights)" in words
    after = json.loads(cli(capsys, db, "status", "--json").out)["power"]
    assert after["source"] == "experiment" and after["pairs_done"] == 2
    assert after["nights_used"] == 12 and after["sd"] > 2 * before["sd"]
    # the plan document keeps what was known when it was fixed
    kept = " ".join(cli(capsys, db, "plan").out.split())
    assert "In the 14 nights before the experiment" in kept and "so far" not in kept


def test_plan_without_an_experiment_is_refused_in_the_command_language(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    english = cli(capsys, db, "plan")
    assert english.code == 2 and "experiment: none found" in english.err
    japanese = run_cli(capsys, "--lang", "ja", "--db", str(db), "experiment", "plan")
    assert japanese.code == 2 and "none found" not in japanese.err
    assert "anklesleep experiment start" in japanese.err


def test_nights_after_a_stop_are_not_analysed(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    """Issue 22 review: a stop is a deviation; the diary kept after it follows no schedule."""
    assert cli(capsys, db, "start", "--seed", "42").code == 0
    plan = json.loads(cli(capsys, db, "status", "--json").out)["experiment"]
    clock.advance(20)  # pairs 1 and 2 are over (their last night was day 16)
    assert cli(capsys, db, "stop", "--yes").code == 0
    clock.advance(40)  # the diary goes on well past the planned end
    for block in plan["blocks"]:
        first = dt.date.fromisoformat(block["start"])
        good = block["condition"] == "routine"
        for i in range(4):
            _diary(capsys, db, first + dt.timedelta(days=i + 1), "good" if good else "poor")
    data = json.loads(cli(capsys, db, "result", "--json").out)["result"]
    assert data["pairs_used"] == 2  # not 7: pairs 3-7 came after the stop
    assert all(night <= "2026-03-22" for night in data["missing_nights"])
    words = " ".join(cli(capsys, db, "result").out.split())
    assert "stopped early" in words and "Only" not in words  # both pairs it reached are in


def test_the_web_says_when_too_few_nights_to_estimate_the_power_yet(
    capsys: pytest.CaptureFixture[str], db: Path, clock: Clock
) -> None:
    from anklesleep.store import open_database
    from tests.web_helpers import client

    assert cli(capsys, db, "start", "--seed", "3").code == 0  # no diary before the start
    engine = open_database(db)
    c, _ = client(engine, db.parent)
    for page in ("/", "/insights"):
        html = " ".join(c.get(page).text.split())
        assert 'data-testid="experiment-power"' in html, page
        assert "too few nights to say yet" in html, page
        ja = " ".join(c.get(page, headers={"accept-language": "ja"}).text.split())
        assert "今は見積もれません" in ja and "too few nights" not in ja, page
    engine.dispose()
