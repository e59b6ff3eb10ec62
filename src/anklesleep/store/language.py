"""The language the user chose for both the web app and the terminal: `auto` (the browser's
or the computer's), or one of the languages with a catalog. Kept under the `language` key."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, available
from anklesleep.store import settings

KEY = "language"
AUTO = "auto"


def choices() -> tuple[str, ...]:
    """`auto`, then every language the app can show."""
    return (AUTO, *available())


def check(value: Any) -> str:
    """`value` if it is a language choice, else one line naming the choices."""
    if isinstance(value, str) and value in choices():
        return value
    raise AnkleSleepError(
        _("language: got {value!r}; use one of {choices}").format(
            value=value, choices=", ".join(choices())
        ),
        field=KEY,
    )


def load(conn: Connection) -> str:
    """The stored choice; `auto` when none is stored or the stored one is no longer offered."""
    value = settings.get(conn, KEY)
    return value if isinstance(value, str) and value in choices() else AUTO


def save(conn: Connection, value: str, now: dt.datetime) -> None:
    settings.put(conn, KEY, check(value), now)
