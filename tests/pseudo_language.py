"""A pseudo-translation for tests: every message of the catalog template comes out in wide
(full-width) letters, and the separators behave like Japanese ones.

Whatever is left in plain ASCII letters in the output was never looked up in the catalog: a
raw key, a routine id, an English word glued into a translated sentence. Wide letters fill two
terminal columns, as Japanese does, so the same run shows columns that ignore display width.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Collection, Iterator
from functools import cache
from pathlib import Path

import pytest

from anklesleep.basics import i18n

POT = Path(__file__).resolve().parent.parent / "src" / "anklesleep" / "locale" / "anklesleep.pot"
#: placeholders and markup kept as they are
_KEEP = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[-0-9.]*[sdfr]|%[sdf]|<[^>]*>|&[a-z]+;")
#: the separators, written the Japanese way (sentences back to back, lists with 、)
SEPARATORS = {
    "{sentences} {sentence}": "{sentences}{sentence}",
    "{items}, {item}": "{items}、{item}",
}


@cache
def catalog_ids() -> frozenset[str]:
    from babel.messages.pofile import read_po

    with POT.open("rb") as fh:
        template = read_po(fh)
    ids: set[str] = set()
    for message in template:
        if message.id:
            ids.update(message.id if isinstance(message.id, tuple) else (message.id,))
    return frozenset(ids)


def widen(text: str) -> str:
    """ASCII letters as their full-width forms, outside placeholders and markup."""
    out, last = [], 0
    for kept in _KEEP.finditer(text):
        out.append(_wide(text[last : kept.start()]))
        out.append(kept.group())
        last = kept.end()
    out.append(_wide(text[last:]))
    return "".join(out)


def _wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def pseudo(message: str) -> str:
    if message in SEPARATORS:
        return SEPARATORS[message]
    return widen(message) if message in catalog_ids() else message


class PseudoTranslations(gettext.NullTranslations):
    """A catalog that knows exactly the template's messages."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


class PseudoTranslate:
    """A translate function (with plural forms) for the pure functions that take `t`."""

    def __call__(self, message: str) -> str:
        return pseudo(message) if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)


def _clear_caches() -> None:
    for name in ("_catalog", "available"):
        cached = getattr(i18n, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


@pytest.fixture
def pseudo_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the command line in the pseudo language (it stands in for Japanese)."""

    def translation(*args: object, **kwargs: object) -> gettext.NullTranslations:
        return PseudoTranslations()

    monkeypatch.setattr(gettext, "translation", translation)
    monkeypatch.setenv("ANKLESLEEP_LANG", "ja")
    _clear_caches()
    yield
    monkeypatch.undo()
    _clear_caches()


def english_words(text: str, allowed: Collection[str] = ()) -> list[str]:
    """Words of two or more plain ASCII letters left in `text`, except the `allowed` ones."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed]
