"""The language of one command: `--lang`, else `$ANKLESLEEP_LANG`, else the language stored in
the settings (shared with the web app), else the computer's locale (`LC_ALL`, `LC_MESSAGES`,
`LANG`), else English.

Chosen before click reads the command line, so that help, errors and click's own words all
come out in it. Kept light (no SQLAlchemy): the stored choice of a SQLite database is read with
the standard library, read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import SOURCE, _, available, supported
from anklesleep.basics.paths import database_url

ENV = "ANKLESLEEP_LANG"
FLAG = "--lang"
#: the locale variables, strongest first (POSIX: the first one set decides)
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
AUTO = "auto"


def _flag_values(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The values of the global `--lang` and `--db` (given before the command name)."""
    lang = db = None
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in (FLAG, "--db"):
            value = tokens[i + 1] if i + 1 < len(tokens) else ""
            if token == FLAG:
                lang = value
            else:
                db = value
            i += 2
            continue
        if token.startswith(FLAG + "="):
            lang = token.split("=", 1)[1]
        elif token.startswith("--db="):
            db = token.split("=", 1)[1]
        elif token == "--" or not token.startswith("-"):
            break  # the command's name: what follows is the command's own
        i += 1
    return lang, db


def check_flag(value: str) -> str:
    """The language `--lang` names, else one line naming the flag, the value and the choices."""
    language = value if value in available() else None
    if language is None:
        raise AnkleSleepError(
            _("{flag}: got {value!r}; choose one of: {choices}").format(
                flag=FLAG, value=value, choices=", ".join(available())
            ),
            field="lang",
        )
    return language


def from_locale(environ: Mapping[str, str]) -> str | None:
    """The language of the computer's locale (`ja_JP.UTF-8` -> ja); None when none is set or
    it names a language without a catalog (the POSIX locales C and POSIX name English)."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return SOURCE if value in ("C", "POSIX") or value.startswith("C.") else supported(value)
    return None


def stored_choice(db: str | None) -> str | None:
    """The language chosen in the settings (`anklesleep language`, the web app's Settings), or
    None for `auto`, for no database yet, or for a database this quick read cannot open."""
    url = database_url(db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_file():
            return None
        try:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0)
            try:
                row = conn.execute("SELECT value FROM settings WHERE key = 'language'").fetchone()
            finally:
                conn.close()
        except (sqlite3.Error, UnicodeDecodeError):  # damaged bytes: the command says more
            return None
        try:
            value = json.loads(row[0]) if row and isinstance(row[0], str) else None
        except (ValueError, RecursionError):
            return None
    else:
        value = _stored_elsewhere(db)
    return value if isinstance(value, str) and value in available() else None


def _stored_elsewhere(db: str | None) -> str | None:
    """The stored choice of a server database (PostgreSQL), through the store."""
    from anklesleep.store import language as language_store
    from anklesleep.store import open_database

    try:
        engine = open_database(db)
    except Exception:  # the command itself reports a database it cannot open
        return None
    try:
        with engine.connect() as conn:
            return language_store.load(conn)
    except Exception:  # a language is never worth failing the command for
        return None
    finally:
        engine.dispose()


def supported_env(environ: Mapping[str, str]) -> str | None:
    """The language `$ANKLESLEEP_LANG` names, if the app has it."""
    return supported(environ.get(ENV))


def choose(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language of this command (see the module docstring for the order)."""
    flag, db = _flag_values(argv)
    if flag is not None:
        return check_flag(flag)
    from_env = supported_env(environ)
    if from_env:
        return from_env
    return stored_choice(db) or from_locale(environ) or SOURCE
