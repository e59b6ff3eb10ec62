"""Export and import: lossless round trips, idempotence, all-or-nothing, clear file errors."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.diary.entries import SYMPTOM_KEYS, SleepEntry, SymptomEntry
from anklesleep.store import column_text as rowcodec
from anklesleep.store import create, migrate, transfer
from anklesleep.store import diary as repo
from anklesleep.store import export_files as exportfiles
from anklesleep.store import settings as settings_store
from anklesleep.store.tables import metadata
from tests.session_helpers import store_session, stored_sessions
from tests.test_diary import valid_nights

TODAY = dt.date(2026, 3, 14)
NOW = dt.datetime(2026, 3, 14, 8, 0, tzinfo=dt.UTC)

# --- strategies for every table, as encoded (exported) rows -----------------------------------

texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
instants = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY)
finite = st.floats(allow_nan=False, allow_infinity=False)
non_negative = st.floats(min_value=0, allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | finite | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def enc(value: Any) -> Any:
    return rowcodec.encode_value("datetime" if isinstance(value, dt.datetime) else "date", value)


#: session options as the app stores them (any valid subset of the option values)
session_options = st.fixed_dictionaries(
    {},
    optional={
        "tempo": st.sampled_from([0.8, 1.0, 1.5]),
        "first_foot": st.sampled_from(["left", "right"]),
        "hold": st.sampled_from([None, 3, 5.5]),
        "voice": st.booleans(),
    },
)
#: settings as the app stores them: each known key with a value its rules accept
setting_values = {
    "slots": st.sampled_from(
        [
            {"timezone": "Europe/Paris"},
            {
                "timezone": "UTC",
                "timezone_auto": False,
                "slots": {"home": {"time": "19:15", "enabled": False, "routine": "quick"}},
            },
        ]
    ),
    "preferences": st.sampled_from(
        [{"options": {"tempo": 1.2}, "theme": "dark"}, {"theme": "light"}]
    ),
    "safety_acknowledged_at": instants.map(lambda i: i.isoformat()),
    "calendar_exported_at": st.none() | instants.map(lambda i: i.isoformat()),
    "calendar_revisions": st.dictionaries(
        st.sampled_from(["morning", "home", "bedtime"]),
        st.fixed_dictionaries({"sequence": st.integers(0, 9), "fingerprint": texts}),
    ),
}


@st.composite
def session_rows(draw: st.DrawFn, uuid: str) -> dict[str, Any]:
    ended = draw(st.none() | instants)
    return {
        "uuid": uuid,
        "routine": draw(st.text(max_size=40).filter(lambda s: "\x00" not in s)),
        "slot": draw(st.sampled_from(["morning", "home", "bedtime"])),
        "started_at": enc(draw(instants)),
        "ended_at": None if ended is None else enc(ended),
        "utc_offset_minutes": draw(st.integers(-720, 840)),
        "local_date": enc(draw(dates)),
        "planned_seconds": draw(non_negative),
        "completed_seconds": draw(non_negative),
        "completed": draw(st.booleans()),
        "steps_done": draw(st.lists(texts, max_size=4)),
        "options": draw(session_options),
        "source": draw(st.sampled_from(["terminal", "web", "import"])),
    }


@st.composite
def blocks(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(dates)
    return {
        "number": draw(st.integers(1, 50)),
        "pair": draw(st.integers(1, 25)),
        "condition": draw(st.sampled_from(["baseline", "routine", "usual"])),
        "start": start.isoformat(),
        "end": (start + dt.timedelta(days=draw(st.integers(0, 27)))).isoformat(),
    }


@st.composite
def experiment_rows(draw: st.DrawFn, uuid: str) -> dict[str, Any]:
    ended = draw(st.none() | instants)
    return {
        "uuid": uuid,
        "created_at": enc(draw(instants)),
        "status": draw(st.sampled_from(["active", "stopped", "finished"])),
        "outcome": draw(st.sampled_from(["se", "tst", "sol", "quality"])),
        "seed": draw(st.integers(0, 2**31 - 1)),
        "design": {
            **draw(st.dictionaries(texts, json_values, max_size=2)),
            "weeks": draw(st.integers(1, 52)),
            "block_days": draw(st.integers(1, 28)),
        },
        "schedule": draw(st.lists(blocks(), min_size=1, max_size=3)),
        "start_date": enc(draw(dates)),
        "ended_at": None if ended is None else enc(ended),
    }


@st.composite
def tracker_rows(draw: st.DrawFn, record_id: str) -> dict[str, Any]:
    start = draw(instants)
    minutes = draw(st.integers(1, 24 * 60))
    optional = st.none() | st.integers(0, 24 * 60)
    stages = st.none() | st.dictionaries(
        st.sampled_from(["deep", "light", "rem", "awake"]), st.integers(0, 600), min_size=1
    )
    return {
        "source": draw(st.sampled_from(["sleep-as-android", "fitbit", "apple-health"])),
        "record_id": record_id,
        "device": draw(st.text(max_size=20).filter(lambda s: "\x00" not in s)),
        "start_at": enc(start),
        "start_offset_minutes": draw(st.integers(-720, 840)),
        "end_at": enc(start + dt.timedelta(minutes=minutes, seconds=draw(st.integers(0, 59)))),
        "end_offset_minutes": draw(st.integers(-720, 840)),
        "night": enc(draw(dates)),
        "in_bed_minutes": minutes,
        "asleep_minutes": draw(optional),
        "awake_minutes": draw(optional),
        "stages": draw(stages),
        "nap": draw(st.booleans()),
        "imported_at": enc(draw(instants)),
    }


def night_row(entry: SleepEntry, updated: dt.datetime) -> dict[str, Any]:
    row = {k: getattr(entry, k) for k in entry.__dataclass_fields__}
    return rowcodec.encode_row("sleep_entries", {**row, "updated_at": updated})


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    uuids = draw(st.lists(st.uuids().map(str), max_size=3, unique=True))
    sessions = [draw(session_rows(u)) for u in uuids]
    nights = draw(st.lists(valid_nights(), max_size=4, unique_by=lambda e: e.night))
    symptoms = draw(
        st.lists(
            st.tuples(dates, st.sampled_from(SYMPTOM_KEYS), st.integers(0, 10), texts, instants),
            max_size=5,
            unique_by=lambda t: (t[0], t[1]),
        )
    )
    keys = draw(st.lists(st.sampled_from(sorted(setting_values)), max_size=3, unique=True))
    exp_uuids = draw(st.lists(st.uuids().map(str), max_size=2, unique=True))
    return {
        "sessions": sessions,
        "sleep_entries": [night_row(n, draw(instants)) for n in nights],
        "symptom_entries": [
            {"day": enc(d), "symptom": s, "score": n, "note": note, "updated_at": enc(at)}
            for d, s, n, note, at in symptoms
        ],
        "settings": [
            {"key": k, "value": draw(setting_values[k]), "updated_at": enc(draw(instants))}
            for k in keys
        ],
        "experiments": [draw(experiment_rows(u)) for u in exp_uuids],
        "tracker_nights": [
            draw(tracker_rows(r))
            for r in draw(st.lists(st.text("0123456789", min_size=1), max_size=3, unique=True))
        ],
    }


@contextmanager
def fresh(url: str = "sqlite://") -> Iterator[Engine]:
    engine = create(url)
    migrate(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def export(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return transfer.collect(conn)


def load(engine: Engine, incoming: transfer.Incoming, **kwargs: Any) -> transfer.ImportReport:
    with engine.begin() as conn:
        return transfer.import_rows(conn, incoming, TODAY, NOW, **kwargs)


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one()
        )


# --- lossless ---------------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_export_import_export_is_identical_json_and_csv(
    data: dict[str, list[dict[str, Any]]],
) -> None:
    with fresh() as first:
        load(first, transfer.incoming_from_tables(data))
        exported = export(first)
        text = transfer.to_json(exported, NOW)
    with fresh() as second:
        load(second, exportfiles.parse_json(text, "export.json"))
        assert transfer.to_json(export(second), NOW) == text
    incoming = transfer.Incoming()
    for name, rows in exported.items():
        body = exportfiles.csv_text(name, rows).encode("utf-8")
        exportfiles.parse_csv(name, body, f"{name}.csv", incoming)
    with fresh() as third:
        load(third, incoming)
        assert transfer.to_json(export(third), NOW) == text


@pytest.mark.slow
@pytest.mark.postgres
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=datasets())
def test_lossless_across_sqlite_and_postgresql(
    postgres_server: Any, data: dict[str, list[dict[str, Any]]]
) -> None:
    from tests.conftest import fresh_postgres_schema, require_postgres

    server = require_postgres(postgres_server)
    with fresh() as lite:
        load(lite, transfer.incoming_from_tables(data))
        text = transfer.to_json(export(lite), NOW)
    with fresh_postgres_schema(server) as url, fresh(url) as pg:
        load(pg, exportfiles.parse_json(text, "export.json"))
        assert transfer.to_json(export(pg), NOW) == text


# --- idempotent, all-or-nothing, conflicts ----------------------------------------------------


def sample_night(day: int = 12, **changes: Any) -> SleepEntry:
    values: dict[str, Any] = {
        "night": dt.date(2026, 3, day),
        "into_bed": dt.time(23, 0),
        "tried_to_sleep": dt.time(23, 15),
        "sol_minutes": 15,
        "awakenings": 1,
        "waso_minutes": 10,
        "final_awakening": dt.time(6, 45),
        "out_of_bed": dt.time(7, 0),
        "quality": 4,
        "note": "slept, then\nwoke once",
    }
    values.update(changes)
    return SleepEntry(**values)


def seed(engine: Engine) -> None:
    with engine.begin() as conn:
        repo.save_night(conn, sample_night(11), NOW)
        repo.save_night(conn, sample_night(12), NOW)
        repo.save_symptoms(conn, [SymptomEntry(dt.date(2026, 3, 12), "knee", 4, "stairs")], NOW)
        settings_store.put(conn, "slots", {"timezone": "Europe/Paris"}, NOW)


def test_importing_twice_adds_nothing(engine: Engine) -> None:
    seed(engine)
    text = transfer.to_json(export(engine), NOW)
    with fresh() as other:
        report = load(other, exportfiles.parse_json(text, "x.json"))
        assert report.added == {"sleep_entries": 2, "symptom_entries": 1, "settings": 1}
        again = load(other, exportfiles.parse_json(text, "x.json"))
        assert again.total_added == 0
        assert again.unchanged == {"sleep_entries": 2, "symptom_entries": 1, "settings": 1}
        assert count(other, "sleep_entries") == 2
    # importing into the database it came from is a no-op too
    assert load(engine, exportfiles.parse_json(text, "x.json")).total_added == 0


def test_a_bad_row_imports_nothing_and_names_every_problem(engine: Engine) -> None:
    data = {
        "sleep_entries": [
            night_row(sample_night(10), NOW),
            {**night_row(sample_night(11), NOW), "quality": 9},
            night_row(sample_night(12), NOW),
            {**night_row(sample_night(13), NOW), "sol_minutes": "ten", "extra": 1},
        ],
        "symptom_entries": [{"day": "2026-03-12", "symptom": "elbow", "score": 3, "note": ""}],
    }
    with pytest.raises(AnkleSleepError) as info:
        load(engine, transfer.incoming_from_tables(data))
    message = info.value.message
    assert message.startswith("import: 3 bad rows, nothing imported")
    assert "sleep_entries row 2: Sleep quality: “9” is not on the scale" in message
    assert (
        "sleep_entries row 4: extra: unknown column; sol_minutes: 'ten' is not a whole number"
        in message
    )
    assert "symptom_entries row 1: symptom: got 'elbow'" in message
    assert "\n" not in message
    assert count(engine, "sleep_entries") == 0


def test_broken_text_in_a_file_is_a_row_error_not_a_crash(engine: Engine) -> None:
    doc = '{"format": "anklesleep-export", "schema_version": 1, "tables": {"settings": ['
    doc += '{"key": "a\\udc39", "value": 1}, {"key": "b", "value": ["\\ud800"]}]}}'
    with pytest.raises(AnkleSleepError) as info:
        load(engine, exportfiles.parse_json(doc, "x.json"))
    assert "settings row 1: key: has a broken character at position 2" in info.value.message
    assert "settings row 2: value: has a broken character" in info.value.message


def test_sessions_and_experiments_must_be_readable_by_the_app(engine: Engine) -> None:
    session = {
        "uuid": "s1", "routine": "full", "slot": "noon", "started_at": "2026-03-01T07:00:00+00:00",
        "utc_offset_minutes": 60, "local_date": "2026-03-01", "planned_seconds": 600.0,
        "steps_done": [], "options": {}, "source": "terminal",
    }  # fmt: skip
    experiment = {
        "uuid": "e1", "created_at": "2026-03-01T07:00:00+00:00", "status": "active",
        "outcome": "se", "seed": 1, "design": {"weeks": 4, "block_days": 7},
        "schedule": [{"number": 1, "pair": 1, "condition": "sometimes", "start": "2026-03-01",
                      "end": "2026-03-07"}],
        "start_date": "2026-03-01",
    }  # fmt: skip
    with pytest.raises(AnkleSleepError) as info:
        load(
            engine,
            transfer.incoming_from_tables({"sessions": [session], "experiments": [experiment]}),
        )
    assert "sessions row 1: slot: got 'noon'" in info.value.message
    assert (
        "experiments row 1: schedule block 1: schedule.condition: got 'sometimes'"
        in info.value.message
    )


def test_duplicate_keys_in_one_file_are_refused(engine: Engine) -> None:
    row = night_row(sample_night(10), NOW)
    with pytest.raises(
        AnkleSleepError, match=r"row 2: same night \(2026-03-10\) as sleep_entries row 1"
    ):
        load(engine, transfer.incoming_from_tables({"sleep_entries": [row, row]}))


def test_a_future_night_in_a_file_is_refused(engine: Engine) -> None:
    row = night_row(sample_night(20), NOW)
    with pytest.raises(AnkleSleepError, match="after today"):
        load(engine, transfer.incoming_from_tables({"sleep_entries": [row]}))


def test_different_rows_are_kept_unless_replace_is_asked(engine: Engine) -> None:
    seed(engine)
    changed = night_row(sample_night(12, quality=1), NOW)
    incoming = transfer.incoming_from_tables({"sleep_entries": [changed]})
    report = load(engine, incoming)
    assert report.kept == {"sleep_entries": 1}
    with engine.connect() as conn:
        assert repo.get_night(conn, dt.date(2026, 3, 12)) == sample_night(12)
    dry = load(engine, incoming, conflict="replace", dry_run=True)
    assert dry.replaced == {"sleep_entries": 1} and dry.dry_run
    with engine.connect() as conn:
        assert repo.get_night(conn, dt.date(2026, 3, 12)) == sample_night(12)
    load(engine, incoming, conflict="replace")
    with engine.connect() as conn:
        assert repo.get_night(conn, dt.date(2026, 3, 12)) == sample_night(12, quality=1)


def test_a_hand_made_csv_with_only_the_diary_columns_imports(
    tmp_path: Path, engine: Engine
) -> None:
    path = tmp_path / "sleep_entries.csv"
    path.write_text(
        "\ufeffnight,into_bed,tried_to_sleep,sol_minutes,awakenings,waso_minutes,"
        "final_awakening,out_of_bed,quality\n"
        "2026-03-10,23:30,23:45,20,0,0,07:00,07:10,3\n",
        encoding="utf-8",
    )
    report = load(engine, exportfiles.read_import(path))
    assert report.added == {"sleep_entries": 1}
    with engine.connect() as conn:
        night = repo.get_night(conn, dt.date(2026, 3, 10))
    assert night is not None and night.note == "" and night.into_bed == dt.time(23, 30)


# --- files ------------------------------------------------------------------------------------


def test_write_and_read_every_format(tmp_path: Path, engine: Engine) -> None:
    seed(engine)
    tables = export(engine)
    text = transfer.to_json(tables, NOW)
    for name, fmt in (("all.json", "json"), ("all.zip", "csv"), ("folder", "csv")):
        target = exportfiles.write_export(tmp_path / name, tables, fmt, NOW)  # type: ignore[arg-type]
        with fresh() as other:
            load(other, exportfiles.read_import(target))
            assert transfer.to_json(export(other), NOW) == text
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == [
        "experiments.csv",
        "manifest.json",
        "sessions.csv",
        "settings.csv",
        "sleep_entries.csv",
        "symptom_entries.csv",
        "tracker_nights.csv",
    ]
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["schema_version"] == transfer.SCHEMA_VERSION
    assert manifest["tables"]["sleep_entries"] == 2
    with pytest.raises(AnkleSleepError, match="already exists; choose a new name or pass --force"):
        exportfiles.write_export(tmp_path / "all.json", tables, "json", NOW)
    exportfiles.write_export(tmp_path / "folder", {}, "csv", NOW, force=True)
    assert (tmp_path / "folder" / "sleep_entries.csv").read_text().count("\n") == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not json at all", "is not valid JSON (line 1, column 1"),
        (b"[1, 2]", "is not an anklesleep export"),
        (b'{"format": "other", "schema_version": 1}', "is not an anklesleep export"),
        (
            b'{"format": "anklesleep-export", "schema_version": 99, "tables": {}}',
            "has schema version 99, newer than the 1",
        ),
        (
            b'{"format": "anklesleep-export", "schema_version": 1, "tables": {"naps": []}}',
            "unknown table 'naps'",
        ),
        (
            b'{"format": "anklesleep-export", "schema_version": 1, "tables": {"settings": [3]}}',
            "settings row 1 is not an object",
        ),
        (b"\xff\xfe\x00garbage", "is not an anklesleep export (not JSON, CSV, zip or a backup)"),
    ],
)
def test_bad_files_fail_with_one_line(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(AnkleSleepError) as info:
        exportfiles.read_import(path)
    assert fragment in info.value.message
    assert info.value.message.startswith("import: ")
    assert "\n" not in info.value.message


def test_csv_with_wrong_columns_names_them(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "sleep_entries.csv").write_text("night,bedtime,quality\n2026-03-01,23:00,3\n")
    with pytest.raises(AnkleSleepError) as info:
        exportfiles.read_import(folder)
    message = info.value.message
    assert "sleep_entries.csv: unknown column bedtime; missing columns into_bed," in message
    (folder / "sleep_entries.csv").unlink()
    (folder / "naps.csv").write_text("a\n")
    with pytest.raises(AnkleSleepError, match=r"has naps\.csv, which anklesleep does not know"):
        exportfiles.read_import(folder)
    with pytest.raises(AnkleSleepError, match="nothing at"):
        exportfiles.read_import(tmp_path / "missing.json")


def test_csv_rows_report_their_line_numbers(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "symptom_entries.csv"
    path.write_text(
        'day,symptom,score,note\n2026-03-01,knee,3,"two\nlines"\n2026-03-02,knee,12,\n'
        "2026-03-03,knee\n"
    )
    with pytest.raises(AnkleSleepError) as info:
        load(engine, exportfiles.read_import(path))
    assert (
        "symptom_entries.csv line 4: Knee ache that keeps coming back: “12” is not on the scale"
        in info.value.message
    )
    assert (
        "symptom_entries.csv line 5: has 2 cells for 4 columns; score: missing"
        in info.value.message
    )


def test_sqlite_backup_imports(tmp_path: Path) -> None:
    from anklesleep.store.backup import backup

    source = tmp_path / "live.sqlite3"
    with fresh(f"sqlite:///{source}") as live:
        seed(live)
        result = backup(live, tmp_path / "copy.sqlite3")
        assert result.size_bytes > 0
        with pytest.raises(AnkleSleepError, match="already exists"):
            backup(live, tmp_path / "copy.sqlite3")
    before = (tmp_path / "copy.sqlite3").read_bytes()
    with fresh() as other:
        report = load(other, exportfiles.read_import(tmp_path / "copy.sqlite3"))
        assert report.added["sleep_entries"] == 2
    assert (tmp_path / "copy.sqlite3").read_bytes() == before  # read, never migrated in place


def test_backup_refuses_memory_and_postgres() -> None:
    from anklesleep.store.backup import backup

    with fresh() as memory, pytest.raises(AnkleSleepError, match="lives in memory"):
        backup(memory, Path("x.sqlite3"))


def test_real_sessions_and_experiments_survive_a_round_trip(engine: Engine) -> None:
    from anklesleep.experiment import design as exp
    from anklesleep.practice.records import new_record
    from anklesleep.store import experiments as experiments_store

    zone = dt.timezone(dt.timedelta(hours=9))
    record = new_record(
        routine="full",
        local_start=dt.datetime(2026, 3, 13, 22, 5, 30, 123456, tzinfo=zone),
        planned_seconds=612.25,
        options={"tempo": 1.1, "first_foot": "right"},
    )
    store_session(engine, record, steps_done=["T1", "T2"], completed_seconds=95.5)
    design = exp.design(weeks=4, block_days=7, outcome="se", seed=12345)
    planned = exp.new_experiment(
        design, dt.date(2026, 3, 2), today=dt.date(2026, 3, 1), uuid="e-1", created_at=NOW
    )
    with engine.begin() as conn:
        experiments_store.save(conn, planned)
    text = transfer.to_json(export(engine), NOW)
    with fresh() as other:
        report = load(other, exportfiles.parse_json(text, "x.json"))
        assert report.added == {"sessions": 1, "experiments": 1}
        assert transfer.to_json(export(other), NOW) == text
        assert stored_sessions(other) == stored_sessions(engine)
        with other.connect() as conn:
            assert experiments_store.get(conn, "e-1") == planned


def test_an_import_never_rewrites_a_saved_experiment_plan(engine: Engine) -> None:
    """Issue 22: the plan is fixed before the first night; `import --replace` may bring a later
    status (a stop made elsewhere) but never another outcome, seed, design or schedule."""
    from anklesleep.experiment import design as experiment
    from anklesleep.store import experiments as experiment_store

    e = experiment.new_experiment(
        experiment.design(seed=5),
        dt.date(2026, 3, 2),
        today=dt.date(2026, 3, 2),
        uuid="plan-1",
        created_at=dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC),
    )
    with engine.begin() as conn:
        experiment_store.save(conn, e)
        row = transfer.collect(conn)["experiments"][0]
    edited = {**row, "outcome": "sol", "seed": 6}
    report = load(
        engine, transfer.incoming_from_tables({"experiments": [edited]}), conflict="replace"
    )
    assert report.fixed == {"experiments": 1} and not report.replaced
    with engine.connect() as conn:
        kept = experiment_store.get(conn, "plan-1")
    assert kept is not None and kept.outcome == "quality" and kept.design.seed == 5
    stopped = {**row, "status": "stopped", "ended_at": "2026-03-10T08:00:00+00:00"}
    report = load(
        engine, transfer.incoming_from_tables({"experiments": [stopped]}), conflict="replace"
    )
    assert report.replaced == {"experiments": 1} and not report.fixed
    with engine.connect() as conn:
        now_stopped = experiment_store.get(conn, "plan-1")
    assert now_stopped is not None and now_stopped.status == "stopped"
    assert now_stopped.design == e.design and now_stopped.blocks == e.blocks
