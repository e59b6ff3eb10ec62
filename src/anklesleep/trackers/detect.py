"""Recognizing an export by its content (never its name) and reading every file in it."""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.trackers import apple_health, fitbit_csv, fitbit_json, sleep_as_android
from anklesleep.trackers.files import Member, members
from anklesleep.trackers.nights import drop_repeats, drop_short, mark_naps
from anklesleep.trackers.records import Reading

Reader = Callable[[IO[bytes], str, dt.tzinfo, Reading], None]
#: format label -> (recognizer on the first bytes as text, reader); tried in this order
FORMATS: dict[str, tuple[Callable[[str], bool], Reader]] = {
    "Apple Health": (apple_health.looks_like, apple_health.read),
    "Sleep as Android": (sleep_as_android.looks_like, sleep_as_android.read),
    "Fitbit JSON": (fitbit_json.looks_like, fitbit_json.read),
    "Fitbit CSV": (fitbit_csv.looks_like, fitbit_csv.read),
}


def recognize(head: bytes) -> str | None:
    """The format label of a file starting with `head`, or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            return None
        return "UTF-16" if any(looks(text) for looks, _read in FORMATS.values()) else None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    for label, (looks, _read) in FORMATS.items():
        if looks(text):
            return label
    return None


def _refuse_unknown(path: Path) -> AnkleSleepError:
    return AnkleSleepError(
        _(
            "file: {name} is not a sleep export anklesleep can read; give Sleep as Android's "
            "sleep-export.csv, a Fitbit sleep CSV or JSON export, or Apple Health's export.xml "
            "or export.zip"
        ).format(name=path.name or str(path)),
        field="file",
    )


def read_export(path: Path, zone: dt.tzinfo) -> Reading:
    """Every tracker night in `path` (a file, a folder or a zip), naps marked, repeats and test
    recordings skipped. Raises `AnkleSleepError` (one line) on anything it cannot read."""
    found: list[tuple[str, Member]] = []
    for member in members(path):
        label = recognize(member.head())
        if label == "UTF-16":
            from anklesleep.trackers.text import not_utf8

            raise not_utf8(member.name)
        if label is not None:
            found.append((label, member))
    if not found:
        raise _refuse_unknown(path)
    labels = sorted({label for label, _member in found})
    reading = Reading(format=", ".join(labels))
    for label, member in found:
        try:
            with member.open() as stream:
                FORMATS[label][1](stream, member.name, zone, reading)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise AnkleSleepError(
                _("{file}: is damaged or cut short ({why}); download the export again").format(
                    file=member.name, why=exc
                ),
                field="file",
            ) from None
    kept = drop_repeats(reading.nights, reading.skipped)
    kept = drop_short(kept, reading.skipped)
    reading.nights = sorted(mark_naps(kept), key=lambda n: (n.start, n.source))
    return reading
