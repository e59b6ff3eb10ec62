"""The three daily slots as an RFC 5545 calendar (.ics) that calendar apps import or subscribe to.

Pure: the slot settings, each routine's length (from `timeline.expand`, computed by the caller),
"now" and the player link are arguments; the result is bytes. One daily recurring event per
enabled slot at the slot's wall-clock time in the user's IANA zone (the VTIMEZONE is included, so
the time stays put across daylight-saving changes), with a display alarm at the start.

UIDs depend only on the slot name, so importing the file again (or a subscription refreshing)
updates the same three events instead of adding copies; each event's SEQUENCE is its revision
number, kept by the caller and raised whenever anything in the event changes (`fingerprint`
says when). The file has no METHOD: it is a published calendar to import or subscribe to, not
a scheduling message, so RFC 5546's ORGANIZER is not needed. The VTIMEZONE lists every change of
the zone's clocks for decades ahead (see `vtimezone`).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anklesleep.basics.i18n import N_, Translate
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import SpeechSeconds, expand
from anklesleep.schedule.slots import SLOT_LABELS, Slot, SlotName, SlotSettings
from anklesleep.schedule.timezones import UTC_NAME, check

if TYPE_CHECKING:  # icalendar loads when a calendar is built: `slots` starts without it
    import icalendar

PRODID = "-//anklesleep//anklesleep reminders//EN"
CALENDAR_NAME = N_("Ankle-bone routine")
#: How often subscribed calendar apps are asked to refresh.
REFRESH = dt.timedelta(hours=12)
_UID_NAMESPACE = uuid.UUID("6f1d3c1e-4d43-5d8e-9a5c-2b7a8e0b6a11")
#: The VTIMEZONE lists the zone's changes from this year (or the year before the first event, if
#: earlier). vobject uses a file's VTIMEZONE only when it differs from UTC over 2000-2020: a
#: London table starting later looks like UTC to it, so it falls back to pytz, whose zones its
#: `getrruleset` expands an hour off in summer. Listing the changes since 2000 makes every zone
#: recognisable.
_ZONE_FIRST_YEAR = 2000

_SUMMARIES: dict[SlotName, str] = {
    "morning": N_("Ankle routine: morning"),
    "home": N_("Ankle routine: back home"),
    "bedtime": N_("Ankle routine: bedtime"),
}


@dataclass(frozen=True)
class RoutinePlan:
    """What the calendar says about one routine: its name, summary and length in seconds."""

    id: str
    name: str
    summary: str
    seconds: float

    @property
    def minutes(self) -> int:
        """Whole minutes the event lasts (the routine's length rounded up, at least one)."""
        return max(1, math.ceil(self.seconds / 60))

    @property
    def about_minutes(self) -> int:
        """The length to tell a person: whole minutes, rounded, at least one."""
        return max(1, round(self.seconds / 60))


def plan(
    routine: Routine, options: Options, speech_seconds: SpeechSeconds, t: Translate
) -> RoutinePlan:
    """The `RoutinePlan` of `routine` as it would play with `options`."""
    seconds = expand(routine, options, speech_seconds, t).total_seconds
    return RoutinePlan(routine.id, t(routine.name), t(routine.summary), seconds)


def uid(slot: SlotName) -> str:
    """The event UID of a slot: the same on every run and every machine."""
    return f"{uuid.uuid5(_UID_NAMESPACE, f'anklesleep-slot-{slot}')}@anklesleep"


def fingerprint(slot: Slot, routine: RoutinePlan, zone_name: str, link: str | None) -> str:
    """What an event of `slot` says, as text: when it changes, the event's SEQUENCE must grow.

    (The first day is left out: it moves with the export date but the series stays the same.)
    """
    parts = [
        slot.name,
        slot.time.isoformat(),
        zone_name,
        routine.id,
        routine.name,
        routine.summary,
        str(routine.minutes),
        link or "",
    ]
    return "\x1f".join(parts)


def slot_link(link: str, slot: Slot) -> str:
    """`link` with `{slot}` and `{routine}` filled in, so each event can open its own session."""
    return link.replace("{slot}", slot.name).replace("{routine}", slot.routine)


def _identity(text: str) -> str:
    return text


def description(slot: Slot, routine: RoutinePlan, link: str | None, t: Translate) -> str:
    """The event's text: which routine, what it is, how long, where to start it, and a caution."""
    lines = [
        t("{name}, about {minutes} min: {summary}").format(
            name=routine.name, minutes=routine.about_minutes, summary=routine.summary
        ),
        t("When: {when}.").format(when=t(SLOT_LABELS[slot.name])),
    ]
    if link:
        lines.append(t("Start the guided session: {link}").format(link=link))
    lines.append(
        t("Gentle, firm pressure only; stop if it hurts. A wellbeing routine, not a treatment.")
    )
    return "\n".join(lines)


def _event(
    slot: Slot,
    routine: RoutinePlan,
    first_day: dt.date,
    zone_name: str,
    now: dt.datetime,
    link: str | None,
    t: Translate,
    sequence: int,
) -> icalendar.Event:
    # The wall-clock time in the user's zone, so the event stays at 22:30 through DST changes.
    tzinfo: dt.tzinfo = dt.UTC if zone_name == UTC_NAME else _zoneinfo(zone_name)
    start = dt.datetime.combine(first_day, slot.time, tzinfo=tzinfo)
    summary = t(_SUMMARIES[slot.name])
    link = slot_link(link, slot) if link else None
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid(slot.name))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("last-modified", now.astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("duration", dt.timedelta(minutes=routine.minutes))
    event.add("rrule", {"FREQ": "DAILY"})
    event.add("description", description(slot, routine, link, t))
    event.add("categories", [t(CALENDAR_NAME)])
    # A reminder, not an appointment: it does not make the user look busy.
    event.add("transp", "TRANSPARENT")
    event.add("class", "PRIVATE")
    if link:
        event.add("url", link)
    alarm = icalendar.Alarm()
    alarm.add("uid", f"{uid(slot.name).split('@')[0]}-alarm@anklesleep")
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(0))
    event.add_component(alarm)
    return event


