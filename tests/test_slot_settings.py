"""Changing slot settings, the followed time zone, and "is this slot done today?"."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.practice.records import new_record
from anklesleep.schedule.slots import (
    SLOTS,
    SlotSettings,
    change,
    from_dict,
    with_system_timezone,
    with_timezone,
)
from anklesleep.store import slot_status
from anklesleep.store import slots as store
from tests.session_helpers import store_session

NOW = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def test_change_checks_every_value_before_changing() -> None:
    base = SlotSettings()
    changed = change(base, "home", time="17:45", enabled=False, routine="quick")
    home = changed.slot("home")
    assert (home.time, home.enabled, home.routine) == (dt.time(17, 45), False, "quick")
    assert changed.slot("bedtime") == base.slot("bedtime")
    with pytest.raises(AnkleSleepError, match="slot: got 'noon'"):
        change(base, "noon", enabled=False)
    with pytest.raises(AnkleSleepError, match="time: got '7'"):
        change(base, "morning", time="7")
    with pytest.raises(AnkleSleepError, match="routine: got 'yoga'; use one of full, quick"):
        change(base, "morning", routine="yoga", known_routines={"full", "quick"})
    assert change(base, "morning", time=dt.time(6, 15)).slot("morning").time == dt.time(6, 15)


def test_zone_choice_and_following_the_computer() -> None:
    chosen = with_timezone(SlotSettings(timezone_auto=True), "europe/london")
    assert (chosen.timezone, chosen.timezone_auto) == ("Europe/London", False)
    following = with_system_timezone(chosen, "Asia/Tokyo")
    assert (following.timezone, following.timezone_auto) == ("Asia/Tokyo", True)
    with pytest.raises(AnkleSleepError, match="timezone: got 'Nowhere'"):
        with_timezone(chosen, "Nowhere")
    assert from_dict(None).timezone_auto
    assert from_dict({"slots": {}}).timezone_auto
    assert not from_dict({"timezone": "Europe/Paris"}).timezone_auto


@given(
    times=st.lists(
        st.times().map(lambda t: t.replace(second=0, microsecond=0)), min_size=3, max_size=3
    ),
    enabled=st.lists(st.booleans(), min_size=3, max_size=3),
    zone=st.sampled_from(["UTC", "Europe/London", "America/New_York"]),
    auto=st.booleans(),
)
def test_settings_round_trip(
    times: list[dt.time], enabled: list[bool], zone: str, auto: bool
) -> None:
    value = replace(SlotSettings(timezone=zone), timezone_auto=auto)
    for name, time, on in zip(SLOTS, times, enabled, strict=True):
        value = change(value, name, time=time, enabled=on)
    assert from_dict(value.to_dict()) == value


def test_store_follows_the_computer_until_a_zone_is_chosen(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    with engine.begin() as conn:
        assert store.load(conn).timezone == "Europe/Berlin"
        assert store.load(conn, default_timezone="Asia/Tokyo").timezone == "Asia/Tokyo"
        store.save(conn, change(store.load(conn), "home", enabled=False), NOW)
    monkeypatch.setenv("TZ", "America/Chicago")
    with engine.begin() as conn:
        loaded = store.load(conn)
        assert (loaded.timezone, loaded.slot("home").enabled) == ("America/Chicago", False)
        store.save(conn, with_timezone(loaded, "Europe/Rome"), NOW)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    with engine.connect() as conn:
        assert store.load(conn).timezone == "Europe/Rome"


def test_slot_status_counts_only_completed_sessions(engine: Engine) -> None:
    zone = dt.timezone(dt.timedelta(hours=-4))

    def session(hour: int, minute: int, completed: bool) -> None:
        record = new_record(
            routine="full",
            local_start=dt.datetime(2026, 5, 4, hour, minute, tzinfo=zone),
            planned_seconds=600.0,
        )
        store_session(engine, replace(record, completed=completed))

    session(7, 5, completed=True)
    session(18, 40, completed=False)  # stopped early: the reminder should still come
    check = slot_status.done_checker(engine)
    day = dt.date(2026, 5, 4)
    assert check("morning", day)
    assert not check("home", day)
    assert not check("bedtime", day)
    assert not check("morning", day + dt.timedelta(days=1))


def test_slot_status_errors_count_as_not_done(engine: Engine) -> None:
    check = slot_status.done_checker(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE sessions")
    assert check("morning", dt.date(2026, 5, 4)) is False
