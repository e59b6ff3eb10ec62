"""Translation of every user-facing string, through gettext catalogs shipped in the package.

Messages are written in English in the code and in the routine files; `pybabel` extracts them
into `locale/anklesleep.pot` (see `scripts/i18n.py`) and compiled catalogs in
`locale/<lang>/LC_MESSAGES/anklesleep.mo` translate them. English needs no catalog.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

DOMAIN = "anklesleep"
LOCALE_DIR = Path(__file__).parent / "locale"

Translate = Callable[[str], str]


@cache
def translations(language: str | None = None) -> _gettext.NullTranslations:
    """The catalog for `language` (default: $ANKLESLEEP_LANG, else English), cached."""
    lang = language or os.environ.get("ANKLESLEEP_LANG") or "en"
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def translator(language: str | None = None) -> Translate:
    """A `gettext` function for one language."""
    return translations(language).gettext


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return translations(None).gettext(message)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (translated where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return translations(None).ngettext(singular, plural, n)