def _zoneinfo(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def build(
    settings: SlotSettings,
    routines: Mapping[str, RoutinePlan],
    *,
    now: dt.datetime,
    link: str | None = None,
    first_day: dt.date | None = None,
    t: Translate = _identity,
    sequences: Mapping[SlotName, int] | None = None,
) -> bytes:
    """The calendar (.ics bytes) for the enabled slots of `settings`.

    `routines` maps each routine id a slot uses to its plan; `now` (aware) stamps the events
    and, in the user's zone, gives the first day unless `first_day` is given; `link` is the
    player's address, put in each event's description and URL (`{slot}` and `{routine}` in it
    are replaced by the event's slot and routine id); `sequences` gives each slot's revision
    number (0 when missing).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone_name = check(settings.timezone)
    tzinfo: dt.tzinfo = dt.UTC if zone_name == UTC_NAME else _zoneinfo(zone_name)
    day = first_day if first_day is not None else now.astimezone(tzinfo).date()
    import icalendar

    from anklesleep.schedule import vtimezone

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", t(CALENDAR_NAME))
    cal.add("x-wr-calname", t(CALENDAR_NAME))
    cal.add("x-wr-timezone", zone_name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    enabled = [slot for slot in settings.slots if slot.enabled]
    if enabled and zone_name != UTC_NAME:
        cal.add_component(
            vtimezone.build(
                zone_name,
                dt.date(min(_ZONE_FIRST_YEAR, day.year - 1), 1, 1),
                dt.date(day.year + vtimezone.YEARS_AHEAD + 1, 1, 1),
            )
        )
    for slot in enabled:
        routine = routines.get(slot.routine)
        if routine is None:
            raise KeyError(f"no plan for routine {slot.routine!r} used by slot {slot.name!r}")
        revision = (sequences or {}).get(slot.name, 0)
        cal.add_component(_event(slot, routine, day, zone_name, now, link, t, revision))
    data: bytes = cal.to_ical()
    return data
