"""The user's reminder calendar as a file or a download: the I/O around the pure `calendar`.

Loads the routines the slots use (built-in or the user's own), measures each one's length with
the timeline, builds the .ics bytes, and writes them atomically (a temporary file renamed into
place, so a failed write never leaves half a calendar behind). The CLI's `calendar` command and
the web app's `/calendar.ics` both call `calendar_bytes`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from anklesleep.audio.playing import speech_to_play
from anklesleep.basics import files as outfile
from anklesleep.basics.i18n import Translate, translator
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import Options
from anklesleep.schedule import calendar
from anklesleep.schedule.slots import SlotSettings

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
            # the length of the session as it will play (see `audio.playing`)
            played, speech = speech_to_play(routine, chosen, translate=tr)
            plans[slot.routine] = calendar.plan(routine, played, speech, tr)
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
    outfile.write_bytes(path, data, field, example="anklesleep.ics")
