"""The user's reminder calendar as a file or a download: the I/O around the pure `calendar`.

Loads the routines the slots use (built-in or the user's own), measures each one's length with
the timeline, builds the .ics bytes, and writes them atomically (a temporary file renamed into
place, so a failed write never leaves half a calendar behind). The CLI's `calendar` command and
the web app's `/calendar.ics` both call `calendar_bytes`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path

from anklesleep import calendar, routines
from anklesleep.errors import AnkleSleepError
from anklesleep.i18n import Translate, translator
from anklesleep.options import Options
from anklesleep.schedule import SlotSettings
from anklesleep.timeline import estimate_speech_seconds

#: The web app's address on this machine, used for the player link unless another is given.
DEFAULT_LINK = "http://127.0.0.1:8000/"


def routine_plans(
    settings: SlotSettings, options: Options | None = None, t: Translate | None = None
) -> dict[str, calendar.RoutinePlan]:
    """Name, summary and length of every routine an enabled slot uses, played with `options`."""
    tr = t or translator()
    chosen = options or Options()
    plans: dict[str, calendar.RoutinePlan] = {}
    for slot in settings.slots:
        if slot.enabled and slot.routine not in plans:
            routine = routines.load(slot.routine)
            plans[slot.routine] = calendar.plan(routine, chosen, estimate_speech_seconds, tr)
    return plans


def calendar_bytes(
    settings: SlotSettings,
    *,
    now: dt.datetime,
    link: str | None = DEFAULT_LINK,
    options: Options | None = None,
    t: Translate | None = None,
) -> bytes:
    """The .ics calendar for `settings` (see `calendar.build`), routines loaded and measured."""
    tr = t or translator()
    plans = routine_plans(settings, options, tr)
    return calendar.build(settings, plans, now=now, link=link, t=tr)


def write(path: Path, data: bytes, field: str = "output") -> None:
    """Write `data` to `path` atomically; one clear error (and no file) when it cannot."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise AnkleSleepError(
            f"{field}: {str(path)!r} is a folder; give a file name such as anklesleep.ics",
            field=field,
        )
    folder = target.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise AnkleSleepError(
            f"{field}: cannot write {str(path)!r} ({exc.strerror or exc}); "
            "choose a file in a folder you can write to",
            field=field,
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); a calendar is as private as the user's umask.
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o666 & ~umask)
        temp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise AnkleSleepError(
            f"{field}: cannot write {str(path)!r} ({exc.strerror or exc}); "
            "choose a file in a folder you can write to",
            field=field,
        ) from None
