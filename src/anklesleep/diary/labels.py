"""What each diary and symptom field is called on the forms, for messages that name it."""

from __future__ import annotations

from anklesleep.basics.i18n import N_, _

FIELD_LABELS: dict[str, str] = {
    "night": N_("Night"),
    "day": N_("Day"),
    "zone": N_("Time zone"),
    "into_bed": N_("Got into bed"),
    "tried_to_sleep": N_("Tried to sleep"),
    "sol_minutes": N_("Minutes to fall asleep"),
    "awakenings": N_("Times you woke up"),
    "waso_minutes": N_("Minutes awake in total"),
    "final_awakening": N_("Woke up for good"),
    "out_of_bed": N_("Got out of bed"),
    "quality": N_("Sleep quality"),
    "note": N_("Note"),
    "fold": N_("Repeated hour"),
    "confirm": N_("Confirm"),
}


def label(name: str) -> str:
    """The translated name of field `name` (the name itself when it has none)."""
    text = FIELD_LABELS.get(name)
    return _(text) if text else name
