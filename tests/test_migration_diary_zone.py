"""Revision 0002_diary_zone: nights stored before it get the user's zone, nothing else changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from anklesleep.diary import entries as diary
from anklesleep.store import database
from anklesleep.store import diary as diary_store


def _old_database(path: Path, zone_setting: str | None) -> sa.Engine:
    engine = database.create(f"sqlite:///{path}")
    config = database._alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            sa.text(
                "INSERT INTO sleep_entries (night, into_bed, tried_to_sleep, sol_minutes, "
                "awakenings, waso_minutes, final_awakening, out_of_bed, quality, note, updated_at)"
                " VALUES ('2026-03-29', '23:00:00.000000', '23:15:00.000000', 15, 1, 20, "
                "'06:30:00.000000', '07:00:00.000000', 4, 'kept', '2026-03-29 08:00:00.000000')"
            )
        )
        if zone_setting:
            conn.execute(
                sa.text(
                    "INSERT INTO settings (key, value, updated_at) VALUES "
                    "('slots', :value, '2026-03-01 08:00:00.000000')"
                ),
                {"value": f'{{"timezone": "{zone_setting}"}}'},
            )
    return engine


def test_old_nights_get_the_users_zone_and_keep_their_answers(tmp_path: Path) -> None:
    engine = _old_database(tmp_path / "old.db", "Europe/London")
    database.migrate(engine)
    assert database.current_revision(engine) == database.HEAD_REVISION
    with engine.connect() as conn:
        night = diary_store.get_night(conn, dt.date(2026, 3, 29))
    assert night is not None
    assert (night.zone, night.fold, night.note) == ("Europe/London", None, "kept")
    assert (night.into_bed, night.out_of_bed) == (dt.time(23, 0), dt.time(7, 0))
    # Clocks forward that night in London: 23:00 GMT to 07:00 BST is 7 h in bed, not 8.
    assert diary.metrics(night).tib == 420


def test_without_a_saved_zone_the_machine_zone_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    engine = _old_database(tmp_path / "old.db", None)
    database.migrate(engine)
    with engine.connect() as conn:
        night = diary_store.get_night(conn, dt.date(2026, 3, 29))
    assert night is not None and night.zone == "America/New_York"
