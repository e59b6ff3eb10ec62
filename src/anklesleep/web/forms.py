"""Turning submitted form fields into the core's values, with one clear error per mistake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.routine.options import FEET, Options, validate
from anklesleep.schedule import timezones as timezone
from anklesleep.schedule.slots import SLOTS, SlotSettings, parse_time
from anklesleep.store.preferences import Preferences, check_theme

OPTION_NUMBERS = ("hold", "release", "circle_pace", "tilt_pace")


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(form: Mapping[str, Any], name: str) -> str | None:
    value = form.get(name)
    return None if blank(value) else str(value).strip()


def options_from_form(form: Mapping[str, Any], language: str = "en") -> Options:
    """Session options from the settings (or player) form; blank numbers mean "routine default"."""
    raw: dict[str, Any] = {name: text(form, name) for name in OPTION_NUMBERS}
    raw["tempo"] = text(form, "tempo") or "1"
    extra = {}
    for foot in FEET:
        direction = text(form, f"extra_circles_{foot}") or "none"
        extra[foot] = direction
    raw["extra_circles"] = extra
    order = text(form, "foot_order")
    raw["foot_order"] = None if order in (None, "routine") else order
    raw["first_foot"] = text(form, "first_foot") or "left"
    raw["voice"] = form.get("voice") in ("on", "true", "1", "yes")
    raw["language"] = language
    speaker = text(form, "speaker")
    raw["speaker"] = None if speaker in (None, "", "auto") else speaker
    raw["speech_rate"] = text(form, "speech_rate") or None
    raw["bed"] = text(form, "bed") or None
    return validate(**raw)


def slots_from_form(form: Mapping[str, Any], current: SlotSettings) -> SlotSettings:
    """Slot times, on/off and routine per slot, and the time zone, from the settings form."""
    result = replace(current, timezone=timezone.check(text(form, "timezone") or "UTC"))
    for name in SLOTS:
        slot = result.slot(name)
        field = f"slot_{name}_time"
        time = parse_time(text(form, field) or "", field)
        routine = text(form, f"slot_{name}_routine") or slot.routine
        if routine not in ("full", "quick"):
            raise AnkleSleepError(
                _("slot_{name}_routine: got {routine!r}; use full or quick").format(
                    name=name, routine=routine
                ),
                field=f"slot_{name}_routine",
            )
        enabled = form.get(f"slot_{name}_enabled") in ("on", "true", "1", "yes")
        result = result.with_slot(replace(slot, time=time, enabled=enabled, routine=routine))
    return result


def preferences_from_form(form: Mapping[str, Any], language: str = "en") -> Preferences:
    return Preferences(
        options=options_from_form(form, language), theme=check_theme(text(form, "theme") or "auto")
    )
