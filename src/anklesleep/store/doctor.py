"""Looking for stored values the app could not use, and removing the settings among them.

Every stored row is checked by the same rules as an import. A bad setting is removed on repair
(the app then uses that setting's default, as it already does when reading it); a bad diary or
session row is only reported, since removing it would lose what the user wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Time, TypeDecorator, delete, select

from anklesleep.basics.i18n import _
from anklesleep.store import setting_values, transfer
from anklesleep.store.tables import metadata, settings


@dataclass(frozen=True)
class Finding:
    """One stored row that fails its checks."""

    table: str
    where: str  # which row, e.g. "settings slots" or "sleep_entries row 3"
    problem: str
    repairable: bool  # True when repair removes it (a setting, which has a default)
    key: str | None = None
    damaged: bool = False  # its bytes cannot be read back at all


def _reader(column: Column[Any]) -> Callable[[str], object] | None:
    """How to read `column`'s stored text back, for dates and times (None: not one)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat
    if isinstance(kind, Date):
        return dt.date.fromisoformat
    if isinstance(kind, Time):
        return dt.time.fromisoformat
    return None


def unreadable(conn: Connection) -> list[Finding]:
    """Dates and times stored in SQLite that cannot be read back (damaged bytes): SQLite keeps
    them as text, and SQLAlchemy fails on a row it cannot parse, so they are read here as the
    text they are. (PostgreSQL keeps typed values; nothing to look for there.)"""
    if conn.dialect.name != "sqlite":
        return []
    found: list[Finding] = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if _reader(c) is not None]
        if not columns:
            continue
        names = ", ".join(f'"{c.name}"' for c in columns)
        for rowid, *values in conn.exec_driver_sql(f'SELECT rowid, {names} FROM "{table.name}"'):
            for column, value in zip(columns, values, strict=True):
                if value is None:
                    continue
                read = _reader(column)
                try:
                    if read is not None:
                        read(str(value))
                except ValueError:
                    found.append(
                        Finding(
                            table.name,
                            f"{table.name} row {rowid}",
                            _("the stored {column} cannot be read (damaged)").format(
                                column=column.name
                            ),
                            False,
                            damaged=True,
                        )
                    )
    return found


def examine(conn: Connection, today: dt.date, now: dt.datetime) -> list[Finding]:
    """Every stored row that an import would refuse, as findings."""
    found: list[Finding] = []
    for row in conn.execute(select(settings.c.key, settings.c.value)):
        problem = setting_values.problem(row.key, row.value)
        if problem is not None:
            found.append(Finding("settings", f"settings {row.key}", problem, True, row.key))
    damaged = unreadable(conn)
    if damaged:  # the rows cannot be read as a whole until these are corrected
        return found + damaged
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
