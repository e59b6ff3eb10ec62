"""What a bad file, a damaged stored value or a damaged database does: one line, never a crash,
never a write into a file that failed its check, never a stored note in an error."""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anklesleep.cli import localtime as local
from anklesleep.diary.entries import NOTE_MAX
from tests.cli_helpers import Result, run_cli

NOW = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)
STAMP = "2026-03-01T00:00:00+00:00"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(local, "utc_now", lambda: NOW)


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Result:
    return run_cli(capsys, "--db", str(db), *args)


def export_doc(**tables: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "anklesleep-export", "schema_version": 1, "tables": tables})


def setting(key: str, value: Any) -> dict[str, Any]:
    return {"key": key, "value": value, "updated_at": STAMP}


def plant_setting(db: Path, key: str, raw_json: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
            (key, raw_json, "2026-03-01 00:00:00.000000"),
        )


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (setting("slots", "garbage"), "settings row 1: slots: expected an object"),
        (setting("slots", {"slots": {"home": {"time": 7}}}), "slots.home.time"),
        (setting("slots", {"timezone": "Mars/Base"}), "slots.timezone: got 'Mars/Base'"),
        (setting("preferences", {"options": "fast"}), "options: got 'fast'"),
        (setting("preferences", {"options": {"extra_circles": False}}), "settings row 1"),
        (setting("preferences", [1]), "preferences: expected an object"),
        (setting("no_such_key", 1), "key: got 'no_such_key'"),
        (setting("calendar_revisions", {"home": 3}), "calendar_revisions: expected"),
        (setting("safety_acknowledged_at", "yesterday"), "safety_acknowledged_at: expected"),
    ],
)
def test_a_bad_setting_refuses_the_whole_file_and_names_the_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, row: dict[str, Any], fragment: str
) -> None:
    db = tmp_path / "a.sqlite3"
    doc = tmp_path / "bad.json"
    good = {"day": "2026-03-13", "symptom": "knee", "score": 3, "note": "", "updated_at": STAMP}
    doc.write_text(export_doc(settings=[row], symptom_entries=[good]))
    result = cli(capsys, db, "import", str(doc))
    assert result.code == 2, result
    assert fragment in result.err
    assert result.err.count("\n") == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM symptom_entries").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM settings").fetchone() == (0,)
    assert cli(capsys, db, "today").code == 0


def test_a_note_longer_than_the_one_limit_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    row = {"day": "2026-03-13", "symptom": "knee", "score": 3, "note": "x" * (NOTE_MAX + 1)}
    doc = tmp_path / "long.json"
    doc.write_text(export_doc(symptom_entries=[{**row, "updated_at": STAMP}]))
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(doc))
    assert result.code == 2
    assert "symptom_entries row 1" in result.err
    assert str(NOTE_MAX) in result.err


def test_session_options_are_checked_like_typed_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    session = {
        "uuid": "0f5b7a8e-7b1e-4a4e-9d7e-2b9d1c0a5e11", "routine": "full", "slot": "home",
        "started_at": STAMP, "ended_at": None, "utc_offset_minutes": 0,
        "local_date": "2026-03-01", "planned_seconds": 60.0, "completed_seconds": 60.0,
        "completed": True, "steps_done": [], "options": {"tempo": "fast"}, "source": "web",
    }  # fmt: skip
    doc = tmp_path / "s.json"
    doc.write_text(export_doc(sessions=[session]))
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(doc))
    assert result.code == 2
    assert "sessions row 1: --tempo: got 'fast'" in result.err


@pytest.mark.parametrize(
    "raw", ['"garbage"', "[1, 2]", '{"slots": {"home": "x"}}', '{"timezone": "Mars/Base"}']
)
def test_a_damaged_stored_setting_is_read_as_the_default_and_doctor_repairs_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, raw: str
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "today").code == 0
    plant_setting(db, "slots", raw)
    plant_setting(db, "preferences", '{"options": "fast"}')
    for command in (["today"], ["history"], ["stats"], ["slots"], ["experiment", "status"]):
        result = cli(capsys, db, *command)
        assert result.code == 0, (command, result)
    good = tmp_path / "good.json"
    good.write_text(export_doc(settings=[setting("slots", {"timezone": "UTC"})]))
    assert cli(capsys, db, "import", "--replace", str(good)).code == 0
    plant_setting(db, "slots", raw)
    found = cli(capsys, db, "doctor")
    assert found.code == 1
    assert "settings slots:" in found.out
    assert "settings preferences:" in found.out
    assert "doctor --repair" in found.out
    fixed = cli(capsys, db, "doctor", "--repair")
    assert fixed.code == 0, fixed
    assert "Repaired 2 settings" in fixed.out
    again = cli(capsys, db, "doctor")
    assert again.code == 0
    assert "Stored values: ok." in again.out


