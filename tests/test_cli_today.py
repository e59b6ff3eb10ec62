"""`anklesleep today` and `anklesleep history`, text and JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from anklesleep.practice.records import SessionRecord, new_record
from anklesleep.schedule.slots import SlotName
from anklesleep.store import open_database
from tests.cli_helpers import run_cli
from tests.session_helpers import store_session

UTC = dt.UTC


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Today is Thursday 14 May 2026, 20:00 in UTC (the test machine's zone is pinned)."""
    now = dt.datetime(2026, 5, 14, 20, 0, tzinfo=UTC)
    monkeypatch.setattr("anklesleep.cli.localtime.local_now", lambda zone: now.astimezone(zone))
    monkeypatch.setattr("anklesleep.schedule.timezones.detect", lambda *a, **k: "UTC")
    return now


def add(
    db: Path, day: int, hour: int, completed: bool, slot: SlotName | None = None, month: int = 5
) -> None:
    engine = open_database(db)
    rec = new_record(
        routine="full",
        local_start=dt.datetime(2026, month, day, hour, 5, tzinfo=UTC),
        planned_seconds=610,
        slot=slot,
    )
    store_session(
        engine,
        rec,
        completed=completed,
        ended_at=rec.started_at + dt.timedelta(minutes=10),
        completed_seconds=610 if completed else 95,
        steps_done=["T1:left", "T2:left"],
    )
    engine.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "today.sqlite3"
    add(path, 12, 22, True)
    add(path, 13, 7, True)
    add(path, 14, 7, True)
    add(path, 14, 18, False)
    add(path, 20, 22, True, month=4)
    return path


def test_today_text(capsys: pytest.CaptureFixture[str], db: Path, fixed_now: dt.datetime) -> None:
    result = run_cli(capsys, "--db", str(db), "today")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Today, Thursday 14 May 2026"
    morning = next(line for line in lines if "Morning" in line)
    home = next(line for line in lines if "Back home" in line)
    bedtime = next(line for line in lines if "Bedtime" in line)
    assert morning.rstrip().endswith("done") and "07:00" in morning
    assert home.rstrip().endswith("partial")
    assert bedtime.rstrip().endswith("not yet")
    assert "1 of 3 done today" in result.out
    assert "Streak: 3 days (longest 3 days)" in result.out


def test_today_json(capsys: pytest.CaptureFixture[str], db: Path, fixed_now: dt.datetime) -> None:
    result = run_cli(capsys, "--db", str(db), "today", "--json")
    data = json.loads(result.out)
    assert data["day"] == "2026-05-14"
    slots = {s["slot"]: s for s in data["slots"]}
    assert {k: v["status"] for k, v in slots.items()} == {
        "morning": "done",
        "home": "partial",
        "bedtime": "not yet",
    }
    assert data["streak"] == 3 and data["longest_streak"] == 3
    assert len(data["sessions"]) == 2
    assert slots["bedtime"]["time"] == "22:00"


def test_today_on_an_empty_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fixed_now: dt.datetime
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "empty.sqlite3"), "today")
    assert result.code == 0
    assert "Nothing done yet today" in result.out
    assert "Streak: 0 days" in result.out


def test_history_text_newest_first(
    capsys: pytest.CaptureFixture[str], db: Path, fixed_now: dt.datetime
) -> None:
    result = run_cli(capsys, "--db", str(db), "history")
    assert result.code == 0, result.err
    rows = [line for line in result.out.splitlines() if line.startswith("2026-")]
    assert [r[:10] for r in rows] == ["2026-05-14", "2026-05-14", "2026-05-13", "2026-05-12"]
    assert "home" in rows[0] and "partial, 2 steps" in rows[0]
    assert "completed" in rows[1] and "10:10/10:10" in rows[1]
    assert "4 sessions, 3 completed. Current streak: 3 days." in result.out


def test_history_days_and_json(
    capsys: pytest.CaptureFixture[str], db: Path, fixed_now: dt.datetime
) -> None:
    result = run_cli(capsys, "--db", str(db), "history", "--days", "2", "--json")
    data = json.loads(result.out)
    assert data["from"] == "2026-05-13" and data["to"] == "2026-05-14"
    assert [s["local_date"] for s in data["sessions"]] == ["2026-05-14"] * 2 + ["2026-05-13"]
    first: dict[str, object] = data["sessions"][0]
    assert set(first) >= set(SessionRecord.__dataclass_fields__)
    month = json.loads(run_cli(capsys, "--db", str(db), "history", "--days", "30", "--json").out)
    assert len(month["sessions"]) == 5


def test_history_on_an_empty_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fixed_now: dt.datetime
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "empty.sqlite3"), "history")
    assert "No sessions in the last 14 days" in result.out


@pytest.mark.parametrize("days", ["0", "-3", "40000"])
def test_history_days_are_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, days: str
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "x.sqlite3"), "history", "--days", days)
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: --days: got")


def test_today_says_what_the_running_experiment_asks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "exp.sqlite3")
    started = run_cli(capsys, "--db", db, "experiment", "start", "--seed", "5")
    assert started.code == 0, started.err
    text = run_cli(capsys, "--db", db, "today")
    assert text.code == 0, text.err
    assert "Experiment: " in text.out
    data = json.loads(run_cli(capsys, "--db", db, "today", "--json").out)
    assert data["experiment"]["phase"] in ("upcoming", "baseline", "routine", "usual")
    assert data["experiment"]["headline"] in text.out


def test_today_json_is_the_web_apps_today(
    capsys: pytest.CaptureFixture[str], db: Path, fixed_now: dt.datetime, tmp_path: Path
) -> None:
    """`today --json` and `GET /api/today` answer the same document for the same moment."""
    from tests.web_helpers import Clock, client

    engine = open_database(db)
    web, _ = client(engine, tmp_path, clock=Clock(fixed_now))
    from_web = web.get("/api/today").json()
    from_cli = json.loads(run_cli(capsys, "--db", str(db), "today", "--json").out)
    assert from_cli == from_web
    assert [s["slot"] for s in from_cli["slots"]] == ["morning", "home", "bedtime"]
