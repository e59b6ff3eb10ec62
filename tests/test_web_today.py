"""The Today page's content, computed purely from records, the night and the local time."""

from __future__ import annotations

import datetime as dt

from anklesleep.diary.entries import SleepEntry
from anklesleep.practice.records import SessionRecord, new_record
from anklesleep.schedule.slots import SlotSettings
from anklesleep.services.today import today_view

TZ = dt.timezone(dt.timedelta(hours=1))


def _done(at: dt.datetime, completed: bool = True) -> SessionRecord:
    record = new_record(routine="full", local_start=at, planned_seconds=600, source="web")
    from dataclasses import replace

    return replace(record, completed=completed, completed_seconds=600 if completed else 100)


def test_slots_status_and_streak() -> None:
    now = dt.datetime(2026, 3, 14, 22, 5, tzinfo=TZ)
    records = [
        _done(dt.datetime(2026, 3, 12, 7, 0, tzinfo=TZ)),
        _done(dt.datetime(2026, 3, 13, 22, 0, tzinfo=TZ)),
        _done(dt.datetime(2026, 3, 14, 7, 10, tzinfo=TZ)),
        _done(dt.datetime(2026, 3, 14, 18, 40, tzinfo=TZ), completed=False),
    ]
    view = today_view(records, None, now, SlotSettings())
    assert view.day == dt.date(2026, 3, 14)
    assert [s.status for s in view.slots] == ["done", "partial", "not yet"]
    assert view.done_count == 1
    assert view.streak == 3
    assert view.current_slot == "bedtime"
    assert [s.current for s in view.slots] == [False, False, True]
    assert not view.nudge_diary  # evening


def test_a_bedtime_session_after_midnight_still_counts_for_the_evening() -> None:
    now = dt.datetime(2026, 3, 15, 0, 30, tzinfo=TZ)
    view = today_view([_done(now)], None, now, SlotSettings())
    assert view.day == dt.date(2026, 3, 14)
    assert view.slots[2].status == "done"


def test_morning_nudge_until_the_diary_is_filled_in() -> None:
    now = dt.datetime(2026, 3, 14, 8, 0, tzinfo=TZ)
    assert today_view([], None, now, SlotSettings()).nudge_diary
    night = SleepEntry(
        night=dt.date(2026, 3, 14),
        into_bed=dt.time(23, 0),
        tried_to_sleep=dt.time(23, 0),
        sol_minutes=10,
        awakenings=0,
        waso_minutes=0,
        final_awakening=dt.time(7, 0),
        out_of_bed=dt.time(7, 0),
        quality=5,
    )
    view = today_view([], night, now, SlotSettings())
    assert not view.nudge_diary
    assert view.night_metrics is not None
    assert view.night_metrics.tst == 470
    assert view.to_dict()["last_night_metrics"]["tst_minutes"] == 470


def test_one_primary_action_follows_the_slot_in_progress() -> None:
    evening = dt.datetime(2026, 3, 14, 21, 40, tzinfo=TZ)
    view = today_view([], None, evening, SlotSettings())
    assert view.primary is not None
    assert view.primary.kind == "routine"
    assert view.primary.slot == "bedtime"
    assert view.primary.label == "Start your bedtime routine"
    assert view.primary.href == "/play/full"
    assert view.secondary is not None
    assert view.secondary.routine == "quick"
    assert not view.acknowledge


def test_in_the_morning_without_a_diary_the_diary_comes_first() -> None:
    morning = dt.datetime(2026, 3, 14, 7, 20, tzinfo=TZ)
    view = today_view([], None, morning, SlotSettings())
    assert view.primary is not None and view.primary.kind == "diary"
    assert view.primary.href == "/sleep"
    assert view.secondary is not None and view.secondary.slot == "morning"
    data = view.to_dict()
    assert data["primary"]["kind"] == "diary"
    assert data["secondary"]["href"] == "/play/full"


def test_moments_show_done_missed_now_and_upcoming() -> None:
    at_home = dt.datetime(2026, 3, 14, 18, 20, tzinfo=TZ)
    view = today_view([], None, at_home, SlotSettings())
    assert [s.moment for s in view.slots] == ["missed", "now", "upcoming"]
    done_morning = [_done(dt.datetime(2026, 3, 14, 7, 5, tzinfo=TZ))]
    view = today_view(done_morning, None, at_home, SlotSettings())
    assert [s.moment for s in view.slots] == ["done", "now", "upcoming"]
    assert [s["moment"] for s in view.to_dict()["slots"]] == ["done", "now", "upcoming"]


def test_a_finished_session_is_acknowledged_for_the_rest_of_its_slot() -> None:
    session = _done(dt.datetime(2026, 3, 14, 22, 0, tzinfo=TZ))
    later = dt.datetime(2026, 3, 14, 23, 30, tzinfo=TZ)
    view = today_view([session], None, later, SlotSettings())
    assert view.acknowledge
    assert view.streak == 1
    assert view.habit_strength > 0
    assert view.to_dict()["acknowledge"] is True
    # a stopped session is no reason to congratulate
    stopped = _done(dt.datetime(2026, 3, 14, 22, 0, tzinfo=TZ), completed=False)
    assert not today_view([stopped], None, later, SlotSettings()).acknowledge
    # the next morning is a new slot
    next_morning = dt.datetime(2026, 3, 15, 9, 0, tzinfo=TZ)
    assert not today_view([session], None, next_morning, SlotSettings()).acknowledge


def test_after_midnight_the_bedtime_routine_leads_not_the_diary() -> None:
    late = dt.datetime(2026, 3, 15, 0, 40, tzinfo=TZ)
    view = today_view([], None, late, SlotSettings())
    assert view.current_slot == "bedtime"
    assert not view.nudge_diary  # the night is not over yet
    assert view.primary is not None and view.primary.slot == "bedtime"
    assert [s.moment for s in view.slots] == ["missed", "missed", "now"]


def test_the_greeting_follows_the_day_not_only_the_hour() -> None:
    from anklesleep.services.today import greeting

    saturday = dt.date(2026, 3, 14)
    assert greeting(dt.datetime(2026, 3, 14, 7, 0, tzinfo=TZ), saturday) == "Good morning"
    assert greeting(dt.datetime(2026, 3, 14, 13, 0, tzinfo=TZ), saturday) == "Good afternoon"
    assert greeting(dt.datetime(2026, 3, 14, 21, 0, tzinfo=TZ), saturday) == "Good evening"
    # half past midnight, still Saturday's bedtime: not "good morning"
    late = dt.datetime(2026, 3, 15, 0, 30, tzinfo=TZ)
    view = today_view([], None, late, SlotSettings())
    assert greeting(late, view.day) == "Good evening"
