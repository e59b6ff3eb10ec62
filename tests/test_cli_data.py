"""`anklesleep export`, `import` and `backup`, as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from anklesleep.cli import localtime as local
from tests.cli_helpers import Result, run_cli

TODAY = dt.date(2026, 3, 14)
NOW = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # the user's zone, whatever this machine's
    monkeypatch.setattr(local, "utc_now", lambda: NOW)  # NOW is on TODAY in UTC


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Result:
    return run_cli(capsys, "--db", str(db), *args)


@pytest.fixture
def filled(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    db = tmp_path / "mine.sqlite3"
    for night, quality in (("2026-03-12", "3"), ("2026-03-13", "good")):
        result = cli(
            capsys, db, "sleep", "--night", night, "--into-bed", "23:00", "--tried", "23:20",
            "--sol", "15", "--awakenings", "1", "--waso", "10", "--final", "06:40",
            "--out", "07:00", "--quality", quality, "--note", 'a "quoted", multi\nline note',
        )  # fmt: skip
        assert result.code == 0, result.err
    assert cli(capsys, db, "symptoms", "--knee", "4", "--headache", "0").code == 0
    return db


@pytest.mark.parametrize("name", ["all.json", "all.zip", "folder"])
def test_export_then_import_into_a_new_database(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path, name: str
) -> None:
    target = tmp_path / name
    args = ["--format", "csv"] if name == "folder" else []
    exported = cli(capsys, filled, "export", *args, "-o", str(target))
    assert exported.code == 0, exported.err
    assert "2 nights, 2 symptom scores" in exported.out
    fresh = tmp_path / "fresh.sqlite3"
    first = cli(capsys, fresh, "import", str(target))
    assert first.code == 0, first.err
    assert "Imported 2 nights, 2 symptom scores." in first.out
    second = cli(capsys, fresh, "import", str(target))
    assert "Imported nothing." in second.out
    assert "Already here, unchanged: 2 nights, 2 symptom scores." in second.out
    assert (
        cli(capsys, fresh, "export", "-o", "-").out == cli(capsys, filled, "export", "-o", "-").out
    )


def test_export_to_stdout_is_versioned_json(
    capsys: pytest.CaptureFixture[str], filled: Path
) -> None:
    doc = json.loads(cli(capsys, filled, "export", "-o", "-").out)
    assert doc["format"] == "anklesleep-export" and doc["schema_version"] == 1
    assert set(doc["tables"]) == {
        "sessions",
        "sleep_entries",
        "symptom_entries",
        "settings",
        "experiments",
        "tracker_nights",
    }
    night = doc["tables"]["sleep_entries"][0]
    assert night["night"] == "2026-03-12" and night["into_bed"] == "23:00"
    assert "id" not in night


def test_export_refuses_to_overwrite_without_force(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    target = tmp_path / "x.json"
    assert cli(capsys, filled, "export", "-o", str(target)).code == 0
    again = cli(capsys, filled, "export", "-o", str(target))
    assert again.code == 2 and "already exists; choose a new name or pass --force" in again.err
    assert cli(capsys, filled, "export", "-o", str(target), "--force").code == 0
    csv_out = cli(capsys, filled, "export", "--format", "csv", "-o", "-")
    assert csv_out.code == 2 and "'-' prints JSON only" in csv_out.err


def test_import_is_all_or_nothing_with_row_numbers(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    doc = json.loads(cli(capsys, filled, "export", "-o", "-").out)
    doc["tables"]["sleep_entries"][1]["quality"] = 8
    doc["tables"]["symptom_entries"][0]["score"] = -2
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    fresh = tmp_path / "fresh.sqlite3"
    result = cli(capsys, fresh, "import", str(path))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "2 bad rows, nothing imported" in result.err
    assert "sleep_entries row 2: Sleep quality: “8” is not on the scale" in result.err
    assert "symptom_entries row 1: Headache: “-2” is not on the scale" in result.err
    empty = json.loads(cli(capsys, fresh, "export", "-o", "-").out)
    assert all(rows == [] for rows in empty["tables"].values())


def test_changed_rows_are_kept_unless_replace(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    doc = json.loads(cli(capsys, filled, "export", "-o", "-").out)
    doc["tables"]["sleep_entries"][0]["quality"] = 1
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    kept = cli(capsys, filled, "import", str(path))
    assert "kept as stored: 1 night (use --replace" in kept.out
    dry = cli(capsys, filled, "import", str(path), "--replace", "--dry-run", "--json")
    assert json.loads(dry.out)["replaced"] == {"sleep_entries": 1}
    night = ["sleep", "--night", "2026-03-12", "--show", "--json"]
    assert json.loads(cli(capsys, filled, *night).out)["night"]["quality"] == 3
    assert "Replaced 1 night" in cli(capsys, filled, "import", str(path), "--replace").out
    assert json.loads(cli(capsys, filled, *night).out)["night"]["quality"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json", "is not valid JSON (line 1, column 1"),
        ('{"format": "anklesleep-export", "schema_version": 7, "tables": {}}', "schema version 7"),
        ('{"hello": 1}', "is not an anklesleep export"),
    ],
)
def test_bad_files_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = cli(capsys, tmp_path / "db.sqlite3", "import", str(path))
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: import: ")
    assert message in result.err and result.err.count("\n") == 1


def test_wrong_csv_columns_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sleep_entries.csv"
    path.write_text("night,bed,quality\n2026-03-01,23:00,3\n")
    result = cli(capsys, tmp_path / "db.sqlite3", "import", str(path))
    assert result.code == 2 and "unknown column bed; missing columns into_bed" in result.err


def test_backup_restore_by_import_and_by_copy(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "backup.sqlite3"
    result = cli(capsys, filled, "backup", "-o", str(copy))
    assert result.code == 0, result.err
    assert "Backed up" in result.out
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM sleep_entries").fetchone() == (2,)
    assert cli(capsys, filled, "backup", "-o", str(copy)).code == 2
    # restore 1: import the backup into another database
    other = tmp_path / "other.sqlite3"
    assert "Imported 2 nights, 2 symptom scores." in cli(capsys, other, "import", str(copy)).out
    # restore 2: copy the file into place
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(copy, restored)
    assert (
        cli(capsys, restored, "export", "-o", "-").out
        == cli(capsys, filled, "export", "-o", "-").out
    )


def test_backup_default_location(
    capsys: pytest.CaptureFixture[str], filled: Path, isolated_home: Path
) -> None:
    result = cli(capsys, filled, "backup")
    assert result.code == 0, result.err
    made = list((isolated_home / "data" / "backups").glob("anklesleep-*.sqlite3"))
    assert len(made) == 1


def test_import_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = cli(capsys, tmp_path / "db.sqlite3", "import", str(tmp_path / "nope.json"))
    assert result.code == 2 and "nothing at" in result.err


def test_a_session_with_noted_interruptions_exports_and_imports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The web player notes interruptions in the session's options; an export of such a
    session must import again, and a damaged list must be refused naming the field."""
    import json

    from anklesleep.practice.records import Progress
    from anklesleep.services import sessions
    from anklesleep.store import open_database

    db = tmp_path / "mine.sqlite3"
    engine = open_database(db)
    record = sessions.start(
        engine, routine="quick", local_start=NOW, planned_seconds=80, source="web"
    )
    noted = Progress(played=((0.0, 20.0),), interruptions=((12.5, "stalled"),))
    sessions.progress(engine, record.uuid, noted, now=NOW)
    engine.dispose()
    target = tmp_path / "all.json"
    assert cli(capsys, db, "export", "-o", str(target)).code == 0
    fresh = tmp_path / "fresh.sqlite3"
    imported = cli(capsys, fresh, "import", str(target))
    assert imported.code == 0, imported.err
    assert cli(capsys, fresh, "export", "-o", "-").out == cli(capsys, db, "export", "-o", "-").out
    data = json.loads(target.read_text())
    data["tables"]["sessions"][0]["options"]["interruptions"] = [{"at": "soon", "kind": "x"}]
    target.write_text(json.dumps(data))
    refused = cli(capsys, tmp_path / "other.sqlite3", "import", str(target))
    assert refused.code == 2 and "interruptions" in refused.err
