"""The shells' clock: now in UTC, and the user's local time and date (their chosen time zone).

Commands read the time only through these functions, so tests fix it in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from anklesleep.schedule.slots import SlotSettings

if TYPE_CHECKING:
    from sqlalchemy import Engine


def slot_settings(engine: Engine) -> tuple[SlotSettings, dt.tzinfo]:
    """The stored slot settings and the user's time zone.

    The zone is the one saved with the slot settings; before any are saved, this machine's
    zone (see `anklesleep.schedule.timezones.detect`).
    """
    from zoneinfo import ZoneInfo

    from anklesleep.store import slots

    with engine.connect() as conn:
        loaded = slots.load(conn)
    return loaded, ZoneInfo(loaded.timezone)


def utc_now() -> dt.datetime:
    """Now, as an aware UTC datetime (for stored timestamps)."""
    return dt.datetime.now(dt.UTC)


def local_now(zone: dt.tzinfo) -> dt.datetime:
    """Now, as an aware datetime in `zone`."""
    return utc_now().astimezone(zone)


def user_today(engine: Engine) -> dt.date:
    """Today's date in the user's time zone (the same day the web app and `today` show)."""
    _settings, zone = slot_settings(engine)
    return local_now(zone).date()
