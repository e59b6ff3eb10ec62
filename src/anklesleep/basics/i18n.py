"""Translation of every user-facing string, through gettext catalogs shipped in the package.

Messages are written in English in the code and in the routine files; `pybabel` extracts them
into `locale/anklesleep.pot` (see `scripts/i18n.py`) and compiled catalogs in
`locale/<lang>/LC_MESSAGES/anklesleep.mo` translate them. English needs no catalog.

The current language belongs to one request or one command, never to the process: it is a
context variable (`using(lang)`, `set_language(lang)`), read by `_()`, `ngettext()`,
`translator()` and the web templates, so two web requests in two languages never mix. The
languages offered are English and every language with a shipped catalog (`available()`):
a third language needs only its catalog.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext as _gettext

DOMAIN = "anklesleep"
SOURCE = "en"
# os.path rather than pathlib, and gettext imported on first use: the CLI starts faster.
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "locale")  # noqa: PTH118, PTH120

Translate = Callable[[str], str]

_current: ContextVar[str] = ContextVar("anklesleep_language", default=SOURCE)


@cache
def available() -> tuple[str, ...]:
    """English, then every language with a compiled catalog in the package, sorted."""
    found = set()
    if os.path.isdir(LOCALE_DIR):  # noqa: PTH112
        for name in os.listdir(LOCALE_DIR):  # noqa: PTH208
            mo = os.path.join(LOCALE_DIR, name, "LC_MESSAGES", DOMAIN + ".mo")  # noqa: PTH118
            if name != SOURCE and os.path.isfile(mo):  # noqa: PTH113
                found.add(name)
    return (SOURCE, *sorted(found))


def supported(code: str | None) -> str | None:
    """The offered language that `code` names (`ja`, `ja-JP`, `ja_JP.UTF-8`, `JA`), else None.

    The POSIX locales "C" and "POSIX" name no language."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").lower()
    langs = available()
    if base in langs:
        return base
    head = base.split("_")[0]
    return head if head in langs else None


def current_language() -> str:
    """The language of this request or command."""
    return _current.get()


def set_language(language: str) -> Token[str]:
    """Make `language` current in this context (a request's task, a command's run)."""
    return _current.set(supported(language) or SOURCE)


def reset_language(token: Token[str]) -> None:
    """Give back the language that was current before `set_language` returned `token`."""
    _current.reset(token)


@contextmanager
def using(language: str) -> Iterator[str]:
    """Run the block in `language` (restored afterwards)."""
    token = set_language(language)
    try:
        yield current_language()
    finally:
        _current.reset(token)


@cache
def _catalog(language: str) -> _gettext.NullTranslations:
    import gettext as _gettext

    if language == SOURCE:
        # English is the source language: no catalog to read.
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


class Translator:
    """A `gettext` function for one language that also knows its plural forms (see `nt`)."""

    def __init__(self, catalog: _gettext.NullTranslations, language: str = SOURCE) -> None:
        self._catalog = catalog
        self.language = language

    def __call__(self, message: str) -> str:
        # gettext("") would return the catalog's header, never what a caller means.
        return self._catalog.gettext(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)


def translator(language: str | None = None) -> Translator:
    """A `gettext` function for one language (default: the current one)."""
    lang = (supported(language) or SOURCE) if language else current_language()
    return Translator(_catalog(lang), lang)


def language_of(t: Translate) -> str:
    """The language a translate function writes in (English for a plain function)."""
    language = getattr(t, "language", None)
    return language if isinstance(language, str) else SOURCE


def nt(singular: str, plural: str, n: int, t: Translate) -> str:
    """The message with a count `n`, in the language of `t` (English rules when `t` is a plain
    function without plural forms). `t` comes last so that the extractor finds the messages."""
    forms = getattr(t, "ngettext", None)
    if callable(forms):
        return str(forms(singular, plural, n))
    return singular if n == 1 else plural


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _catalog(current_language()).gettext(message) if message else message


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (translated where shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _catalog(current_language()).ngettext(singular, plural, n)


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a count for extraction (translated where shown, with `ngettext`)."""
    return singular, plural
