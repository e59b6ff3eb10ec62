"""`anklesleep slots`, `calendar` and `remind` as a user runs them."""

from __future__ import annotations

import configparser
import datetime as dt
import os
import re
import shlex
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from anklesleep.schedule import calendar
from anklesleep.testing.reminders import FakeClock
from tests.cli_helpers import Result, run_cli
from tests.session_helpers import store_session


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "test.sqlite3"


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Result:
    return run_cli(capsys, "--db", str(db), *args)


def slot_rows(out: str) -> dict[str, list[str]]:
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("morning", "home", "bedtime"):
            rows[parts[0]] = parts[1:]
    return rows


def test_slots_shows_defaults(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    result = cli(capsys, db, "slots")
    assert result.code == 0, result.err
    assert "Time zone: " in result.out
    rows = slot_rows(result.out)
    assert rows["morning"][:3] == ["07:00", "on", "full"]
    assert rows["home"][:3] == ["18:30", "on", "full"]
    assert rows["bedtime"][:3] == ["22:00", "on", "full"]
    assert "Next reminder: " in result.out
    assert cli(capsys, db, "slots", "show").out == result.out


def test_slots_changes_are_saved(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert cli(capsys, db, "slots", "set", "bedtime", "22:30").out.startswith(
        "bedtime: reminder at 22:30"
    )
    assert cli(capsys, db, "slots", "off", "home", "morning").code == 0
    assert cli(capsys, db, "slots", "on", "morning").code == 0
    routine = cli(capsys, db, "slots", "routine", "morning", "quick")
    assert routine.out.startswith("morning: quick routine (about 1 min)")
    zone = cli(capsys, db, "slots", "timezone", "america/new_york")
    assert zone.out.startswith("Time zone: America/New_York.")
    shown = cli(capsys, db, "slots").out
    rows = slot_rows(shown)
    assert rows["morning"][:3] == ["07:00", "on", "quick"]
    assert rows["home"][:3] == ["18:30", "off", "full"]
    assert rows["bedtime"][:3] == ["22:30", "on", "full"]
    assert "Time zone: America/New_York" in shown


def test_timezone_auto_uses_the_detected_zone(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(capsys, db, "slots", "timezone", "Europe/Lisbon")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    result = cli(capsys, db, "slots", "timezone", "auto")
    assert result.out.startswith("Time zone: Asia/Tokyo, following this computer's zone.")
    # It keeps following the computer: after travelling, the new zone is used.
    monkeypatch.setenv("TZ", "America/Denver")
    assert "Time zone: America/Denver (this computer's;" in cli(capsys, db, "slots").out


def test_zone_is_detected_until_chosen(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert "Time zone: Europe/Berlin (this computer's;" in cli(capsys, db, "slots").out
    cli(capsys, db, "slots", "set", "bedtime", "22:45")  # saving a slot keeps following
    monkeypatch.setenv("TZ", "Europe/Helsinki")
    assert "Time zone: Europe/Helsinki (this computer's;" in cli(capsys, db, "slots").out
    cli(capsys, db, "slots", "timezone", "Europe/Lisbon")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    shown = cli(capsys, db, "slots").out
    assert shown.startswith("Time zone: Europe/Lisbon\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("slots", "set", "lunch", "12:00"),
            "slot: got 'lunch'; use one of morning, home, bedtime",
        ),
        (("slots", "set", "bedtime", "25:00"), "time: got '25:00'; use a 24-hour time"),
        (("slots", "set", "bedtime", "10pm"), "time: got '10pm'; use a 24-hour time"),
        (("slots", "off", "home", "tea"), "slot: got 'tea'"),
        (("slots", "off"), "slot: none given"),
        (("slots", "routine", "home", "long"), "routine: got 'long'; use one of full, quick"),
        (("slots", "timezone", "Mars/Olympus"), "timezone: got 'Mars/Olympus'; use an IANA"),
        (("calendar", "--link", "javascript:alert(1)"), "--link: got 'javascript:alert(1)'"),
        (("remind", "--snooze", "0"), "--snooze: got '0'; use a whole number of minutes"),
        (("remind", "--snooze", "ten"), "--snooze: got 'ten'"),
        (("remind", "--repeats", "2"), "--repeats: got '2' without --snooze"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = cli(capsys, db, "slots").out
    result = cli(capsys, db, *args)
    assert result.code == 2
    assert result.err.startswith(f"anklesleep: error: {message}")
    assert result.err.count("\n") == 1
    assert result.out == ""
    assert cli(capsys, db, "slots").out == before
    assert not list(tmp_path.glob("*.ics"))


def events_of(path: Path) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_calendar_writes_the_enabled_slots(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    cli(capsys, db, "slots", "timezone", "Europe/London")
    cli(capsys, db, "slots", "off", "home")
    cli(capsys, db, "slots", "routine", "morning", "quick")
    out = tmp_path / "anklesleep.ics"
    result = cli(capsys, db, "calendar", "-o", str(out), "--link", "http://192.168.1.20:8000/")
    assert result.code == 0, result.err
    assert "daily morning 07:00, bedtime 22:00 (Europe/London)" in result.out
    events = {str(e["SUMMARY"]): e for e in events_of(out)}
    assert set(events) == {"Ankle routine: morning", "Ankle routine: bedtime"}
    assert events["Ankle routine: morning"]["UID"] == calendar.uid("morning")
    assert "http://192.168.1.20:8000/" in str(events["Ankle routine: bedtime"]["DESCRIPTION"])
    quick = events["Ankle routine: morning"].decoded("DURATION")
    full = events["Ankle routine: bedtime"].decoded("DURATION")
    assert dt.timedelta(minutes=1) <= quick < full
    parsed = icalendar.Calendar.from_ical(out.read_bytes())
    first = events["Ankle routine: bedtime"].decoded("DTSTART").date()
    found = list(recurring_ical_events.of(parsed).between(first, first + dt.timedelta(days=60)))
    assert len(found) == 120
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # After a change, people who exported are told to export again; UIDs stay the same.
    changed = cli(capsys, db, "slots", "set", "bedtime", "23:00")
    assert "Write it again (anklesleep calendar -o FILE)" in changed.out
    cli(capsys, db, "calendar", "-o", str(out))
    again = {str(e["SUMMARY"]): e for e in events_of(out)}
    assert again["Ankle routine: bedtime"]["UID"] == events["Ankle routine: bedtime"]["UID"]
    assert again["Ankle routine: bedtime"].decoded("DTSTART").time() == dt.time(23, 0)


def test_calendar_to_stdout(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    result = cli(capsys, db, "calendar", "-o", "-")
    assert result.code == 0
    assert result.out.startswith("BEGIN:VCALENDAR")
    assert result.out.count("BEGIN:VEVENT") == 3


def test_calendar_with_every_slot_off(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    cli(capsys, db, "slots", "off", "morning", "home", "bedtime")
    out = tmp_path / "none.ics"
    result = cli(capsys, db, "calendar", "-o", str(out))
    assert "all reminders are off" in result.out
    assert events_of(out) == []


@pytest.mark.parametrize("where", ["missing-folder/out.ics", "a-file/out.ics", "."])
def test_unwritable_output_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    cli(capsys, db, "slots")  # the database exists before
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli(capsys, db, "calendar", "-o", str(tmp_path / where))
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: --output: ")
    assert result.err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_failed_write_leaves_no_partial_file(
    capsys: pytest.CaptureFixture[str],
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "anklesleep.ics"
    out.write_text("the previous calendar")

    def broken_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    result = cli(capsys, db, "calendar", "-o", str(out))
    assert result.code == 2
    assert "No space left on device" in result.err
    assert out.read_text() == "the previous calendar"
    # (the app's home may hold speech clips measured for the event length)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == [
        "anklesleep.ics",
        "data",
    ]


class StoppingClock(FakeClock):
    """A fake clock that acts like Ctrl+C once it reaches `end`."""

    def __init__(self, start: dt.datetime, end: dt.datetime) -> None:
        super().__init__(start)
        self.end = end

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.now() >= self.end:
            raise KeyboardInterrupt


def test_remind_runs_until_stopped_and_skips_done_slots(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.practice.records import new_record
    from anklesleep.schedule import reminders
    from anklesleep.store import open_database

    cli(capsys, db, "slots", "timezone", "Europe/London")
    cli(capsys, db, "slots", "off", "home")
    # The morning session was done at 06:50 on 4 May (London time).
    engine = open_database(str(db))
    london = dt.timezone(dt.timedelta(hours=1))
    record = new_record(
        routine="quick",
        local_start=dt.datetime(2026, 5, 4, 6, 50, tzinfo=london),
        planned_seconds=70.0,
    )
    store_session(engine, replace(record, completed=True))
    engine.dispose()

    start = dt.datetime(2026, 5, 4, 5, 0, tzinfo=dt.UTC)  # 06:00 in London
    end = dt.datetime(2026, 5, 5, 6, 30, tzinfo=dt.UTC)  # 07:30 the next day
    monkeypatch.setattr(reminders, "SystemClock", lambda: StoppingClock(start, end))
    monkeypatch.setattr(reminders, "MAX_WAIT", 1800.0)  # fewer idle wake-ups: a faster test
    result = cli(capsys, db, "remind", "--terminal", "--snooze", "15", "--repeats", "1")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        "Reminders for morning 07:00, bedtime 22:00 (Europe/London), "
        "by a terminal bell and a line here."
    )
    assert lines[1] == "Next: morning today at 07:00. Press Ctrl+C to stop."
    assert "07:00 morning: already done, no reminder." in lines
    assert "22:00 bedtime: reminder sent. Again at 22:15 unless done." in lines
    assert "22:15 bedtime: reminder sent." in lines
    assert "07:00 morning: reminder sent. Again at 07:15 unless done." in lines
    bells = [line for line in lines if line.startswith("\a")]
    assert bells[0].startswith("\aAnkle routine: bedtime: Bedtime, after a bath: time for")
    assert len(bells) == 4  # bedtime, its repeat, next morning, its repeat at 07:15
    assert lines[-1] == "Reminders stopped."


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ("slots", "--help"),
        ("slots", "set", "--help"),
        ("slots", "timezone", "--help"),
        ("calendar", "--help"),
        ("remind", "--help"),
    ):
        result = run_cli(capsys, *args)
        assert result.code == 0
        assert "Example" in result.out


DOCS = Path(__file__).resolve().parent.parent / "docs" / "reminders.md"


def test_documented_slot_commands_work(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    commands = re.findall(r"`anklesleep (slots[^`]*)`", DOCS.read_text(encoding="utf-8"))
    assert {
        "slots",
        "slots set bedtime 22:30",
        "slots off home",
        "slots on home",
        "slots routine home quick",
        "slots timezone Europe/London",
        "slots timezone auto",
    } <= set(commands)
    for command in commands:
        result = cli(capsys, db, *shlex.split(command))
        assert result.code == 0, (command, result.err)


def test_documented_systemd_unit_runs_remind(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.schedule import reminders

    block = re.search(r"```ini\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(block.group(1))
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    argv = shlex.split(unit["Service"]["ExecStart"])
    assert argv[0].endswith("/anklesleep")
    start = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(
        reminders, "SystemClock", lambda: StoppingClock(start, start + dt.timedelta(hours=1))
    )
    result = cli(capsys, db, *argv[1:], "--terminal")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "Reminders stopped."
