"""The command line in another language: no raw keys, ids or English words glued into
translated sentences, and columns that line up by display width (a pseudo language whose
messages come out in wide letters stands in for Japanese)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from anklesleep.basics import formats
from anklesleep.basics.textwidth import width
from anklesleep.practice.records import new_record
from anklesleep.store import open_database
from tests.cli_helpers import Result, run_cli
from tests.pseudo_language import english_words, pseudo_language  # noqa: F401 (a fixture)
from tests.session_helpers import store_session

NOW = dt.datetime(2026, 5, 14, 20, 0, tzinfo=dt.UTC)
#: day and month names come from the date formatting (being moved to Babel separately)
DATE_WORDS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Thursday", "May", "Jun", "Jul"}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from anklesleep.cli import localtime as local

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(local, "utc_now", lambda: NOW)
    monkeypatch.setattr(local, "local_now", lambda zone: NOW.astimezone(zone))
    monkeypatch.setattr("anklesleep.schedule.timezones.detect", lambda *a, **k: "UTC")


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Result:
    result = run_cli(capsys, "--db", str(db), *args)
    assert result.code == 0, result.err
    return result


def add_session(db: Path, day: int, hour: int, completed: bool) -> None:
    engine = open_database(db)
    rec = new_record(
        routine="quick", local_start=dt.datetime(2026, 5, day, hour, 5, tzinfo=dt.UTC),
        planned_seconds=70,
    )  # fmt: skip
    store_session(
        engine,
        rec,
        completed=completed,
        ended_at=rec.started_at + dt.timedelta(minutes=2),
        completed_seconds=70 if completed else 20,
        steps_done=["A0"],
    )
    engine.dispose()


@pytest.mark.usefixtures("pseudo_language")
def test_import_summary_is_whole_translated_sentences(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    cli(capsys, db, "sleep", "--night", "2026-05-13", "--into-bed", "23:00", "--tried", "23:20",
        "--sol", "15", "--awakenings", "1", "--waso", "10", "--final", "06:40", "--out", "07:00",
        "--quality", "3")  # fmt: skip
    cli(capsys, db, "symptoms", "--knee", "4")
    exported = tmp_path / "all.json"
    out = cli(capsys, db, "export", "-o", str(exported)).out.replace(str(exported), "")
    assert not english_words(out, {"JSON"}), out
    fresh = tmp_path / "fresh.sqlite3"
    for args in (["--dry-run"], [], []):  # would import, imported, then nothing new
        out = cli(capsys, fresh, "import", str(exported), *args).out
        assert not english_words(out), out
        assert "ｎｉｇｈｔ、1 ｓｙｍｐｔｏｍ" in out  # the list separator is the language's own
    data = json.loads(exported.read_text())
    data["tables"]["sleep_entries"][0]["sol_minutes"] = 25
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    for args in (["--replace"], []):
        out = cli(capsys, fresh, "import", str(changed), *args).out
        assert not english_words(out), out


@pytest.mark.usefixtures("pseudo_language")
def test_slots_list_names_slots_and_routines_and_lines_up(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the routines' lengths need their speech measured: in a pseudo language, every phrase anew
    monkeypatch.setattr(
        "anklesleep.cli.reminders._minutes", lambda settings, options: {"full": 12, "quick": 1}
    )
    db = tmp_path / "a.sqlite3"
    out = cli(capsys, db, "slots", "routine", "home", "quick").out
    assert not english_words(out), out
    out = cli(capsys, db, "slots").out
    assert not english_words(out, {"UTC", "NAME"}), out
    table = [line for line in out.splitlines() if ":" in line and line[:1] != " "][1:4]
    assert len(table) == 3, out
    # the times sit in one column, counted in display columns
    starts = {width(line[: line.index(":") - 2]) for line in table}
    assert len(starts) == 1, table
    for args in (["off", "home"], ["on", "home"], ["set", "bedtime", "22:30"]):
        out = cli(capsys, db, "slots", *args).out
        assert not english_words(out, {"UTC"}), out


@pytest.mark.usefixtures("pseudo_language")
def test_today_and_history_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    open_database(db).dispose()
    add_session(db, 14, 7, True)
    add_session(db, 13, 22, False)
    out = cli(capsys, db, "today").out
    first_line, *rest = out.splitlines()
    # the date is written the language's way: no English weekday or month
    assert not re.search(
        r"day|January|February|March|April|May|June|July|August|"
        r"September|October|November|December",
        first_line,
    ), first_line
    body = "\n".join(rest)
    assert not english_words(body), out
    rows = [line for line in out.splitlines() if line.startswith("  ") and ":" in line][:3]
    ends = {
        width(line[: line.rindex("ｄｏｎｅ" if "ｄｏｎｅ" in line else "ｎｏｔ")]) for line in rows
    }
    assert len(ends) == 1, rows  # the status column lines up
    out = cli(capsys, db, "history").out
    assert not english_words(out), out
    lines = out.splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    # the columns start at the same display column on every row
    assert width(first[: first.index(":") - 2]) == width(second[: second.index(":") - 2])
    assert width(header) >= width("Day")
    assert formats.date(dt.date(2026, 5, 14), "ja") in first  # the day in the language's form


@pytest.mark.usefixtures("pseudo_language")
def test_experiment_status_has_no_raw_status_and_wraps_by_width(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    out = cli(capsys, db, "experiment", "start", "--seed", "3", "--baseline").out
    assert not english_words(out, DATE_WORDS), out
    out = cli(capsys, db, "experiment", "status").out
    assert not english_words(out, DATE_WORDS), out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Ｗｈａｔ ｔｈｉｓ"))
    paragraph = lines[start : lines.index("", start)]
    assert len(paragraph) >= 2 and all(width(line) <= 88 for line in paragraph), paragraph


@pytest.mark.usefixtures("pseudo_language")
def test_a_bad_snooze_is_one_whole_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "a.sqlite3"), "remind", "--snooze", "0")
    assert result.code == 2
    assert english_words(result.err) == ["anklesleep", "error", "snooze"], result.err


@pytest.mark.usefixtures("pseudo_language")
def test_plain_cue_lines_and_the_day_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.testing.player import ManualClock

    monkeypatch.setattr("anklesleep.cli.start.make_clock", ManualClock)
    args = ["start", "quick", "--no-sound", "--no-voice", "--slot", "home"]
    out = cli(capsys, tmp_path / "a.sqlite3", *args).out
    lines = out.splitlines()
    cues = [line for line in lines if line.startswith("[")]
    assert cues and not english_words("\n".join(cues)), cues
    assert all(" s)" not in line for line in cues)  # the seconds are a message too
    assert "ｈｏｍｅ" in lines[-1] and not english_words(lines[-1]), lines[-1]
    assert "ｍｏｒｎｉｎｇ ｎｏｔ ｙｅｔ、ｈｏｍｅ ｄｏｎｅ" in lines[-1]


@pytest.mark.usefixtures("pseudo_language")
def test_stats_name_how_complaints_go(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    cli(capsys, db, "symptoms", "--knee", "4")
    out = cli(capsys, db, "stats").out
    assert "ｔｏｏ ｆｅｗ" in out
    assert not english_words(out), out