#: one ordinary night, as `anklesleep sleep` flags
NIGHT = ["--night", "2026-03-13", "--into-bed", "23:00", "--tried", "23:10", "--sol", "10"]
NIGHT += ["--awakenings", "0", "--waso", "0", "--final", "06:50", "--out", "07:00"]


def test_stored_text_that_is_not_json_or_not_utf8_is_read_and_repaired(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "sleep", *NIGHT, "--quality", "3", "--note", "ok").code == 0
    with sqlite3.connect(db) as conn:  # a hand edit without quotes, and bytes gone bad
        conn.execute(
            "INSERT OR REPLACE INTO settings VALUES ('preferences', 'garbage', '2026-03-01')"
        )
        conn.execute(
            "INSERT OR REPLACE INTO settings VALUES "
            "('language', CAST(x'22ff22' AS TEXT), '2026-03-01')"
        )
        conn.execute("UPDATE sleep_entries SET note = CAST(x'41ff42' AS TEXT)")
    for command in (
        ["today"],
        ["history"],
        ["stats"],
        ["sleep", "--show", "--night", "2026-03-13"],
    ):
        result = cli(capsys, db, *command)
        assert result.code == 0, (command, result)
    found = cli(capsys, db, "doctor")
    assert found.code == 1
    assert "preferences: the stored value is not JSON" in found.out
    assert cli(capsys, db, "doctor", "--repair").code == 0
    assert cli(capsys, db, "doctor").code == 0


@pytest.mark.parametrize(
    ("column", "damaged"),
    [("into_bed", "2\x013:00:00"), ("night", "2026-1\x00-13"), ("updated_at", "yesterday")],
)
def test_a_damaged_stored_date_or_time_is_one_line_and_doctor_names_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, column: str, damaged: str
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "sleep", *NIGHT, "--quality", "3", "--note", "secret words").code == 0
    with sqlite3.connect(db) as conn:  # bytes gone bad inside a stored value
        conn.execute(f"UPDATE sleep_entries SET {column} = ?", (damaged,))
    readers = [["export", "-o", str(tmp_path / "o.json")]]
    if column != "night":  # a damaged night is outside the dates the others ask for
        readers.append(["stats"])
    for command in readers:
        result = cli(capsys, db, *command)
        assert result.code == 1, (command, result)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and "anklesleep doctor" in lines[0], result.err
        assert damaged not in result.err and "secret" not in result.err
    found = cli(capsys, db, "doctor")
    assert found.code == 1
    assert f"sleep_entries row 1: the stored {column} cannot be read" in found.out
    assert "put a backup back in place" in found.out


def test_a_damaged_name_in_the_schema_is_a_damaged_database_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "today").code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    assert b"sqlite_autoindex_symptom_entries_1" in data
    db.write_bytes(data.replace(b"sqlite_autoindex_symptom", b"sqlite_au\x88oindex_symptom", 1))
    result = cli(capsys, db, "today")
    assert "Traceback" not in result.err
    assert list(tmp_path.glob("a.sqlite3.corrupt-*"))


def test_the_read_warning_is_one_line_without_the_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "today").code == 0
    plant_setting(db, "slots", '"my secret words"')
    with caplog.at_level("WARNING", logger="anklesleep"):
        assert cli(capsys, db, "today").code == 0
    lines = [r.getMessage() for r in caplog.records]
    assert lines and all("\n" not in line and "secret" not in line for line in lines)
    assert "setting 'slots' is damaged" in lines[0]


def test_a_database_from_a_newer_release_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "today").code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    before = db.read_bytes()
    for _attempt in range(2):
        result = cli(capsys, db, "today")
        assert result.code == 2
        assert result.err.count("\n") == 1
        assert "newer release" in result.err
    assert not list(tmp_path.glob("*.bak"))
    assert db.read_bytes() == before


