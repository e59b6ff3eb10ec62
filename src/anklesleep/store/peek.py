"""A few settings read straight from an up-to-date SQLite file, without SQLAlchemy.

For the terminal player's start-up: its first frame needs only the stored voice and whether the
safety notes were acknowledged, and loading SQLAlchemy to read them would double the wait. The
file is opened read-only and trusted only when its schema is the current one (`HEAD_REVISION`);
in every other case (another database, a missing, older, newer, locked or damaged file) the
answer is None and the caller opens the database the usual way, which checks, repairs and
migrates it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from anklesleep.store.location import HEAD_REVISION, sqlite_file


def settings(url: str, keys: Sequence[str]) -> dict[str, Any] | None:
    """The stored values of `keys` (keys without a value are left out), or None when the
    database cannot be read this way."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if revision != [(HEAD_REVISION,)]:
            return None
        marks = ", ".join("?" for _ in keys)
        rows = conn.execute(
            f"SELECT key, value FROM settings WHERE key IN ({marks})",
            tuple(keys),
        ).fetchall()
        values = {str(key): json.loads(value) for key, value in rows if value is not None}
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
    return {key: value for key, value in values.items() if value is not None}
