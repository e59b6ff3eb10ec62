"""Loading and saving the slot settings (times, on/off, routine per slot, time zone)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from anklesleep.schedule import SlotSettings, from_dict
from anklesleep.store import settings

KEY = "slots"


def load(conn: Connection) -> SlotSettings:
    return from_dict(settings.get(conn, KEY))


def save(conn: Connection, value: SlotSettings, now: dt.datetime) -> None:
    settings.put(conn, KEY, value.to_dict(), now)
