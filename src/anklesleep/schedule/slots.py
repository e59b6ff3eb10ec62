"""The three daily slots (morning, home, bedtime): their times and which slot a moment is in.

Pure: the local time and the slot settings are arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, Translate, _

SlotName = Literal["morning", "home", "bedtime"]
SLOTS: tuple[SlotName, ...] = ("morning", "home", "bedtime")
SLOT_LABELS: dict[SlotName, str] = {
    "morning": N_("Morning, right after getting up"),
    "home": N_("Back home"),
    "bedtime": N_("Bedtime, after a bath"),
}
#: the slots' short names, for tables and lists (the English ones are the keys themselves)
SLOT_NAMES: dict[SlotName, str] = {
    "morning": N_("morning"),
    "home": N_("home"),
    "bedtime": N_("bedtime"),
}


def slot_name(name: str, t: Translate) -> str:
    """A slot's short name in the language of `t` (an unknown key is shown as it is)."""
    return t(SLOT_NAMES[name]) if name in SLOT_NAMES else name


DEFAULT_TIMES: dict[SlotName, dt.time] = {
    "morning": dt.time(7, 0),
    "home": dt.time(18, 30),
    "bedtime": dt.time(22, 0),
}


@dataclass(frozen=True)
class Slot:
    """One daily slot: its reminder time, whether it is on, and which routine it uses."""

    name: SlotName
    time: dt.time
    enabled: bool = True
    routine: str = "full"


@dataclass(frozen=True)
class SlotSettings:
    """All three slots and the user's IANA time zone."""

    slots: tuple[Slot, ...] = field(
        default_factory=lambda: tuple(Slot(n, DEFAULT_TIMES[n]) for n in SLOTS)
    )
    timezone: str = "UTC"
    #: True until the user picks a zone: the stored settings then follow this computer's zone
    #: (filled in by `store.slots.load`), so a laptop that travels keeps local reminders.
    timezone_auto: bool = False

    def slot(self, name: SlotName) -> Slot:
        return next(s for s in self.slots if s.name == name)

    def with_slot(self, slot: Slot) -> SlotSettings:
        return replace(self, slots=tuple(slot if s.name == slot.name else s for s in self.slots))

    def to_dict(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "timezone_auto": self.timezone_auto,
            "slots": {
                s.name: {
                    "time": s.time.strftime("%H:%M"),
                    "enabled": s.enabled,
                    "routine": s.routine,
                }
                for s in self.slots
            },
        }


def check_slot_name(name: str) -> SlotName:
    if name not in SLOTS:
        raise AnkleSleepError(
            _("slot: got {name!r}; use one of {slots}").format(name=name, slots=", ".join(SLOTS)),
            field="slot",
        )
    return name


def parse_time(value: str, field_name: str = "time") -> dt.time:
    """`HH:MM` (24-hour) to a time, or one clear error."""
    try:
        parsed = dt.datetime.strptime(value.strip(), "%H:%M").time()
    except (ValueError, AttributeError):
        raise AnkleSleepError(
            _("{field_name}: got {value!r}; use a 24-hour time like 07:00 or 22:30").format(
                field_name=field_name, value=value
            ),
            field=field_name,
        ) from None
    return parsed


def _shape_error(where: str, expected: str) -> AnkleSleepError:
    return AnkleSleepError(
        _("{where}: expected {expected}; save the slots again to repair it").format(
            where=where, expected=expected
        ),
        field=where,
    )


