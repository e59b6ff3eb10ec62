"""Memos for the pure work behind busy pages: parsed routines, routine lengths, timelines.

Routines are read from their files once and read again only when a user routine file changes
(by modification time); timelines are pure functions of routine and options, so their JSON is
kept in a small LRU keyed by both.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.paths import user_routines_dir
from anklesleep.routine import catalog as library
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options


def options_key(options: Options) -> str:
    return json.dumps(options.to_dict(), sort_keys=True)


class Routines:
    """All routines by id, re-read only when the user's routine folder changes."""

    def __init__(self, folder: Callable[[], Path] = user_routines_dir) -> None:
        self._folder = folder
        self._lock = threading.Lock()
        self._signature: tuple[object, ...] | None = None
        self._routines: dict[str, Routine] = {}

    def _current_signature(self) -> tuple[object, ...]:
        folder = self._folder()
        if not folder.is_dir():
            return (str(folder), None)
        files = sorted(folder.glob("*.toml"))
        return (str(folder), *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))

    def all(self) -> dict[str, Routine]:
        signature = self._current_signature()
        with self._lock:
            if signature != self._signature:
                self._routines = library.available(self._folder())
                self._signature = signature
            return self._routines

    def get(self, routine_id: str) -> Routine:
        found = self.all()
        if routine_id not in found:
            raise AnkleSleepError(
                f"routine: got {routine_id!r}; choose one of {', '.join(sorted(found))}",
                field="routine",
            )
        return found[routine_id]


class LRU:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[object, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object) -> object | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: object, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_make(self, key: object, make: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
