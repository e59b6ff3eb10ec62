"""The reminder service's logic: when each slot's reminder is due, and what to do then.

Slot times are wall-clock times in the user's IANA zone, turned into instants day by day with
zoneinfo, so a 22:30 reminder stays at 22:30 across daylight-saving changes. A time that does not
exist on the day the clocks go forward (02:30 in New York) fires at the same distance after the
jump (03:30); a time that happens twice when they go back fires once, the first time.

Each slot fires once a day unless it is already done (asked through `is_done` at the moment
it is due), and, with a snooze, again every N minutes until done, a few times at most. The clock
and the notifier are injected: `run` with a fake clock drives a whole week in milliseconds.
Reminders that fall while the daemon was not running are not sent when it starts; ones it
slept through (a suspended laptop) are sent late, within `late_limit`.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, Protocol

from anklesleep.basics.i18n import N_, Translate
from anklesleep.routine.names import short_name
from anklesleep.schedule.notify import Notifier
from anklesleep.schedule.slots import SLOT_LABELS, Slot, SlotName, SlotSettings
from anklesleep.schedule.timezones import UTC_NAME, check

#: Longest single wait: settings changes and clock jumps are noticed within this many seconds.
MAX_WAIT = 60.0
#: A reminder due longer ago than this (the machine was asleep) is reported missed, not sent.
LATE_LIMIT = dt.timedelta(hours=1)
#: Repeats after the first reminder when snoozing, unless told otherwise.
DEFAULT_REPEATS = 3

IsDone = Callable[[SlotName, dt.date], bool]
Action = Literal["sent", "done", "missed"]

_TITLES: dict[SlotName, str] = {
    "morning": N_("Ankle routine: morning"),
    "home": N_("Ankle routine: back home"),
    "bedtime": N_("Ankle routine: bedtime"),
}


class WallClock(Protocol):
    """The current time (aware) and a way to wait."""

    def now(self) -> dt.datetime: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's clock in UTC, waiting with `time.sleep`."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass(frozen=True)
class Reminder:
    """One reminder: a slot on a local day, due at an instant; attempt 0 is the first."""

    slot: SlotName
    day: dt.date
    due: dt.datetime  # aware, UTC
    attempt: int = 0


@dataclass(frozen=True)
class Outcome:
    """What the service did with a due reminder (sent, skipped as done, or missed)."""

    reminder: Reminder
    action: Action
    at: dt.datetime
    next_attempt: dt.datetime | None = None


@cache
def zone_of(name: str) -> dt.tzinfo:
    """The tzinfo of a zone name (plain UTC for UTC), checked."""
    checked = check(name)
    return dt.UTC if checked == UTC_NAME else zoneinfo.ZoneInfo(checked)


def occurrence(slot: Slot, day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The instant (UTC) of `slot`'s time on local `day`, DST gaps and overlaps resolved."""
    local = dt.datetime.combine(day, slot.time, tzinfo=zone)  # fold=0: the earlier instant
    return local.astimezone(dt.UTC)


