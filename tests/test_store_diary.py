"""The diary repository, on SQLite and PostgreSQL (through the `engine` fixture)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select

from anklesleep.diary.entries import SleepEntry, SymptomEntry
from anklesleep.store import diary as repo
from anklesleep.store.tables import sleep_entries

NOW = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)


def night(day: int, **changes: object) -> SleepEntry:
    values: dict[str, object] = {
        "night": dt.date(2026, 3, day),
        "into_bed": dt.time(23, 10),
        "tried_to_sleep": dt.time(23, 30),
        "sol_minutes": 20,
        "awakenings": 2,
        "waso_minutes": 35,
        "final_awakening": dt.time(6, 50),
        "out_of_bed": dt.time(7, 5),
        "quality": 4,
        "note": "late tea; 'quotes' and ünïcode",
    }
    values.update(changes)
    return SleepEntry(**values)  # type: ignore[arg-type]


def test_night_round_trip_and_replace(engine: Engine) -> None:
    with engine.begin() as conn:
        assert repo.save_night(conn, night(12), NOW) is False
    with engine.connect() as conn:
        assert repo.get_night(conn, dt.date(2026, 3, 12)) == night(12)
    with engine.begin() as conn:
        assert repo.save_night(conn, night(12, quality=2, note=""), NOW) is True
    with engine.connect() as conn:
        assert repo.get_night(conn, dt.date(2026, 3, 12)) == night(12, quality=2, note="")
        assert conn.execute(select(func.count()).select_from(sleep_entries)).scalar() == 1
        updated = conn.execute(select(sleep_entries.c.updated_at)).scalar_one()
        assert updated == NOW


def test_list_previous_and_delete(engine: Engine) -> None:
    with engine.begin() as conn:
        for day in (10, 12, 11):
            repo.save_night(conn, night(day), NOW)
    with engine.begin() as conn:
        assert [n.night.day for n in repo.list_nights(conn)] == [10, 11, 12]
        assert [n.night.day for n in repo.list_nights(conn, dt.date(2026, 3, 11))] == [11, 12]
        assert [n.night.day for n in repo.list_nights(conn, end=dt.date(2026, 3, 10))] == [10]
        previous = repo.previous_night(conn, dt.date(2026, 3, 12))
        assert previous is not None and previous.night == dt.date(2026, 3, 11)
        assert repo.previous_night(conn, dt.date(2026, 3, 10)) is None
        assert repo.delete_night(conn, dt.date(2026, 3, 11)) is True
        assert repo.delete_night(conn, dt.date(2026, 3, 11)) is False
        assert repo.get_night(conn, dt.date(2026, 3, 11)) is None


def test_symptoms_one_value_per_complaint_per_day(engine: Engine) -> None:
    day = dt.date(2026, 3, 12)
    with engine.begin() as conn:
        repo.save_symptoms(
            conn, [SymptomEntry(day, "knee", 3), SymptomEntry(day, "headache", 0, "none")], NOW
        )
        repo.save_symptoms(conn, [SymptomEntry(day, "knee", 6, "stairs")], NOW)
        repo.save_symptoms(conn, [SymptomEntry(day - dt.timedelta(days=1), "fatigue", 8)], NOW)
    with engine.begin() as conn:
        today = repo.get_symptoms(conn, day)
        assert today == {
            "knee": SymptomEntry(day, "knee", 6, "stairs"),
            "headache": SymptomEntry(day, "headache", 0, "none"),
        }
        assert [(e.day.day, e.symptom) for e in repo.list_symptoms(conn)] == [
            (11, "fatigue"),
            (12, "headache"),
            (12, "knee"),
        ]
        assert set(repo.latest_symptoms(conn, day + dt.timedelta(days=1))) == {
            "knee",
            "headache",
            "fatigue",
        }
        assert list(repo.latest_symptoms(conn, day)) == ["fatigue"]
        assert repo.delete_symptom(conn, day, "knee") is True
        assert "knee" not in repo.get_symptoms(conn, day)


def test_failed_transaction_writes_nothing(engine: Engine) -> None:
    try:
        with engine.begin() as conn:
            repo.save_night(conn, night(12), NOW)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert repo.list_nights(conn) == []
