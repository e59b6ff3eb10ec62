"""The web player's remembered choices: default session options and the colour theme.

Stored as one JSON value under the `preferences` key of the settings table, so the terminal
and the web app read the same defaults. Values cross this boundary as a frozen `Preferences`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.routine.options import Options, from_dict

if TYPE_CHECKING:
    from sqlalchemy import Connection

KEY = "preferences"
Theme = Literal["auto", "dark", "light"]
THEMES: tuple[Theme, ...] = ("auto", "dark", "light")


@dataclass(frozen=True)
class Preferences:
    """Default options for every new session and how the app looks."""

    options: Options = field(default_factory=Options)
    theme: Theme = "auto"

    def to_dict(self) -> dict[str, Any]:
        data = self.options.to_dict()
        data.pop("language", None)
        return {"options": data, "theme": self.theme}


def check_theme(value: object) -> Theme:
    for theme in THEMES:
        if value == theme:
            return theme
    raise AnkleSleepError(
        _("theme: got {value!r}; use one of {themes}").format(
            value=value, themes=", ".join(THEMES)
        ),
        field="theme",
    )


def from_mapping(data: Mapping[str, Any] | None) -> Preferences:
    """Preferences from their stored (or submitted) form, validated; defaults fill the gaps."""
    if not data:
        return Preferences()
    unknown = sorted(set(data) - {"options", "theme"})
    if unknown:
        raise AnkleSleepError(
            _("preferences: unknown key {unknown!r}; allowed: options, theme").format(
                unknown=unknown[0]
            ),
            field=unknown[0],
        )
    raw_options = data.get("options") or {}
    if not isinstance(raw_options, Mapping):
        raise AnkleSleepError(
            _("options: got {raw_options!r}; expected an object of option values").format(
                raw_options=raw_options
            ),
            field="options",
        )
    return Preferences(options=from_dict(raw_options), theme=check_theme(data.get("theme", "auto")))


def load(conn: Connection) -> Preferences:
    """The stored preferences; a damaged stored value falls back to the defaults."""
    from anklesleep.store import settings  # SQLAlchemy: `parse` alone stays light

    return parse(settings.get(conn, KEY))


def parse(value: object) -> Preferences:
    """Preferences from a stored value (None: nothing stored); damaged values give defaults."""
    from anklesleep.store.setting_values import parse_or_default

    return parse_or_default(KEY, value, from_mapping, Preferences())


def save(conn: Connection, value: Preferences, now: dt.datetime) -> None:
    from anklesleep.store import settings

    settings.put(conn, KEY, value.to_dict(), now)
