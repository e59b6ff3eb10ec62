"""The HTTP protocol `anklesleep serve` runs: uvicorn's own, with a deadline for request heads.

uvicorn closes a connection that stays idle between requests (`timeout_keep_alive`), but not
one that sends a request head a byte at a time, or opens and sends nothing: enough of those
hold every connection the server allows. Here a connection must finish each request head
within `HEAD_SECONDS` of its first byte (or of the connection opening), or it is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_SECONDS = 10.0


class HeadDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head takes too long."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_head_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._reading_head():
            if self.head_deadline is None:
                self._start_head_deadline()
        else:
            self._stop_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_deadline()
        super().connection_lost(exc)

    def _reading_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _start_head_deadline(self) -> None:
        self.head_deadline = self.loop.call_later(HEAD_SECONDS, self._head_too_slow)

    def _stop_head_deadline(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _head_too_slow(self) -> None:
        self.head_deadline = None
        if self._reading_head() and not self.transport.is_closing():
            self.transport.close()
