"""The revision number (SEQUENCE) of each reminder event, raised whenever the event changes.

Stored as one setting: for each slot, the event's last fingerprint and its revision number.
An export whose event reads the same keeps the number; any change raises it by one, so two
exports in the same minute still differ when a time changed in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import Connection

from anklesleep.store import settings

KEY = "calendar_revisions"


def sequences(
    conn: Connection, fingerprints: Mapping[str, str], now: dt.datetime
) -> dict[str, int]:
    """Each slot's revision number for events that read `fingerprints` (by slot name), raising
    and storing the number of every slot whose event changed, in the caller's transaction."""
    raw = settings.get(conn, KEY)
    stored: dict[str, dict[str, object]] = raw if isinstance(raw, dict) else {}
    result: dict[str, int] = {}
    changed = False
    for slot, text in fingerprints.items():
        entry = stored.get(slot)
        number = entry.get("sequence") if isinstance(entry, dict) else None
        current = number if isinstance(number, int) and not isinstance(number, bool) else -1
        if not isinstance(entry, dict) or entry.get("fingerprint") != text or current < 0:
            current += 1
            stored = {**stored, slot: {"sequence": current, "fingerprint": text}}
            changed = True
        result[slot] = current
    if changed:
        settings.put(conn, KEY, stored, now)
    return result
