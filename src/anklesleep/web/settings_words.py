"""The Settings page's messages in the page's own words: the field as its label reads and what
to put in it, instead of the command line's flags and values (`--tempo: got '9'`).

The ranges are the core's own (`routine.options`), so the page and the command line refuse the
same values; only the wording differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _
from anklesleep.routine.options import EXTRA_CIRCLE_CHOICES, FEET, RANGES, SPEECH_RATE_RANGE
from anklesleep.schedule.slots import SLOT_LABELS, SLOTS

#: Each field's label on the page (the same msgids as the template's).
LABELS: dict[str, str] = {
    "hold": N_("Toe hold"),
    "release": N_("Rest between holds"),
    "circle_pace": N_("One ankle circle"),
    "tilt_pace": N_("One heel tilt, out and in"),
    "tempo": N_("Tempo"),
    "timezone": N_("Time zone"),
    "foot_order": N_("Order"),
    "first_foot": N_("Start with"),
    "extra_circles": N_("Extra circles"),
    "speaker": N_("Voice"),
    "speech_rate": N_("Speaking pace"),
    "bed": N_("Quiet bed"),
    "theme": N_("Theme"),
    "language": N_("Language"),
}
for _slot in SLOTS:
    LABELS[f"slot_{_slot}_time"] = SLOT_LABELS[_slot]
    LABELS[f"slot_{_slot}_routine"] = SLOT_LABELS[_slot]


def place(field: str | None, form: Mapping[str, str]) -> str | None:
    """The id of the input a message about core field `field` stands next to: for the extra
    circles, the foot whose choice is not one of the list's."""
    if field == "extra_circles":
        wrong = [f for f in FEET if form.get(f"extra_circles_{f}") not in EXTRA_CIRCLE_CHOICES]
        return f"extra_circles_{(wrong or ['left'])[0]}"
    return field


def plain_message(field: str | None, fallback: str) -> str:
    """What to tell a person about a wrong value in `field`, in the page's words; `fallback`
    (the core's own message) for a field the page does not show."""
    if field is None or field not in LABELS:
        return fallback
    name = _(LABELS[field])
    if field == "tempo":
        low, high = RANGES[field]
        return _("{field}: use a number from {low} to {high}.").format(
            field=name, low=f"{low:g}", high=f"{high:g}"
        )
    if field in RANGES:
        low, high = RANGES[field]
        return _(
            "{field}: use a number of seconds from {low} to {high}, or leave it blank for the "
            "routine's own timing."
        ).format(field=name, low=f"{low:g}", high=f"{high:g}")
    if field == "speech_rate":
        low, high = SPEECH_RATE_RANGE
        return _(
            "{field}: use a number of words a minute from {low} to {high}, or leave it blank."
        ).format(field=name, low=low, high=high)
    if field.endswith("_time"):
        return _("{field}: give a time of day.").format(field=name)
    if field == "timezone":
        return _(
            "{field}: that is not a time zone name; use one like Europe/London or Asia/Tokyo."
        ).format(field=name)
    if field == "extra_circles":
        return _("{field}: choose one of the choices given.").format(field=_("Extra circles"))
    return _("{field}: choose one of the choices given.").format(field=name)


def _checks(form: Mapping[str, str]) -> dict[str, Callable[[], object]]:
    """One check per field the page shows, each reading only its own field (the core's rules)."""
    from anklesleep.routine import options
    from anklesleep.schedule import timezones
    from anklesleep.schedule.slots import parse_time

    def text(name: str) -> str | None:
        value = form.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    checks: dict[str, Callable[[], object]] = {}
    for name in RANGES:
        default = "1" if name == "tempo" else None
        checks[name] = partial(options.validate, **{name: text(name) or default})
    checks["speech_rate"] = partial(options.check_speech_rate, text("speech_rate"))
    checks["bed"] = partial(options.check_bed, text("bed"))
    checks["timezone"] = partial(timezones.check, text("timezone") or "UTC")
    for slot in SLOTS:
        field = f"slot_{slot}_time"
        checks[field] = partial(parse_time, text(field) or "", field)
    return checks


def problems(form: Mapping[str, str], first: AnkleSleepError) -> dict[str, str]:
    """Every wrong field of the settings form at once, each in the page's words, keyed by the
    input it stands next to; `first` (the error that stopped the save) is always among them."""
    found: dict[str, str] = {}
    for name, check in _checks(form).items():
        try:
            check()
        except AnkleSleepError as exc:
            found[place(exc.field, form) or name] = plain_message(exc.field, exc.message)
    where = place(first.field, form) or "form"
    found.setdefault(where, plain_message(first.field, first.message))
    return found
