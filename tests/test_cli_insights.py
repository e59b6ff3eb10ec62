"""`anklesleep stats` and `anklesleep report` against a real (temporary) database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from anklesleep.testing import synthetic
from tests.cli_helpers import run_cli

NOW = dt.datetime(2026, 6, 30, 21, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database with 40 days of synthetic history, and a fixed 'now'."""
    from anklesleep.cli import localtime as local
    from anklesleep.store import diary, open_database, sessions

    monkeypatch.setattr(local, "local_now", lambda zone: NOW.astimezone(zone))
    monkeypatch.setenv("TZ", "UTC")
    path = tmp_path / "a.sqlite3"
    engine = open_database(path)
    h = synthetic.history(NOW.date() - dt.timedelta(days=40), 40, seed=3, practice_rate=0.6)
    with engine.begin() as conn:
        for r in h.sessions:
            sessions.start_session(conn, r)
        for n in h.nights:
            if n.night <= NOW.date():
                diary.save_night(conn, n, NOW)
        diary.save_symptoms(conn, h.symptoms, NOW)
    engine.dispose()
    return path


def test_stats_text(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    result = run_cli(capsys, "--db", str(db), "stats", "--days", "30")
    assert result.code == 0, result.err
    out = result.out
    assert "Last 30 days (2026-06-01 to 2026-06-30)" in out
    assert "Practice:" in out and "Habit strength:" in out and "Streak:" in out
    assert "Bedtime, after a bath" in out
    assert "Nights after a bedtime session against nights without" in out
    assert "association, not proof" in out
    assert "Complaints" in out


def test_stats_json(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    result = run_cli(capsys, "--db", str(db), "stats", "--json", "--days", "14")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["start"] == "2026-06-17" and data["end"] == "2026-06-30"
    assert len(data["adherence"]["days"]) == 14
    assert data["nights_recorded"] == 14
    assert data["experiment_today"] is None
    assert data["association"]["caveat"]


@pytest.mark.parametrize("days", ["3", "ten", "4000"])
def test_bad_days_get_one_line(capsys: pytest.CaptureFixture[str], db: Path, days: str) -> None:
    result = run_cli(capsys, "--db", str(db), "stats", "--days", days)
    assert result.code == 2
    assert result.err.strip() == (
        f"anklesleep: error: --days: got {days!r}; give a whole number of days from 7 to 3660"
    )


@pytest.mark.slow
def test_report_writes_html_and_pngs(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    result = run_cli(
        capsys, "--db", str(db), "report", "-o", str(out), "--png", str(tmp_path / "png"),
        "--days", "21",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Wrote" in result.out and "4 charts" in result.out
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 4 and "Caveats" in html
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == [
        "calendar.png", "habit.png", "sleep.png", "symptoms.png",
    ]  # fmt: skip


def test_report_into_a_missing_folder(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    result = run_cli(capsys, "--db", str(db), "report", "-o", str(tmp_path / "nope" / "r.html"))
    assert result.code == 2
    assert result.err.startswith(f"anklesleep: error: --output: folder '{tmp_path / 'nope'}'")
    assert "does not exist" in result.err and result.err.count("\n") == 1
    assert not (tmp_path / "nope").exists()


def test_report_png_folder_that_is_a_file(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    args = ["report", "-o", str(tmp_path / "r.html"), "--png", str(tmp_path / "taken")]
    result = run_cli(capsys, "--db", str(db), *args)
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: Invalid value for '--png': ")
    assert "is a file" in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_commands_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("stats", "report"):
        result = run_cli(capsys, command, "--help")
        assert result.code == 0 and "Example:" in result.out
