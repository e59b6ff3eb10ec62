"""Slots: which slot a local time belongs to, around midnight and across DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.practice.records import new_record
from anklesleep.schedule.slots import (
    SLOTS,
    Slot,
    SlotSettings,
    check_slot_name,
    from_dict,
    infer_slot,
    parse_time,
    session_day,
)

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("clock", "slot"),
    [
        ("06:00", "morning"),
        ("07:00", "morning"),
        ("12:44", "morning"),
        ("12:46", "home"),
        ("18:30", "home"),
        ("20:14", "home"),
        ("20:16", "bedtime"),
        ("23:59", "bedtime"),
        ("00:00", "bedtime"),
        ("02:29", "bedtime"),
        ("02:31", "morning"),
    ],
)
def test_infer_slot_default_times(clock: str, slot: str) -> None:
    assert infer_slot(parse_time(clock)) == slot


def test_session_day_around_midnight() -> None:
    evening = dt.datetime(2026, 1, 10, 23, 50)
    after = dt.datetime(2026, 1, 11, 0, 10)
    morning = dt.datetime(2026, 1, 11, 6, 30)
    assert session_day(evening) == dt.date(2026, 1, 10)
    assert session_day(after) == dt.date(2026, 1, 10)  # still the evening before
    assert session_day(morning) == dt.date(2026, 1, 11)


def test_user_slot_times_move_the_windows() -> None:
    late = SlotSettings().with_slot(Slot("bedtime", dt.time(0, 30)))
    assert infer_slot(dt.time(23, 30), late) == "bedtime"
    # a bedtime after midnight: a session at 00:20 is on the day it happens
    assert session_day(dt.datetime(2026, 1, 11, 0, 20), late) == dt.date(2026, 1, 10)
    assert session_day(dt.datetime(2026, 1, 11, 0, 40), late) == dt.date(2026, 1, 11)


def test_spring_forward_in_london() -> None:
    # 29 March 2026: clocks go from 01:00 GMT to 02:00 BST
    before = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC).astimezone(LONDON)
    after = dt.datetime(2026, 3, 29, 1, 10, tzinfo=dt.UTC).astimezone(LONDON)
    a = new_record(routine="full", local_start=before, planned_seconds=1)
    b = new_record(routine="full", local_start=after, planned_seconds=1)
    assert (a.utc_offset_minutes, b.utc_offset_minutes) == (0, 60)
    assert before.strftime("%H:%M") == "00:30" and after.strftime("%H:%M") == "02:10"
    assert a.slot == "bedtime" and a.local_date == dt.date(2026, 3, 28)
    assert b.slot == "bedtime" and b.local_date == dt.date(2026, 3, 28)
    # a morning session that day is on local wall-clock time, not UTC
    wake = dt.datetime(2026, 3, 29, 6, 0, tzinfo=dt.UTC).astimezone(LONDON)  # 07:00 BST
    assert new_record(routine="full", local_start=wake, planned_seconds=1).slot == "morning"
    assert infer_slot(dt.datetime(2026, 3, 29, 6, 0).time()) == "morning"


def test_fall_back_in_london() -> None:
    # 25 October 2026: 01:00-02:00 happens twice (BST, then GMT)
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC).astimezone(LONDON)
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC).astimezone(LONDON)
    assert first.strftime("%H:%M") == second.strftime("%H:%M") == "01:30"
    a = new_record(routine="full", local_start=first, planned_seconds=1)
    b = new_record(routine="full", local_start=second, planned_seconds=1)
    assert (a.utc_offset_minutes, b.utc_offset_minutes) == (60, 0)
    assert a.slot == b.slot == "bedtime"
    assert a.local_date == b.local_date == dt.date(2026, 10, 24)
    assert b.started_at - a.started_at == dt.timedelta(hours=1)
    # the evening session on the day after the change: 22:00 local is 22:00 UTC now
    evening = dt.datetime(2026, 10, 25, 22, 0, tzinfo=dt.UTC).astimezone(LONDON)
    rec = new_record(routine="full", local_start=evening, planned_seconds=1)
    assert rec.slot == "bedtime" and rec.local_date == dt.date(2026, 10, 25)


@given(st.times())
def test_every_time_has_exactly_one_slot(moment: dt.time) -> None:
    assert infer_slot(moment) in SLOTS


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_session_day_is_today_or_yesterday(moment: dt.datetime) -> None:
    day = session_day(moment)
    assert day in (moment.date(), moment.date() - dt.timedelta(days=1))
    if day != moment.date():
        assert infer_slot(moment.time()) == "bedtime" and moment.hour < 12


def test_slot_names_and_times_are_checked() -> None:
    assert check_slot_name("home") == "home"
    with pytest.raises(AnkleSleepError, match="slot: got 'noon'"):
        check_slot_name("noon")
    with pytest.raises(AnkleSleepError, match="24-hour"):
        parse_time("7pm")
    settings = from_dict({"timezone": "Europe/London", "slots": {"bedtime": {"time": "23:15"}}})
    assert settings.slot("bedtime").time == dt.time(23, 15)
    assert settings.timezone == "Europe/London"
    assert from_dict(settings.to_dict()) == settings
