"""The reminder calendar as the CLI writes it and the web app serves it: the events built by
`schedule.calendar`, each with the revision number the store keeps for it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from anklesleep.basics.i18n import Translate, translator
from anklesleep.routine.options import Options
from anklesleep.schedule import calendar
from anklesleep.schedule.calendar_file import routine_plans
from anklesleep.schedule.slots import SlotSettings
from anklesleep.schedule.timezones import check
from anklesleep.store import calendar_revisions


def calendar_bytes(
    engine: Engine,
    settings: SlotSettings,
    *,
    now: dt.datetime,
    link: str | None,
    options: Options | None = None,
    t: Translate | None = None,
) -> bytes:
    """The .ics bytes for `settings`; an event that changed since the last export gets a higher
    SEQUENCE (stored), an unchanged one keeps its number."""
    tr = t or translator()
    plans = routine_plans(settings, options, tr)
    zone_name = check(settings.timezone)
    prints: dict[str, str] = {
        slot.name: calendar.fingerprint(
            slot,
            plans[slot.routine],
            zone_name,
            calendar.slot_link(link, slot) if link else None,
        )
        for slot in settings.slots
        if slot.enabled
    }
    with engine.begin() as conn:
        numbers = calendar_revisions.sequences(conn, prints, now)
    sequences = {slot.name: numbers[slot.name] for slot in settings.slots if slot.name in numbers}
    return calendar.build(settings, plans, now=now, link=link, t=tr, sequences=sequences)
