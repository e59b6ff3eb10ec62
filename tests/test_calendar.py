"""The reminder calendar, read back by an independent consumer (recurring-ical-events)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.basics.i18n import translator
from anklesleep.routine.catalog import builtin
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import estimate_speech_seconds
from anklesleep.schedule import calendar
from anklesleep.schedule.slots import Slot, SlotSettings

NOW = dt.datetime(2026, 2, 20, 9, 15, tzinfo=dt.UTC)
PLANS = {
    "full": calendar.RoutinePlan("full", "Full routine", "Toes, ankle and heel.", 634.2),
    "quick": calendar.RoutinePlan("quick", "Quick routine", "About a minute.", 71.0),
}


def make_settings(zone: str, *, home: bool = True) -> SlotSettings:
    return SlotSettings(
        slots=(
            Slot("morning", dt.time(7, 0), True, "quick"),
            Slot("home", dt.time(18, 30), home, "full"),
            Slot("bedtime", dt.time(22, 30), True, "full"),
        ),
        timezone=zone,
    )


def occurrences(data: bytes, first: dt.date, days: int) -> list[Any]:
    parsed = icalendar.Calendar.from_ical(data)
    return list(recurring_ical_events.of(parsed).between(first, first + dt.timedelta(days=days)))


def by_uid(events: list[Any]) -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = {}
    for event in events:
        result.setdefault(str(event["UID"]), []).append(event)
    return result


@pytest.mark.parametrize(
    ("zone", "first_day"),
    [
        ("Europe/London", dt.date(2026, 3, 1)),  # clocks go forward on 29 March
        ("Europe/London", dt.date(2026, 10, 1)),  # and back on 25 October
        ("America/New_York", dt.date(2026, 2, 20)),  # forward on 8 March
        ("America/New_York", dt.date(2026, 10, 10)),  # back on 1 November
    ],
)
def test_sixty_days_land_on_local_wall_time_across_dst(zone: str, first_day: dt.date) -> None:
    settings_ = make_settings(zone)
    data = calendar.build(settings_, PLANS, now=NOW, first_day=first_day)
    events = by_uid(occurrences(data, first_day, 60))
    tz = zoneinfo.ZoneInfo(zone)
    assert set(events) == {calendar.uid(s) for s in ("morning", "home", "bedtime")}
    offsets: set[dt.timedelta | None] = set()
    for slot in settings_.slots:
        found = events[calendar.uid(slot.name)]
        assert len(found) == 60
        days = [event.start.astimezone(tz).date() for event in found]
        assert days == [first_day + dt.timedelta(days=i) for i in range(60)]
        for event in found:
            start = event.start
            local = start.astimezone(tz)
            assert local.time() == slot.time
            # the instant matches zoneinfo's own idea of that wall time on that day
            expected = dt.datetime.combine(local.date(), slot.time, tzinfo=tz)
            assert start.astimezone(dt.UTC) == expected.astimezone(dt.UTC)
            assert event.end - start == dt.timedelta(minutes=PLANS[slot.routine].minutes)
            offsets.add(local.utcoffset())
    assert len(offsets) == 2  # the window really crosses a daylight-saving change


def test_calendar_has_the_zone_and_an_alarm_at_each_start() -> None:
    data = calendar.build(make_settings("Europe/London"), PLANS, now=NOW, link="http://h:8000/")
    parsed = icalendar.Calendar.from_ical(data)
    zones = list(parsed.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    for event in parsed.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["RRULE"]["FREQ"] == ["DAILY"]
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == dt.timedelta(0)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert str(event["URL"]) == "http://h:8000/"
    assert parsed["X-WR-TIMEZONE"] == "Europe/London"
    # The VTIMEZONE itself agrees with the zone database for years to come.
    own = zones[0].to_tz()
    real = zoneinfo.ZoneInfo("Europe/London")
    for days in range(0, 365 * 8, 5):
        instant = NOW + dt.timedelta(days=days)
        assert instant.astimezone(own).utcoffset() == instant.astimezone(real).utcoffset()


def test_description_summarises_the_routine_and_links_the_player() -> None:
    settings_ = make_settings("UTC")
    data = calendar.build(
        settings_, PLANS, now=NOW, link="http://127.0.0.1:8000/play/{routine}?slot={slot}"
    )
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    morning = str(events["Ankle routine: morning"]["DESCRIPTION"])
    assert "Quick routine, about 1 min: About a minute." in morning
    assert "http://127.0.0.1:8000/play/quick?slot=morning" in morning
    bedtime = str(events["Ankle routine: bedtime"]["DESCRIPTION"])
    assert "Full routine, about 11 min" in bedtime
    assert "http://127.0.0.1:8000/play/full?slot=bedtime" in bedtime
    assert "not a treatment" in bedtime
    no_link = calendar.build(settings_, PLANS, now=NOW, link=None)
    assert b"URL:" not in no_link
    assert b"http" not in no_link


def test_disabled_slots_produce_no_events() -> None:
    data = calendar.build(make_settings("America/New_York", home=False), PLANS, now=NOW)
    events = by_uid(occurrences(data, dt.date(2026, 3, 1), 10))
    assert set(events) == {calendar.uid("morning"), calendar.uid("bedtime")}
    assert all(len(found) == 10 for found in events.values())

    all_off = SlotSettings(
        slots=tuple(replace(s, enabled=False) for s in make_settings("UTC").slots),
        timezone="Europe/London",
    )
    empty = icalendar.Calendar.from_ical(calendar.build(all_off, {}, now=NOW))
    assert list(empty.walk("VEVENT")) == []
    assert list(empty.walk("VTIMEZONE")) == []
    assert str(empty["VERSION"]) == "2.0"


def test_uids_are_stable_across_runs_and_sequence_is_the_given_revision() -> None:
    settings_ = make_settings("Europe/London")
    first = icalendar.Calendar.from_ical(calendar.build(settings_, PLANS, now=NOW))
    later_settings = settings_.with_slot(Slot("bedtime", dt.time(23, 0), True, "quick"))
    revisions = {"morning": 1, "home": 1, "bedtime": 2}
    later = icalendar.Calendar.from_ical(
        calendar.build(later_settings, PLANS, now=NOW, sequences=revisions)  # type: ignore[arg-type]
    )
    uids_first = {str(e["SUMMARY"]): str(e["UID"]) for e in first.walk("VEVENT")}
    uids_later = {str(e["SUMMARY"]): str(e["UID"]) for e in later.walk("VEVENT")}
    assert uids_first == uids_later
    assert len(set(uids_first.values())) == 3
    assert {int(e["SEQUENCE"]) for e in first.walk("VEVENT")} == {0}
    assert sorted(int(e["SEQUENCE"]) for e in later.walk("VEVENT")) == [1, 1, 2]
    assert "METHOD" not in first
    # The same inputs give the same bytes: nothing random goes in.
    assert calendar.build(settings_, PLANS, now=NOW) == calendar.build(settings_, PLANS, now=NOW)


def test_first_day_defaults_to_today_in_the_users_zone() -> None:
    late_evening_utc = dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC)  # 2 June in Tokyo
    data = calendar.build(make_settings("Asia/Tokyo"), PLANS, now=late_evening_utc)
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        assert event.decoded("DTSTART").date() == dt.date(2026, 6, 2)


def test_utc_calendar_needs_no_vtimezone() -> None:
    data = calendar.build(make_settings("UTC"), PLANS, now=NOW)
    parsed = icalendar.Calendar.from_ical(data)
    assert list(parsed.walk("VTIMEZONE")) == []
    starts = [e.decoded("DTSTART") for e in parsed.walk("VEVENT")]
    assert all(s.utcoffset() == dt.timedelta(0) for s in starts)
    assert b"DTSTART:20260220T070000Z" in data


def test_build_rejects_naive_now_and_missing_plans() -> None:
    with pytest.raises(ValueError, match="aware"):
        calendar.build(make_settings("UTC"), PLANS, now=dt.datetime(2026, 1, 1))
    with pytest.raises(KeyError, match="quick"):
        calendar.build(make_settings("UTC"), {"full": PLANS["full"]}, now=NOW)


def test_plans_come_from_the_timeline() -> None:
    t = translator("en")
    full = calendar.plan(builtin("full"), Options(), estimate_speech_seconds, t)
    quick = calendar.plan(builtin("quick"), Options(), estimate_speech_seconds, t)
    assert full.name == "Full routine"
    assert 8 * 60 < full.seconds < 14 * 60
    assert 45 < quick.seconds < 120
    slower = calendar.plan(builtin("full"), Options(tempo=1.5), estimate_speech_seconds, t)
    assert slower.seconds > full.seconds
    assert full.minutes == -(-full.seconds // 60)


@settings(max_examples=30, deadline=None)
@given(
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    zone=st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney", "UTC"]),
    offset_days=st.integers(0, 365),
)
def test_every_existing_wall_time_is_kept(
    hour: int, minute: int, zone: str, offset_days: int
) -> None:
    first = dt.date(2026, 1, 1) + dt.timedelta(days=offset_days)
    slot_time = dt.time(hour, minute)
    settings_ = SlotSettings(
        slots=(
            Slot("morning", slot_time, True, "quick"),
            Slot("home", dt.time(18, 30), False, "full"),
            Slot("bedtime", dt.time(22, 30), False, "full"),
        ),
        timezone=zone,
    )
    data = calendar.build(settings_, PLANS, now=NOW, first_day=first)
    found = occurrences(data, first, 14)
    assert len(found) == 14
    tz = zoneinfo.ZoneInfo(zone)
    for event in found:
        local = event.start.astimezone(tz)
        wall = dt.datetime.combine(local.date(), slot_time, tzinfo=tz)
        exists = wall.astimezone(dt.UTC).astimezone(tz).time() == slot_time
        if exists:  # a time skipped by a DST jump is placed by the consumer's own rule
            assert local.time() == slot_time