def from_dict(data: object) -> SlotSettings:
    """Slot settings from their stored form, defaults filling the gaps.

    Anything that `SlotSettings.to_dict` could not have written (a value of the wrong type, an
    unknown slot or key, a bad time) raises one line naming the part that is wrong.
    """
    base = SlotSettings()
    if not data:
        return replace(base, timezone_auto=True)
    if not isinstance(data, Mapping):
        raise _shape_error("slots", _("an object with timezone and slots"))
    unknown = sorted(set(data) - {"timezone", "timezone_auto", "slots"})
    if unknown:
        raise _shape_error(f"slots.{unknown[0]}", _("no such key"))
    zone = data.get("timezone")
    if zone is not None and not isinstance(zone, str):
        raise _shape_error("slots.timezone", _("a time zone name such as Europe/Paris"))
    auto = data.get("timezone_auto", False)
    if not isinstance(auto, bool):
        raise _shape_error("slots.timezone_auto", _("true or false"))
    result = replace(base, timezone=zone or base.timezone, timezone_auto=auto or not zone)
    by_slot = data.get("slots") or {}
    if not isinstance(by_slot, Mapping):
        raise _shape_error("slots.slots", _("an object by slot name"))
    for name, raw in by_slot.items():
        slot = result.slot(check_slot_name(name))
        if not isinstance(raw, Mapping):
            raise _shape_error(f"slots.{name}", _("an object with time, enabled and routine"))
        extra = sorted(set(raw) - {"time", "enabled", "routine"})
        if extra:
            raise _shape_error(f"slots.{name}.{extra[0]}", _("no such key"))
        if "time" in raw:
            if not isinstance(raw["time"], str):
                raise _shape_error(f"slots.{name}.time", _("a time like 07:00"))
            slot = replace(slot, time=parse_time(raw["time"], f"slots.{name}.time"))
        if "enabled" in raw:
            if not isinstance(raw["enabled"], bool):
                raise _shape_error(f"slots.{name}.enabled", _("true or false"))
            slot = replace(slot, enabled=raw["enabled"])
        if "routine" in raw:
            routine = raw["routine"]
            if not isinstance(routine, str) or not 0 < len(routine) <= 40:
                raise _shape_error(f"slots.{name}.routine", _("a routine name"))
            slot = replace(slot, routine=routine)
        result = result.with_slot(slot)
    return result


def change(
    settings: SlotSettings,
    name: str,
    *,
    time: str | dt.time | None = None,
    enabled: bool | None = None,
    routine: str | None = None,
    known_routines: Collection[str] | None = None,
) -> SlotSettings:
    """`settings` with slot `name` changed: its time (`HH:MM`), on/off, or routine id.

    Every value is checked first (one clear error naming the field), so a bad one changes nothing.
    `known_routines`, when given, lists the routine ids a slot may use.
    """
    slot = settings.slot(check_slot_name(name))
    if time is not None:
        slot = replace(slot, time=time if isinstance(time, dt.time) else parse_time(time))
    if enabled is not None:
        slot = replace(slot, enabled=enabled)
    if routine is not None:
        if known_routines is not None and routine not in known_routines:
            raise AnkleSleepError(
                _("routine: got {routine!r}; use one of {routines}").format(
                    routine=routine, routines=", ".join(sorted(known_routines))
                ),
                field="routine",
            )
        slot = replace(slot, routine=routine)
    return settings.with_slot(slot)


def with_timezone(settings: SlotSettings, name: str) -> SlotSettings:
    """`settings` in the IANA zone `name` (checked: one clear error for an unknown zone)."""
    from anklesleep.schedule.timezones import check

    return replace(settings, timezone=check(name), timezone_auto=False)


def with_system_timezone(settings: SlotSettings, detected: str) -> SlotSettings:
    """`settings` following this computer's zone (`detected` now) from here on."""
    return replace(with_timezone(settings, detected), timezone_auto=True)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def infer_slot(local: dt.time, settings: SlotSettings | None = None) -> SlotName:
    """The slot whose time is nearest to `local` on the 24-hour circle.

    Nearest on a circle, so 01:30 after a 22:00 bedtime still counts as bedtime, and a session at
    05:30 counts as the morning one. Disabled slots still own their window: the slot a session
    belongs to does not depend on whether its reminder is on.
    """
    slots = (settings or SlotSettings()).slots
    now = _minutes(local) + local.second / 60

    def distance(slot: Slot) -> float:
        d = abs(now - _minutes(slot.time)) % 1440
        return min(d, 1440 - d)

    return min(slots, key=distance).name


def session_day(local: dt.datetime, settings: SlotSettings | None = None) -> dt.date:
    """The day a session counts for: a bedtime session just after midnight counts for the day
    before (the evening it belongs to)."""
    slot = infer_slot(local.time(), settings)
    bedtime = (settings or SlotSettings()).slot("bedtime").time
    if slot == "bedtime" and local.time() < bedtime and local.hour < 12:
        return local.date() - dt.timedelta(days=1)
    return local.date()