def local_day(instant: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return instant.astimezone(zone).date()


def upcoming(
    settings: SlotSettings, now: dt.datetime, within: dt.timedelta = dt.timedelta(days=1)
) -> list[tuple[SlotName, dt.datetime]]:
    """Enabled slots due after `now` and no later than `now + within`, soonest first, each with
    its start in the user's zone (for a web page that shows browser notifications)."""
    zone = zone_of(settings.timezone)
    today = local_day(now, zone)
    end = now + within
    found = sorted(
        (occurrence(slot, today + dt.timedelta(days=offset), zone), slot.name)
        for offset in range(-1, within.days + 3)
        for slot in settings.slots
        if slot.enabled
    )
    return [(name, instant.astimezone(zone)) for instant, name in found if now < instant <= end]


def next_reminder(settings: SlotSettings, now: dt.datetime) -> tuple[SlotName, dt.datetime] | None:
    """The next enabled slot after `now` and its start in the user's zone (None if all off)."""
    soon = upcoming(settings, now, dt.timedelta(days=2))
    return soon[0] if soon else None


@dataclass
class Schedule:
    """Which reminders are due, remembering what has fired. Pure: times are arguments."""

    settings: SlotSettings
    start: dt.datetime
    snooze: dt.timedelta | None = None
    repeats: int = DEFAULT_REPEATS
    checked_until: dt.datetime = field(init=False)
    _handled: set[tuple[SlotName, dt.date]] = field(default_factory=set, init=False)
    _snoozed: list[Reminder] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if self.snooze is not None and self.snooze <= dt.timedelta(0):
            raise ValueError("snooze must be positive")
        self.checked_until = self.start.astimezone(dt.UTC)

    @property
    def zone(self) -> dt.tzinfo:
        return zone_of(self.settings.timezone)

    def _occurrences(self, first: dt.date, last: dt.date) -> list[Reminder]:
        zone = self.zone
        found: list[Reminder] = []
        day = first
        while day <= last:
            for slot in self.settings.slots:
                if slot.enabled:
                    found.append(Reminder(slot.name, day, occurrence(slot, day, zone)))
            day += dt.timedelta(days=1)
        return sorted(found, key=lambda r: (r.due, r.slot))

    def due(self, now: dt.datetime) -> list[Reminder]:
        """Reminders due in (last check, now], oldest first; each slot-day only once."""
        now = now.astimezone(dt.UTC)
        zone = self.zone
        first = local_day(self.checked_until, zone) - dt.timedelta(days=1)
        last = local_day(now, zone) + dt.timedelta(days=1)
        result = [
            r
            for r in self._occurrences(first, last)
            if self.checked_until < r.due <= now and (r.slot, r.day) not in self._handled
        ]
        for reminder in result:
            self._handled.add((reminder.slot, reminder.day))
        ready = [r for r in self._snoozed if r.due <= now]
        self._snoozed = [r for r in self._snoozed if r.due > now]
        if now > self.checked_until:
            self.checked_until = now
        self._forget(local_day(now, zone) - dt.timedelta(days=3))
        return sorted(result + ready, key=lambda r: (r.due, r.slot, r.attempt))

    def _forget(self, before: dt.date) -> None:
        self._handled = {key for key in self._handled if key[1] >= before}

    def snoozed(self, reminder: Reminder, now: dt.datetime) -> Reminder | None:
        """Plan the next repeat of a sent reminder, if snoozing and repeats are left."""
        if self.snooze is None or reminder.attempt >= self.repeats:
            return None
        due = now.astimezone(dt.UTC) + self.snooze
        later = Reminder(reminder.slot, reminder.day, due, reminder.attempt + 1)
        self._snoozed.append(later)
        return later

    def cancel(self, slot: SlotName, day: dt.date) -> None:
        """Drop pending repeats of one slot-day (it was done, or its slot was turned off)."""
        self._snoozed = [r for r in self._snoozed if (r.slot, r.day) != (slot, day)]

    def cancel_disabled(self) -> None:
        """Drop pending repeats of slots that are now turned off."""
        enabled = {slot.name for slot in self.settings.slots if slot.enabled}
        self._snoozed = [r for r in self._snoozed if r.slot in enabled]

    @property
    def pending(self) -> tuple[Reminder, ...]:
        """Repeats planned but not yet due."""
        return tuple(self._snoozed)

    def next_due(self, now: dt.datetime) -> dt.datetime | None:
        """When the next reminder is due after `now` (None when every slot is off)."""
        now = now.astimezone(dt.UTC)
        zone = self.zone
        after = max(now, self.checked_until)
        today = local_day(after, zone)
        upcoming = [
            r.due
            for r in self._occurrences(today - dt.timedelta(days=1), today + dt.timedelta(days=2))
            if r.due > after and (r.slot, r.day) not in self._handled
        ]
        upcoming += [r.due for r in self._snoozed]
        return min(upcoming) if upcoming else None


def message(slot: Slot, reminder: Reminder, t: Translate) -> tuple[str, str]:
    """Title and body of a reminder notification."""
    title = t(_TITLES[slot.name])
    body = t("{when}: time for your {routine} routine. Start it with: anklesleep start {id}")
    body = body.format(
        when=t(SLOT_LABELS[slot.name]), routine=short_name(slot.routine, t), id=slot.routine
    )
    if reminder.attempt:
        body = t("Reminder {number}: {body}").format(number=reminder.attempt + 1, body=body)
    return title, body


def _identity(text: str) -> str:
    return text


@dataclass
class Reminders:
    """The service: asks whether a due slot is done, notifies if not, plans snoozes."""

    schedule: Schedule
    is_done: IsDone
    notifier: Notifier
    t: Translate = _identity
    late_limit: dt.timedelta = LATE_LIMIT

    def reload(self, settings: SlotSettings) -> None:
        """Use new slot settings (pending repeats of slots turned off are dropped)."""
        self.schedule.settings = settings
        self.schedule.cancel_disabled()

    def tick(self, now: dt.datetime) -> list[Outcome]:
        """Handle every reminder due by `now`."""
        outcomes: list[Outcome] = []
        for reminder in self.schedule.due(now):
            slot = self.schedule.settings.slot(reminder.slot)
            if self.is_done(reminder.slot, reminder.day):
                self.schedule.cancel(reminder.slot, reminder.day)
                outcomes.append(Outcome(reminder, "done", now))
                continue
            if now - reminder.due > self.late_limit:
                outcomes.append(Outcome(reminder, "missed", now))
                continue
            self.notifier.notify(*message(slot, reminder, self.t))
            later = self.schedule.snoozed(reminder, now)
            outcomes.append(Outcome(reminder, "sent", now, later.due if later else None))
        return outcomes

    def run(
        self,
        clock: WallClock,
        *,
        load_settings: Callable[[], SlotSettings] | None = None,
        report: Callable[[Outcome], None] | None = None,
        stop: Callable[[], bool] | None = None,
        max_wait: float = MAX_WAIT,
    ) -> None:
        """Loop until `stop()` is true: reload settings, handle due reminders, wait.

        Waits are capped at `max_wait` seconds and recomputed from the clock each time (never a
        counter of sleeps), so a suspended machine or a changed time is noticed promptly.
        """
        while not (stop and stop()):
            now = clock.now()
            if load_settings is not None:
                self.reload(load_settings())
            for outcome in self.tick(now):
                if report is not None:
                    report(outcome)
            upcoming = self.schedule.next_due(now)
            wait = max_wait
            if upcoming is not None:
                wait = min(max_wait, max(0.0, (upcoming - now).total_seconds()))
            clock.sleep(wait)
