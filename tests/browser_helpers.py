"""A real server (uvicorn on a free loopback port, in a thread) and Debian's Chromium, for the
browser tests. Every request the browser makes is recorded, so tests can check that nothing
leaves the app's origin."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from anklesleep.store import create, migrate
from anklesleep.web.app import create_app
from tests.web_helpers import Clock, prepare

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "web"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: Saturday 14 March 2026, 21:30 UTC: bedtime, the dark theme by default.
EVENING = dt.datetime(2026, 3, 14, 21, 30, tzinfo=dt.UTC)


@dataclass
class Live:
    base: str
    engine: Engine
    clock: Clock
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url for url in self.requests if not url.startswith((self.base + "/", "data:", "blob:"))
        ]


@contextlib.contextmanager
def live_server(tmp_path: Path, *, acknowledged: bool = False) -> Iterator[Live]:
    import uvicorn

    engine = create(f"sqlite:///{tmp_path / 'web.sqlite3'}")
    migrate(engine)
    prepare(engine, acknowledged=acknowledged)
    clock = Clock(EVENING)
    app = create_app(engine, clock=clock)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", engine, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


def watch(page: Any, live: Live) -> None:
    """Record every request and fail loudly on script errors."""
    page.on("request", lambda request: live.requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Poll `expression` in the page until it is true. (Playwright's wait_for_function evaluates
    strings with eval, which the app's Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


def assert_save_bar_on_tab_bar(page: Any, size: str) -> None:
    """After a scroll, the sticky Save bar ends exactly where the tab bar starts (no strip of
    page between them)."""
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(100)
    save = page.locator(".sticky-save").bounding_box()
    tabs = page.locator(".tabs").bounding_box()
    assert save is not None and tabs is not None
    assert abs((save["y"] + save["height"]) - tabs["y"]) < 1, (size, save, tabs)
