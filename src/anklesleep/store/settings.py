"""User settings: JSON values under known keys, with defaults when unset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select

from anklesleep.store.tables import settings
from anklesleep.store.upsert import upsert

#: Keys in use, with their defaults. Modules that add a setting add its key here.
DEFAULTS: dict[str, Any] = {
    "safety_acknowledged_at": None,  # ISO timestamp of the first acknowledgement
    "calendar_exported_at": None,  # ISO timestamp of the last `anklesleep calendar -o FILE`
}


def get(conn: Connection, key: str, default: Any = None) -> Any:
    """The stored value of `key`, else `default`, else the documented default."""
    value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()
    if value is None:
        return default if default is not None else DEFAULTS.get(key)
    return value


def get_all(conn: Connection) -> dict[str, Any]:
    stored = {row.key: row.value for row in conn.execute(select(settings))}
    return {**DEFAULTS, **stored}


def put(conn: Connection, key: str, value: Any, now: dt.datetime) -> None:
    """Store `value` under `key` (insert or replace) in the caller's transaction."""
    upsert(conn, settings, {"key": key, "value": value, "updated_at": now}, ["key"])
