"""The routines the web app offers: read from their files once, and again only when a file in
the user's routine folder changes (by modification time and size). The folder is looked at no
more than once a second, so a busy page does not list it on every request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.basics.paths import user_routines_dir
from anklesleep.routine import catalog as library
from anklesleep.routine.definition import Routine


class Routines:
    """All routines by id, re-read only when the user's routine folder changes."""

    #: Seconds between two looks at the user's routine folder.
    RECHECK_SECONDS = 1.0

    def __init__(
        self,
        folder: Callable[[], Path] = user_routines_dir,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._folder = folder
        self._clock = clock
        self._lock = threading.Lock()
        self._signature: tuple[object, ...] | None = None
        self._checked: float | None = None
        self._routines: dict[str, Routine] = {}

    def _current_signature(self) -> tuple[object, ...]:
        folder = self._folder()
        if not folder.is_dir():
            return (str(folder), None)
        files = sorted(folder.glob("*.toml"))
        return (str(folder), *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))

    def all(self) -> dict[str, Routine]:
        now = self._clock()
        with self._lock:
            if self._checked is not None and now - self._checked < self.RECHECK_SECONDS:
                return self._routines
        signature = self._current_signature()
        with self._lock:
            if signature != self._signature:
                self._routines = library.available(self._folder())
                self._signature = signature
            self._checked = now
            return self._routines

    def get(self, routine_id: str) -> Routine:
        found = self.all()
        if routine_id not in found:
            raise AnkleSleepError(
                _("routine: got {value!r}; choose one of {choices}").format(
                    value=routine_id, choices=", ".join(sorted(found))
                ),
                field="routine",
            )
        return found[routine_id]
