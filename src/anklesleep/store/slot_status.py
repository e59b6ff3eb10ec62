"""Whether a slot's session is already done on a day, read from the session log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from anklesleep.practice.records import day_status
from anklesleep.schedule.slots import SlotName
from anklesleep.store.sessions import list_sessions


def is_done(conn: Connection, slot: SlotName, day: dt.date) -> bool:
    """True when `slot` has a completed session counted for `day` (stopped ones do not count)."""
    return day_status(list_sessions(conn, day, day), day)[slot] == "done"


def done_checker(engine: Engine) -> Callable[[SlotName, dt.date], bool]:
    """`is_done` bound to a database, for the reminder service.

    A database error (locked, briefly unavailable) counts as "not done": one reminder too many
    is better than a missed one.
    """

    def check(slot: SlotName, day: dt.date) -> bool:
        try:
            with engine.connect() as conn:
                return is_done(conn, slot, day)
        except SQLAlchemyError:
            return False

    return check
