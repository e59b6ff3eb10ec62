"""The reminder service with a fake clock and a fake notifier, and the notifier seam."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from collections.abc import Callable, Sequence

import pytest

from anklesleep.schedule import notify
from anklesleep.schedule.reminders import (
    MAX_WAIT,
    Outcome,
    Reminders,
    Schedule,
    next_reminder,
    occurrence,
    upcoming,
)
from anklesleep.schedule.slots import Slot, SlotName, SlotSettings
from anklesleep.testing.reminders import FakeClock, FakeNotifier

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def slots(
    zone: str = "Europe/London",
    morning: dt.time | None = dt.time(7, 0),
    home: dt.time | None = dt.time(18, 30),
    bedtime: dt.time | None = dt.time(22, 30),
) -> SlotSettings:
    def slot(name: SlotName, time: dt.time | None) -> Slot:
        return Slot(name, time or dt.time(12, 0), time is not None)

    return SlotSettings(
        slots=(slot("morning", morning), slot("home", home), slot("bedtime", bedtime)),
        timezone=zone,
    )


def local(tz: zoneinfo.ZoneInfo, year: int, month: int, day: int, h: int, m: int) -> dt.datetime:
    return dt.datetime(year, month, day, h, m, tzinfo=tz)


class Harness:
    """A service, its fake clock and notifier, and everything it reported."""

    def __init__(
        self,
        settings: SlotSettings,
        start: dt.datetime,
        *,
        snooze: dt.timedelta | None = None,
        repeats: int = 3,
        done: Callable[[SlotName, dt.date], bool] | None = None,
    ) -> None:
        self.clock = FakeClock(start)
        self.notifier = FakeNotifier()
        self.outcomes: list[Outcome] = []
        self.settings = settings
        self.asked: list[tuple[SlotName, dt.date]] = []
        self._done = done or (lambda _slot, _day: False)
        schedule = Schedule(settings, start=start, snooze=snooze, repeats=repeats)
        self.service = Reminders(schedule, self.is_done, self.notifier)

    def is_done(self, slot: SlotName, day: dt.date) -> bool:
        self.asked.append((slot, day))
        return self._done(slot, day)

    def run_until(self, end: dt.datetime, max_wait: float = MAX_WAIT) -> None:
        self.service.run(
            self.clock,
            load_settings=lambda: self.settings,
            report=self.outcomes.append,
            stop=lambda: self.clock.now() >= end,
            max_wait=max_wait,
        )

    def sent(self) -> list[tuple[SlotName, dt.datetime, int]]:
        return [
            (o.reminder.slot, o.at, o.reminder.attempt) for o in self.outcomes if o.action == "sent"
        ]


def test_fires_once_per_enabled_slot_each_day() -> None:
    start = local(LONDON, 2026, 5, 4, 6, 0)
    h = Harness(slots(home=None), start)
    h.run_until(start + dt.timedelta(days=3))
    sent = h.sent()
    assert [(s, at.astimezone(LONDON).strftime("%d %H:%M")) for s, at, _ in sent] == [
        ("morning", "04 07:00"),
        ("bedtime", "04 22:30"),
        ("morning", "05 07:00"),
        ("bedtime", "05 22:30"),
        ("morning", "06 07:00"),
        ("bedtime", "06 22:30"),
    ]
    assert len(h.notifier.sent) == 6
    title, body = h.notifier.sent[-1]
    assert title == "Ankle routine: bedtime"
    assert "anklesleep start full" in body
    # It never waits longer than a minute, and never spins: a few thousand wake-ups in 3 days.
    assert max(h.clock.sleeps) <= MAX_WAIT
    assert len(h.clock.sleeps) <= 3 * 24 * 60 + 10


def test_reminders_before_start_are_not_sent() -> None:
    start = local(LONDON, 2026, 5, 4, 19, 0)  # after 07:00 and 18:30
    h = Harness(slots(), start)
    h.run_until(local(LONDON, 2026, 5, 5, 6, 59))
    assert [s for s, _, _ in h.sent()] == ["bedtime"]


def test_skips_slots_already_done() -> None:
    start = local(LONDON, 2026, 5, 4, 6, 0)
    done = {("morning", dt.date(2026, 5, 4)), ("bedtime", dt.date(2026, 5, 5))}
    h = Harness(slots(home=None), start, done=lambda s, d: (s, d) in done)
    h.run_until(start + dt.timedelta(days=2), max_wait=3600)
    assert [(s, at.astimezone(LONDON).day) for s, at, _ in h.sent()] == [
        ("bedtime", 4),
        ("morning", 5),
    ]
    skipped = [(o.reminder.slot, o.reminder.day) for o in h.outcomes if o.action == "done"]
    assert sorted(skipped) == sorted(done)
    # asked at the moment each slot was due, for the local day it belongs to
    assert h.asked == [
        ("morning", dt.date(2026, 5, 4)),
        ("bedtime", dt.date(2026, 5, 4)),
        ("morning", dt.date(2026, 5, 5)),
        ("bedtime", dt.date(2026, 5, 5)),
    ]


def test_snooze_repeats_until_done_or_out_of_repeats() -> None:
    start = local(LONDON, 2026, 5, 4, 22, 0)
    h = Harness(slots(morning=None, home=None), start, snooze=dt.timedelta(minutes=10), repeats=2)
    h.run_until(local(LONDON, 2026, 5, 5, 2, 0))
    assert [(at.astimezone(LONDON).strftime("%H:%M"), n) for _, at, n in h.sent()] == [
        ("22:30", 0),
        ("22:40", 1),
        ("22:50", 2),
    ]
    assert h.notifier.sent[1][1].startswith("Reminder 2: ")
    first = h.outcomes[0]
    assert first.next_attempt == local(LONDON, 2026, 5, 4, 22, 40).astimezone(dt.UTC)
    assert h.outcomes[-1].next_attempt is None


def test_snooze_stops_once_the_session_is_done() -> None:
    start = local(LONDON, 2026, 5, 4, 22, 0)
    state = {"done": False}
    h = Harness(
        slots(morning=None, home=None),
        start,
        snooze=dt.timedelta(minutes=5),
        done=lambda _s, _d: state["done"],
    )
    h.run_until(local(LONDON, 2026, 5, 4, 22, 33))
    state["done"] = True  # the user did the session at 22:33
    h.run_until(local(LONDON, 2026, 5, 4, 23, 30))
    assert [at.astimezone(LONDON).strftime("%H:%M") for _, at, _ in h.sent()] == ["22:30"]
    assert [o.action for o in h.outcomes] == ["sent", "done"]
    assert h.service.schedule.pending == ()


def test_turning_a_slot_off_cancels_its_snoozes() -> None:
    start = local(LONDON, 2026, 5, 4, 22, 0)
    h = Harness(slots(morning=None, home=None), start, snooze=dt.timedelta(minutes=5))
    h.run_until(local(LONDON, 2026, 5, 4, 22, 31))
    h.settings = slots(morning=None, home=None, bedtime=None)
    h.run_until(local(LONDON, 2026, 5, 6, 0, 0), max_wait=3600)
    assert len(h.sent()) == 1


def test_time_changed_while_running_is_picked_up() -> None:
    start = local(LONDON, 2026, 5, 4, 20, 0)
    h = Harness(slots(morning=None, home=None), start)
    h.run_until(local(LONDON, 2026, 5, 4, 21, 0))
    h.settings = slots(morning=None, home=None, bedtime=dt.time(21, 15))
    h.run_until(local(LONDON, 2026, 5, 4, 23, 59))
    assert [at.astimezone(LONDON).strftime("%H:%M") for _, at, _ in h.sent()] == ["21:15"]


@pytest.mark.parametrize(
    ("zone", "tz", "first"),
    [
        ("Europe/London", LONDON, dt.date(2026, 3, 26)),  # forward on 29 March
        ("Europe/London", LONDON, dt.date(2026, 10, 22)),  # back on 25 October
        ("America/New_York", NEW_YORK, dt.date(2026, 3, 5)),  # forward on 8 March
        ("America/New_York", NEW_YORK, dt.date(2026, 10, 29)),  # back on 1 November
    ],
)
def test_wall_time_kept_across_dst(zone: str, tz: zoneinfo.ZoneInfo, first: dt.date) -> None:
    start = dt.datetime.combine(first, dt.time(12, 0), tzinfo=tz)
    h = Harness(slots(zone, morning=None, home=None), start)
    h.run_until(start + dt.timedelta(days=7), max_wait=3600)
    locals_ = [at.astimezone(tz) for _, at, _ in h.sent()]
    assert [t.strftime("%H:%M") for t in locals_] == ["22:30"] * 7
    assert [t.date() for t in locals_] == [first + dt.timedelta(days=i) for i in range(7)]
    assert len({t.utcoffset() for t in locals_}) == 2


def test_time_skipped_by_spring_forward_fires_once_an_hour_later() -> None:
    start = local(NEW_YORK, 2026, 3, 7, 12, 0)
    h = Harness(slots("America/New_York", morning=dt.time(2, 30), home=None, bedtime=None), start)
    h.run_until(start + dt.timedelta(days=3), max_wait=3600)
    assert [at.astimezone(NEW_YORK).strftime("%d %H:%M") for _, at, _ in h.sent()] == [
        "08 03:30",  # 02:30 does not exist on 8 March
        "09 02:30",
        "10 02:30",
    ]


def test_time_repeated_by_fall_back_fires_once() -> None:
    start = local(NEW_YORK, 2026, 10, 31, 12, 0)
    h = Harness(slots("America/New_York", morning=dt.time(1, 30), home=None, bedtime=None), start)
    h.run_until(start + dt.timedelta(days=2), max_wait=3600)
    fired = [at.astimezone(NEW_YORK) for _, at, _ in h.sent()]
    assert [f.strftime("%d %H:%M") for f in fired] == ["01 01:30", "02 01:30"]
    assert fired[0].utcoffset() == dt.timedelta(hours=-4)  # the first 01:30, still daylight time


def test_late_after_sleep_is_sent_but_too_late_is_missed() -> None:
    start = local(LONDON, 2026, 5, 4, 6, 0)
    h = Harness(slots(home=None), start)
    service = h.service
    # The machine sleeps from 06:00 to 07:40: the 07:00 reminder goes out late.
    outcomes = service.tick(local(LONDON, 2026, 5, 4, 7, 40))
    assert [o.action for o in outcomes] == ["sent"]
    # Then from 07:40 to 23:45: the 22:30 reminder is over an hour late, reported missed.
    outcomes = service.tick(local(LONDON, 2026, 5, 4, 23, 45))
    assert [(o.reminder.slot, o.action) for o in outcomes] == [("bedtime", "missed")]
    assert len(h.notifier.sent) == 1


def test_next_due_and_all_off() -> None:
    start = local(LONDON, 2026, 5, 4, 8, 0)
    schedule = Schedule(slots(), start=start)
    assert schedule.next_due(start) == local(LONDON, 2026, 5, 4, 18, 30).astimezone(dt.UTC)
    off = Schedule(slots(morning=None, home=None, bedtime=None), start=start)
    assert off.next_due(start) is None
    h = Harness(slots(morning=None, home=None, bedtime=None), start)
    h.run_until(start + dt.timedelta(hours=2))
    assert h.sent() == []
    assert set(h.clock.sleeps) == {MAX_WAIT}


def test_next_reminder_in_local_time() -> None:
    settings_ = slots("America/New_York", home=None)
    evening = local(NEW_YORK, 2026, 3, 7, 23, 0)
    name, at = next_reminder(settings_, evening) or ("none", evening)
    assert (name, at.isoformat()) == ("morning", "2026-03-08T07:00:00-04:00")
    assert next_reminder(settings_, local(NEW_YORK, 2026, 3, 8, 9, 0)) == (
        "bedtime",
        local(NEW_YORK, 2026, 3, 8, 22, 30),
    )
    assert next_reminder(slots(morning=None, home=None, bedtime=None), evening) is None


def test_upcoming_lists_a_window_soonest_first() -> None:
    now = local(LONDON, 2026, 3, 28, 20, 0)  # the evening before the clocks go forward
    soon = upcoming(slots(), now, dt.timedelta(days=1))
    assert [(n, t.strftime("%d %H:%M %Z")) for n, t in soon] == [
        ("bedtime", "28 22:30 GMT"),
        ("morning", "29 07:00 BST"),
        ("home", "29 18:30 BST"),
    ]
    assert len(upcoming(slots(), now, dt.timedelta(days=7))) == 21
    assert upcoming(slots(morning=None, home=None, bedtime=None), now) == []


def test_occurrence_resolves_wall_time_to_utc() -> None:
    slot = Slot("bedtime", dt.time(22, 30))
    assert occurrence(slot, dt.date(2026, 1, 10), LONDON) == dt.datetime(
        2026, 1, 10, 22, 30, tzinfo=dt.UTC
    )
    assert occurrence(slot, dt.date(2026, 7, 10), LONDON) == dt.datetime(
        2026, 7, 10, 21, 30, tzinfo=dt.UTC
    )


def test_schedule_rejects_naive_start_and_bad_snooze() -> None:
    with pytest.raises(ValueError, match="aware"):
        Schedule(slots(), start=dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="snooze"):
        Schedule(slots(), start=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), snooze=dt.timedelta(0))
    with pytest.raises(ValueError, match="aware"):
        FakeClock(dt.datetime(2026, 1, 1))


# --- the notifier seam ---


class Recorder:
    def __init__(self, status: int | Exception = 0) -> None:
        self.calls: list[list[str]] = []
        self.status = status

    def __call__(self, argv: Sequence[str]) -> int:
        self.calls.append(list(argv))
        if isinstance(self.status, Exception):
            raise self.status
        return self.status


def test_notify_send_is_used_on_a_desktop() -> None:
    run = Recorder()
    stream = io.StringIO()
    notifier = notify.default_notifier(
        {"DISPLAY": ":0"},
        which=lambda name: "/usr/bin/notify-send" if name == "notify-send" else None,
        platform="linux",
        stream=stream,
        run=run,
    )
    notifier.notify("Ankle routine: bedtime", "--help; rm -rf ~")
    assert run.calls == [
        [
            "/usr/bin/notify-send",
            "--app-name=anklesleep",
            "--urgency=normal",
            "--category=reminder",
            "--icon=appointment-soon",
            "--",
            "Ankle routine: bedtime",
            "--help; rm -rf ~",
        ]
    ]
    assert stream.getvalue() == ""
    assert notify.describe(notifier) == "desktop notifications"


@pytest.mark.parametrize("failure", [1, FileNotFoundError("gone")])
def test_failed_desktop_notification_falls_back_to_the_terminal(
    failure: int | Exception,
) -> None:
    stream = io.StringIO()
    notifier = notify.CommandNotifier(
        notify.notify_send_argv(), notify.TerminalNotifier(stream), Recorder(failure)
    )
    notifier.notify("Title", "Body")
    assert stream.getvalue() == "\aTitle: Body\n"


def test_terminal_when_no_desktop() -> None:
    stream = io.StringIO()
    notifier = notify.default_notifier(
        {}, which=lambda _name: "/usr/bin/notify-send", platform="linux", stream=stream
    )
    assert isinstance(notifier, notify.TerminalNotifier)
    notifier.notify("Ankle routine: morning", "Time for your quick routine.")
    assert stream.getvalue() == "\aAnkle routine: morning: Time for your quick routine.\n"
    assert notify.describe(notifier) == "a terminal bell and a line here"
    quiet = io.StringIO()
    notify.TerminalNotifier(quiet, bell=False).notify("A", "B")
    assert quiet.getvalue() == "A: B\n"


def test_macos_uses_osascript_with_quoted_text() -> None:
    run = Recorder()
    notifier = notify.default_notifier(
        {}, which=lambda name: "/usr/bin/" + name, platform="darwin", run=run
    )
    notifier.notify('Say "hi"', "back\\slash")
    argv = run.calls[0]
    assert argv[:2] == ["osascript", "-e"]
    assert argv[2] == (
        'display notification "back\\\\slash" with title "Say \\"hi\\"" sound name "Glass"'
    )


def test_run_quietly_reports_exit_status() -> None:
    assert notify.run_quietly(["true"]) == 0
    assert notify.run_quietly(["false"]) == 1
    with pytest.raises(OSError):
        notify.run_quietly(["/nonexistent/notify-send"])
