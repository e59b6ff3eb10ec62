"""Loading and saving the slot settings (times, on/off, routine per slot, time zone)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from anklesleep.schedule import SlotSettings, from_dict
from anklesleep.store import settings
from anklesleep.timezone import detect

KEY = "slots"


def load(conn: Connection, default_timezone: str | None = None) -> SlotSettings:
    """The stored slot settings; until the user picks a zone, this machine's (or the given one)."""
    stored = settings.get(conn, KEY)
    if not (stored or {}).get("timezone"):
        stored = {**(stored or {}), "timezone": default_timezone or detect()}
    return from_dict(stored)


def save(conn: Connection, value: SlotSettings, now: dt.datetime) -> None:
    settings.put(conn, KEY, value.to_dict(), now)