def test_a_damaged_database_is_set_aside_untouched_and_a_new_one_started(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "symptoms", "--day", "2026-03-13", "--knee", "4").code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    data[page * 2 : page * 3] = b"\xa5" * page  # one table's page overwritten
    db.write_bytes(bytes(data))
    with caplog.at_level("WARNING", logger="anklesleep"):
        result = cli(capsys, db, "symptoms", "--day", "2026-03-13", "--knee", "5")
    assert result.code == 0, result
    aside = list(tmp_path.glob("a.sqlite3.corrupt-*"))
    assert [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    main = next(p for p in aside if not p.name.endswith(("-wal", "-shm")))
    assert main.read_bytes() == bytes(data)  # never written to
    message = " ".join(r.getMessage() for r in caplog.records)
    assert "damaged" in message and "anklesleep import" in message
    shown = cli(capsys, db, "symptoms", "--day", "2026-03-13", "--show", "--json")
    assert shown.code == 0


def test_a_database_url_given_to_db_is_a_url(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(capsys, "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none", "today")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_importing_a_sqlite_file_that_is_not_a_backup_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (a)")
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(other))
    assert result.code == 2
    assert "not an anklesleep backup" in result.err


def test_the_access_token_stays_out_of_exports_and_imports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from anklesleep.services.access import stored_token
    from anklesleep.store import open_database

    db = tmp_path / "a.sqlite3"
    engine = open_database(db)
    token = stored_token(engine, NOW)
    engine.dispose()
    out = tmp_path / "all.json"
    assert cli(capsys, db, "export", "-o", str(out)).code == 0
    assert token not in out.read_text()
    old = tmp_path / "old.json"
    old.write_text(export_doc(settings=[setting("web_access_token", "y" * 32)]))
    assert cli(capsys, db, "import", "--replace", str(old)).code == 0
    engine = open_database(db)
    assert stored_token(engine, NOW) == token
    engine.dispose()


def test_the_database_is_for_its_owner_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "a.sqlite3"
    assert cli(capsys, db, "today").code == 0
    db.chmod(0o644)
    assert cli(capsys, db, "today").code == 0
    assert db.stat().st_mode & 0o777 == 0o600


def test_a_database_error_is_one_line_without_the_values_sent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.store import create, diary, migrate

    note = "planted note 7d1c"
    engine = create(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    migrate(engine)
    with pytest.raises(sa.exc.IntegrityError) as info, engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO symptom_entries (day, symptom, score, note) VALUES (:d,:s,:n,:t)"),
            {"d": None, "s": "knee", "n": 1, "t": note},
        )
    engine.dispose()
    assert note not in str(info.value)

    def locked(*_args: Any, **_kwargs: Any) -> None:
        raise sa.exc.OperationalError(
            "UPDATE x", {"note": note}, sqlite3.OperationalError("database is locked")
        )

    monkeypatch.setattr(diary, "save_symptoms", locked)
    db = tmp_path / "a.sqlite3"
    result = cli(capsys, db, "symptoms", "--day", "2026-03-13", "--knee", "4", "--note", note)
    assert result.code == 1
    assert note not in result.err + result.out
    assert result.err == (
        "anklesleep: error: database: busy with another program's write; try again in a moment\n"
    )


def test_a_zip_bomb_is_refused_before_it_fills_the_memory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import tracemalloc
    import zipfile

    from anklesleep.store import export_files

    bomb = tmp_path / "bomb.zip"
    block = b"0" * (1 << 20)
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("sleep_entries.csv", "w", force_zip64=True) as member,
    ):
        for _ in range(export_files.MAX_MEMBER_BYTES // len(block) + 8):
            member.write(block)
    assert bomb.stat().st_size < 1_000_000
    tracemalloc.start()
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(bomb))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.code == 2
    assert "unpacks to more than" in result.err
    assert peak < export_files.MAX_MEMBER_BYTES  # refused from its header: nothing inflated


def test_a_member_that_lies_about_its_size_stops_at_the_limit(tmp_path: Path) -> None:
    import zipfile

    from anklesleep.basics.errors import AnkleSleepError
    from anklesleep.store import export_files

    archive_path = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sleep_entries.csv", b"night\n" + b"1" * 4000)
    with zipfile.ZipFile(archive_path) as archive:
        info = archive.infolist()[0]
        with pytest.raises(AnkleSleepError, match="unpacks to more than"):
            export_files._inflate(archive, info, 1000, "liar.zip")


def test_an_archive_with_many_files_or_other_names_is_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import zipfile

    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(40):
            archive.writestr(f"part{n}.csv", b"a\n")
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(many))
    assert result.code == 2
    assert "holds 40 files" in result.err


def test_deeply_nested_json_in_an_import_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    deep = "[" * 980 + "]" * 980
    doc = tmp_path / "deep.json"
    doc.write_text(
        '{"format": "anklesleep-export", "schema_version": 1, "tables": {"settings": '
        f'[{{"key": "slots", "value": {deep}, "updated_at": "{STAMP}"}}]}}}}'
    )
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(doc))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "deep" in result.err
    deeper = tmp_path / "deeper.json"
    deeper.write_text("[" * 200_000 + "]" * 200_000)
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(deeper))
    assert result.code == 2
    assert result.err.count("\n") == 1


