"""Looking for stored values the app could not use, and removing the settings among them.

Every stored row is checked by the same rules as an import. A bad setting is removed on repair
(the app then uses that setting's default, as it already does when reading it); a bad diary or
session row is only reported, since removing it would lose what the user wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select

from anklesleep.store import setting_values, transfer
from anklesleep.store.tables import settings


@dataclass(frozen=True)
class Finding:
    """One stored row that fails its checks."""

    table: str
    where: str  # which row, e.g. "settings slots" or "sleep_entries row 3"
    problem: str
    repairable: bool  # True when repair removes it (a setting, which has a default)
    key: str | None = None


def examine(conn: Connection, today: dt.date, now: dt.datetime) -> list[Finding]:
    """Every stored row that an import would refuse, as findings."""
    found: list[Finding] = []
    for row in conn.execute(select(settings.c.key, settings.c.value)):
        problem = setting_values.problem(row.key, row.value)
        if problem is not None:
            found.append(Finding("settings", f"settings {row.key}", problem, True, row.key))
    tables = transfer.collect(conn)
    tables.pop("settings", None)
    _rows, problems = transfer.check(transfer.incoming_from_tables(tables), today, now)
    for line in problems:
        where, _sep, problem = line.partition(": ")
        found.append(Finding(where.split(" row ")[0], where, problem, False))
    return found


def repair(conn: Connection, findings: list[Finding]) -> int:
    """Remove the repairable findings (bad settings) in the caller's transaction; how many."""
    keys = [f.key for f in findings if f.repairable and f.key is not None]
    if keys:
        conn.execute(delete(settings).where(settings.c.key.in_(keys)))
    return len(keys)
