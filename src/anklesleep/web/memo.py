"""Answers remembered until the database changes, for the two busiest requests (Today and the
timeline); `benchmarks/web.py` shows what they save.

SQLite counts commits: `PRAGMA data_version`, read on a connection of its own, changes whenever
any other connection commits (this app's pool, the terminal player, another process). One such
read per request tells whether remembered answers still hold. Databases without that cheap
signal (PostgreSQL, SQLite in memory) remember nothing: every answer is computed afresh.
"""

from __future__ import annotations

import gzip
import sqlite3
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

T = TypeVar("T")
#: At most this many answers are remembered for one database version.
MAX_ITEMS = 256


class DataVersion:
    """The database's commit counter, or None when it has none to offer."""

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        path = engine.url.database
        if engine.dialect.name == "sqlite" and path and path != ":memory:":
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)

    def current(self) -> int | None:
        if self._conn is None:
            return None
        with self._lock:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])


class Memo:
    """Answers by key, all forgotten as soon as the database changes."""

    def __init__(self, version: DataVersion) -> None:
        self._version = version
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._items: dict[Hashable, object] = {}

    def known(self, key: Hashable) -> object | None:
        """The remembered answer, if the database has not changed since; None otherwise.

        Cheap enough for the event loop (one in-memory counter read), so a remembered answer
        is served without a trip through the thread pool.
        """
        version = self._version.current()
        with self._lock:
            if version is None or version != self._seen:
                return None
            return self._items.get(key)

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        version = self._version.current()
        if version is None:
            return make()
        with self._lock:
            if version != self._seen:
                self._items.clear()
                self._seen = version
            elif key in self._items:
                return self._items[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            if self._seen == version and len(self._items) < MAX_ITEMS:
                self._items[key] = value
        return value


@dataclass(frozen=True)
class Packed:
    """A remembered body and its gzip form, compressed once rather than on every request (the
    timeline's JSON is about 45 KB; compressing it costs more than answering from memory)."""

    body: bytes
    gz: bytes

    @classmethod
    def of(cls, body: bytes) -> Packed:
        return cls(body, gzip.compress(body, compresslevel=6, mtime=0))

    def response(self, request: Request, media_type: str) -> Response:
        """The gzip form when the client accepts it (the GZip middleware passes an encoded
        answer through unchanged), else the plain body."""
        headers = {"vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["content-encoding"] = "gzip"
            return Response(self.gz, media_type=media_type, headers=headers)
        return Response(self.body, media_type=media_type, headers=headers)


async def remembered(memo: Memo, key: Hashable, make: Callable[[], Packed]) -> Packed:
    """`memo`'s answer for `key`; a new one is made in the thread pool (it reads the database)."""
    known = memo.known(key)
    if isinstance(known, Packed):
        return known
    return await run_in_threadpool(memo.get, key, make)
