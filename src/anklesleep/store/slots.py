"""Loading and saving the slot settings (times, on/off, routine per slot, time zone)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import Connection

from anklesleep.schedule import timezones as timezone
from anklesleep.schedule.slots import SlotSettings, from_dict
from anklesleep.store import settings
from anklesleep.store.setting_values import check, parse_or_default

KEY = "slots"


def load(conn: Connection, default_timezone: str | None = None) -> SlotSettings:
    """The stored slot settings; until the user picks a zone, this computer's zone (detected
    now, so it follows the computer when it travels), or `default_timezone` when given."""
    value = parse_or_default(
        KEY,
        settings.get(conn, KEY),
        lambda raw: from_dict(check(KEY, raw)),
        replace(SlotSettings(), timezone_auto=True),
    )
    if value.timezone_auto:
        value = replace(value, timezone=default_timezone or timezone.detect())
    return value


def save(conn: Connection, value: SlotSettings, now: dt.datetime) -> None:
    settings.put(conn, KEY, value.to_dict(), now)
