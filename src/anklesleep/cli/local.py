"""The user's slot settings and local time, for the commands that log and list sessions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from anklesleep.schedule import SlotSettings

if TYPE_CHECKING:
    from sqlalchemy import Engine


def slot_settings(engine: Engine) -> tuple[SlotSettings, dt.tzinfo]:
    """The stored slot settings and the user's time zone.

    The zone is the one saved with the slot settings; before any are saved, this machine's
    zone (see `anklesleep.timezone.detect`).
    """
    from zoneinfo import ZoneInfo

    from anklesleep import timezone
    from anklesleep.store import settings, slots

    with engine.connect() as conn:
        raw = settings.get(conn, slots.KEY)
        loaded = slots.load(conn)
    name = raw.get("timezone") if isinstance(raw, dict) else None
    zone_name = timezone.check(str(name)) if name else timezone.detect()
    return loaded, ZoneInfo(zone_name)


def local_now(zone: dt.tzinfo) -> dt.datetime:
    """Now, as an aware datetime in `zone`."""
    return dt.datetime.now(dt.UTC).astimezone(zone)
