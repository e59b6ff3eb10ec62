"""Options shared by several commands, declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from anklesleep.basics.i18n import SOURCE, current_language, set_language
from anklesleep.cli.click_words import filled
from anklesleep.routine.options import OPTION_NAMES, Options, range_text, validate

if TYPE_CHECKING:
    from sqlalchemy import Engine

F = TypeVar("F", bound=Callable[..., Any])

_TIMELINE_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--routine-file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Use this routine TOML file instead of a named routine.",
    ),
    click.option(
        "--hold",
        type=str,
        default=None,
        metavar="SECONDS",
        help=filled(
            "Seconds each toe stretch is held ({range}; routine default 5).",
            range=range_text("hold"),
        ),
    ),
    click.option(
        "--release",
        type=str,
        default=None,
        metavar="SECONDS",
        help=filled(
            "Seconds of rest between holds ({range}; our default 2).", range=range_text("release")
        ),
    ),
    click.option(
        "--circle-pace",
        type=str,
        default=None,
        metavar="SECONDS",
        help=filled(
            "Seconds per ankle circle ({range}; our default 2).", range=range_text("circle_pace")
        ),
    ),
    click.option(
        "--tilt-pace",
        type=str,
        default=None,
        metavar="SECONDS",
        help=filled(
            "Seconds per heel tilt cycle, out and in ({range}; our default 2).",
            range=range_text("tilt_pace"),
        ),
    ),
    click.option(
        "--extra-circles",
        type=str,
        default=None,
        metavar="WHICH",
        help="Five more circles after the outward ones: none, inward, outward, "
        "or per foot as left=inward,right=none.",
    ),
    click.option(
        "--foot-order",
        type=str,
        default=None,
        metavar="ORDER",
        help="by-section (toes L, toes R, ankle L, …) or by-foot (all of one foot first).",
    ),
    click.option(
        "--first-foot",
        type=str,
        default=None,
        metavar="FOOT",
        help="Start with the left (default) or right foot.",
    ),
    click.option(
        "--tempo",
        type=str,
        default=None,
        metavar="FACTOR",
        help=filled(
            "Scale every duration ({range}): 1.5 is slower, 0.8 brisker.", range=range_text("tempo")
        ),
    ),
    click.option(
        "--intro",
        type=str,
        default=None,
        metavar="WHICH",
        help="Spoken introduction: full (first times), short, or none "
        "(default: full, none for the quick routine).",
    ),
    click.option(
        "--closing",
        type=str,
        default=None,
        metavar="SLOT",
        help="Closing words for a morning, home or bedtime session (default: general ones).",
    ),
]


def timeline_options(func: F) -> F:
    """Add the routine options (`--hold`, `--tempo`, …) to a command."""
    for option in reversed(_TIMELINE_OPTIONS):
        func = option(func)
    return func


def options_from(kwargs: dict[str, Any], *, voice: bool = True) -> Options:
    """Validated `Options` from the shared flags (removing them from `kwargs`), with the voice
    and speaking rate the user stored (`anklesleep voice use`, `voice rate`)."""
    raw = {name: kwargs.pop(name, None) for name in OPTION_NAMES}
    if raw["tempo"] is None:
        raw["tempo"] = 1.0
    speaker, rate = stored_voice()
    return validate(
        **raw, voice=voice, speaker=speaker, speech_rate=rate, language=current_language()
    )


def stored_voice() -> tuple[str | None, int | None]:
    """The speech engine and rate saved in the preferences; (None, None) when nothing is saved
    (and the database is not created just to find that out). An up-to-date SQLite file is read
    without SQLAlchemy (`store.peek`), which keeps the player's start-up quick."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None, None
    from anklesleep.store import peek, preferences
    from anklesleep.store.location import sqlite_file

    url = database_location(ctx)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return None, None
    known = peek.settings(url, [preferences.KEY])
    if known is not None:
        stored = preferences.parse(known.get(preferences.KEY)).options
    else:
        with database(ctx).connect() as conn:
            stored = preferences.load(conn).options
    return stored.speaker, stored.speech_rate


def database_location(ctx: click.Context) -> str:
    """The URL of the user's database (from the global `--db`, else the default)."""
    from anklesleep.store.location import database_url

    root = ctx.find_root()
    db = (root.obj or {}).get("db") if isinstance(root.obj, dict) else None
    return database_url(db)


def database(ctx: click.Context) -> Engine:
    """The user's database (from the global `--db`, else the default), opened once per run."""
    from anklesleep.store import open_database

    root = ctx.find_root()
    root.ensure_object(dict)
    if "engine" not in root.obj:
        root.obj["engine"] = open_database(root.obj.get("db"))
        root.call_on_close(root.obj["engine"].dispose)  # close pooled connections at exit
    engine: Engine = root.obj["engine"]
    return engine


def json_words_in_english(as_json: bool) -> None:
    """With `--json` the output is for programs: its words stay in English whatever the
    language of the command, so the same data gives the same JSON (the language is this
    command's only, and ends with it)."""
    if as_json:
        set_language(SOURCE)