def test_a_deeply_nested_manifest_in_a_zip_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    archive_path = tmp_path / "export.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr("manifest.json", "[" * 200_000 + "]" * 200_000)
        archive.writestr("sessions.csv", "uuid\n")
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(archive_path))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "manifest.json is not valid JSON" in result.err


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_a_device_is_refused_not_read_without_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # /dev/null stands for /dev/zero or a pipe (which would give bytes without end): a
    # device is refused before anything is read from it.
    result = cli(capsys, tmp_path / "a.sqlite3", "import", "/dev/null")
    assert result.code == 2
    assert "is not a file, a folder or a zip" in result.err


SESSION = {
    "uuid": "0f5b7a8e-7b1e-4a4e-9d7e-2b9d1c0a5e11", "routine": "full", "slot": "home",
    "started_at": STAMP, "ended_at": STAMP, "utc_offset_minutes": 0,
    "local_date": "2026-03-01", "planned_seconds": 60.0, "completed_seconds": 60.0,
    "completed": True, "steps_done": [], "options": {}, "source": "web",
}  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


def _played_ok(value: Any) -> bool:
    def seconds(x: Any) -> bool:
        return type(x) in (int, float) and math.isfinite(x) and x >= 0

    return value is None or (
        isinstance(value, list)
        and all(
            isinstance(p, list) and len(p) == 2 and seconds(p[0]) and seconds(p[1]) and p[0] <= p[1]
            for p in value
        )
    )


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(played=json_values, position=json_values)
def test_stored_played_stretches_are_checked_so_the_log_reads_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, played: Any, position: Any
) -> None:
    db = tmp_path / "played.sqlite3"
    db.unlink(missing_ok=True)
    doc = tmp_path / "played.json"
    row = {**SESSION, "played": played, "position_seconds": position}
    doc.write_text(
        json.dumps(
            {"format": "anklesleep-export", "schema_version": 1, "tables": {"sessions": [row]}}
        )
    )
    result = cli(capsys, db, "import", str(doc))
    position_ok = position is None or (
        type(position) in (int, float) and math.isfinite(position) and position >= 0
    )
    if _played_ok(played) and position_ok:
        assert result.code == 0, result
        for command in (["today"], ["history"], ["stats"]):
            assert cli(capsys, db, *command).code == 0
    else:
        assert result.code == 2, result
        assert "sessions row 1" in result.err


def test_an_upgrade_that_fails_makes_one_backup_however_many_tries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    from anklesleep.store import database

    path = tmp_path / "a.sqlite3"
    engine = database.create(f"sqlite:///{path}")
    database.migrate(engine)
    monkeypatch.setattr(database, "head_revision", lambda: "0099_next")
    monkeypatch.setattr(database, "HEAD_REVISION", "0099_next")

    def failing(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a migration that fails")

    monkeypatch.setattr(command, "upgrade", failing)
    stamps = iter(dt.datetime(2026, 3, 14, 8, minute, tzinfo=dt.UTC) for minute in range(9))
    for _try in range(3):
        with pytest.raises(RuntimeError):
            database.migrate(engine, now=lambda: next(stamps))
    engine.dispose()
    assert len(list(tmp_path.glob("a.sqlite3.*.bak"))) == 1
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO settings VALUES ('slots', '{}', '2026-03-14 08:00:00')")
    engine = database.create(f"sqlite:///{path}")
    with pytest.raises(RuntimeError):
        database.migrate(engine, now=lambda: next(stamps))
    engine.dispose()
    assert len(list(tmp_path.glob("a.sqlite3.*.bak"))) == 2  # a change since: a new copy


def test_a_sqlite_file_is_opened_in_wal_with_full_sync(tmp_path: Path) -> None:
    from anklesleep.store import open_database

    engine = open_database(tmp_path / "a.sqlite3")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        engine.dispose()


def test_an_import_with_more_rows_than_years_of_use_is_refused_while_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.store import export_files, transfer

    monkeypatch.setattr(transfer, "MAX_ROWS", 50)
    monkeypatch.setattr(export_files, "MAX_ROWS", 50)
    line = f"2026-03-01,knee,3,,{STAMP}\n"
    rows = tmp_path / "rows.zip"
    with zipfile.ZipFile(rows, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("symptom_entries.csv", "day,symptom,score,note,updated_at\n" + line * 51)
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(rows))
    assert result.code == 2
    assert "holds more than 50 rows" in result.err
    tiny = tmp_path / "tiny.json"
    tiny.write_text(export_doc(settings=[{}] * (export_files.OBJECTS_PER_ROW * 50 + 1)))
    result = cli(capsys, tmp_path / "a.sqlite3", "import", str(tiny))
    assert result.code == 2
    assert "tiny.json holds more than 50 rows" in result.err
