"""Insert-or-replace that works the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table


def upsert(conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str]) -> None:
    """Insert `values`, or update the row with the same `keys` (a unique constraint)."""
    # The dialect modules load on the first write: reading commands start without them.
    from sqlalchemy.dialects import postgresql, sqlite

    changes = {k: v for k, v in values.items() if k not in keys}
    if conn.dialect.name == "postgresql":
        pg = postgresql.insert(table).values(**values)
        conn.execute(pg.on_conflict_do_update(index_elements=list(keys), set_=changes))
    elif conn.dialect.name == "sqlite":
        lite = sqlite.insert(table).values(**values)
        conn.execute(lite.on_conflict_do_update(index_elements=list(keys), set_=changes))
    else:  # any other back end: the portable two-step form, inside the caller's transaction
        where = [table.c[k] == values[k] for k in keys]
        if conn.execute(table.update().where(*where).values(**changes)).rowcount == 0:
            conn.execute(table.insert().values(**values))
