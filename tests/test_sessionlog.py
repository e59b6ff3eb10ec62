"""Session records as values: slots, days, each day's status and streaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.practice.records import (
    SessionRecord,
    current_streak,
    day_status,
    longest_streak,
    new_record,
)
from anklesleep.schedule.slots import SlotName

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2026, 5, 12)


def record(day: dt.date, slot: SlotName = "bedtime", completed: bool = True) -> SessionRecord:
    start = dt.datetime.combine(day, dt.time(21, 0), tzinfo=dt.UTC)
    return SessionRecord(
        uuid=f"{day}-{slot}-{completed}",
        routine="full",
        slot=slot,
        started_at=start,
        utc_offset_minutes=0,
        local_date=day,
        planned_seconds=600,
        completed=completed,
        completed_seconds=600 if completed else 100,
    )


def test_new_record_infers_slot_day_and_offset() -> None:
    local = dt.datetime(2026, 7, 1, 7, 20, tzinfo=LONDON)
    rec = new_record(routine="full", local_start=local, planned_seconds=612.5)
    assert rec.slot == "morning"
    assert rec.local_date == dt.date(2026, 7, 1)
    assert rec.utc_offset_minutes == 60
    assert rec.started_at == dt.datetime(2026, 7, 1, 6, 20, tzinfo=dt.UTC)
    assert rec.local_start.hour == 7
    assert not rec.completed and rec.steps_done == () and rec.ended_at is None
    assert len(rec.uuid) == 36


def test_a_bedtime_session_after_midnight_counts_for_the_evening_before() -> None:
    local = dt.datetime(2026, 7, 2, 0, 40, tzinfo=LONDON)
    rec = new_record(routine="full", local_start=local, planned_seconds=600)
    assert rec.slot == "bedtime"
    assert rec.local_date == dt.date(2026, 7, 1)


def test_an_explicit_slot_wins() -> None:
    local = dt.datetime(2026, 7, 1, 12, 0, tzinfo=LONDON)
    assert new_record(routine="full", local_start=local, planned_seconds=1).slot == "morning"
    rec = new_record(routine="full", local_start=local, planned_seconds=1, slot="home")
    assert rec.slot == "home"
    assert rec.local_date == dt.date(2026, 7, 1)
    late = dt.datetime(2026, 7, 2, 2, 0, tzinfo=LONDON)
    rec = new_record(routine="full", local_start=late, planned_seconds=1, slot="bedtime")
    assert rec.local_date == dt.date(2026, 7, 1)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        new_record(routine="full", local_start=dt.datetime(2026, 1, 1, 7), planned_seconds=1)
    with pytest.raises(AnkleSleepError, match="source"):
        SessionRecord(
            uuid="x",
            routine="full",
            slot="home",
            started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            utc_offset_minutes=0,
            local_date=DAY,
            planned_seconds=1,
            source="fax",  # type: ignore[arg-type]
        )


def test_to_dict() -> None:
    end = dt.datetime(2026, 5, 12, 21, 11, tzinfo=dt.UTC)
    done = replace(
        record(DAY, completed=False),
        ended_at=end,
        completed=True,
        completed_seconds=660.0,
        steps_done=("T1:left",),
    )
    data = done.to_dict()
    assert data["completed"] is True
    assert data["steps_done"] == ["T1:left"]
    assert data["ended_at"] == end.isoformat()
    assert data["local_date"] == "2026-05-12"


def test_day_status() -> None:
    records = [
        record(DAY, "morning", completed=True),
        record(DAY, "home", completed=False),
        record(DAY - dt.timedelta(days=1), "bedtime", completed=True),
    ]
    assert day_status(records, DAY) == {"morning": "done", "home": "partial", "bedtime": "not yet"}
    # a completed session after a partial one makes the slot done, in any order
    both = [record(DAY, "home", completed=False), record(DAY, "home", completed=True)]
    assert day_status(both, DAY)["home"] == "done"
    assert day_status(list(reversed(both)), DAY)["home"] == "done"
    assert day_status([], DAY) == dict.fromkeys(("morning", "home", "bedtime"), "not yet")


def test_current_streak_is_not_broken_before_the_day_is_over() -> None:
    days = [DAY - dt.timedelta(days=n) for n in (1, 2, 3, 5)]
    records = [record(d) for d in days]
    assert current_streak(records, DAY) == 3  # nothing yet today: counts up to yesterday
    assert current_streak([*records, record(DAY)], DAY) == 4
    assert current_streak(records, DAY + dt.timedelta(days=1)) == 0  # yesterday missed
    # partial sessions do not count
    assert current_streak([record(DAY, completed=False)], DAY) == 0


def test_longest_streak() -> None:
    days = [DAY - dt.timedelta(days=n) for n in (0, 1, 2, 10, 11, 12, 13, 20)]
    records = [record(d) for d in days] + [record(DAY - dt.timedelta(days=14), completed=False)]
    assert longest_streak(records) == 4
    assert longest_streak([]) == 0


@given(st.sets(st.integers(min_value=0, max_value=60), max_size=40))
def test_streak_invariants(offsets: set[int]) -> None:
    records = [record(DAY - dt.timedelta(days=n)) for n in offsets]
    current = current_streak(records, DAY)
    longest = longest_streak(records)
    assert 0 <= current <= longest <= len(offsets)
    # the current streak is exactly the run of consecutive days ending today or yesterday
    end = 0 if 0 in offsets else 1
    expected = 0
    while end + expected in offsets:
        expected += 1
    assert current == expected
