"""Translation of every user-facing string, through gettext catalogs shipped in the package.

Messages are written in English in the code and in the routine files; `pybabel` extracts them
into `locale/anklesleep.pot` (see `scripts/i18n.py`) and compiled catalogs in
`locale/<lang>/LC_MESSAGES/anklesleep.mo` translate them. English needs no catalog.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext as _gettext

DOMAIN = "anklesleep"
# os.path rather than pathlib, and gettext imported on first use: the CLI starts faster.
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "locale")  # noqa: PTH118, PTH120

Translate = Callable[[str], str]


def language() -> str:
    """The current language's code ($ANKLESLEEP_LANG, else English), e.g. for `<html lang>`."""
    return os.environ.get("ANKLESLEEP_LANG") or "en"


@cache
def translations(language: str | None = None) -> _gettext.NullTranslations:
    """The catalog for `language` (default: $ANKLESLEEP_LANG, else English), cached."""
    import gettext as _gettext

    lang = language or os.environ.get("ANKLESLEEP_LANG") or "en"
    if lang == "en":
        # English is the source language: no catalog to read.
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


class Translator:
    """A `gettext` function for one language that also knows its plural forms (see `nt`)."""

    def __init__(self, catalog: _gettext.NullTranslations) -> None:
        self._catalog = catalog

    def __call__(self, message: str) -> str:
        # gettext("") would return the catalog's header, never what a caller means.
        return self._catalog.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    @property
    def language(self) -> str:
        """The catalog's language code (its `Language:` header), "en" for the source text."""
        return str(self._catalog.info().get("language") or "en")


def translator(language: str | None = None) -> Translator:
    """A `gettext` function for one language."""
    return Translator(translations(language))


def language_of(t: Translate) -> str:
    """The language `t` translates into ("en" for a plain function), e.g. for `<html lang>`."""
    return str(getattr(t, "language", "en"))


def nt(singular: str, plural: str, n: int, t: Translate) -> str:
    """The message with a count `n`, in the language of `t` (English rules when `t` is a plain
    function without plural forms). `t` comes last so that the extractor finds the messages."""
    forms = getattr(t, "ngettext", None)
    if callable(forms):
        return str(forms(singular, plural, n))
    return singular if n == 1 else plural


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return translations(None).gettext(message) if message else message


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (translated where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return translations(None).ngettext(singular, plural, n)
