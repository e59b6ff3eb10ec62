"""No request uses the database on the event loop: handlers that read or write it are plain
functions run in the thread pool (or hand that work to it), so one slow query never stalls
every other request."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from anklesleep.store import create, migrate
from tests.test_web_api import NIGHT
from tests.web_helpers import client, csrf

PAGES = (
    "/",
    "/play/full",
    "/play/quick",
    "/sleep",
    "/symptoms",
    "/history",
    "/settings",
    "/about",
    "/safety",
    "/insights",
    "/experiment",
    "/api/routines",
    "/api/timeline?routine=quick",
    "/api/today",
    "/api/settings",
    "/api/sleep",
    "/api/symptoms",
    "/api/sessions",
)


def _on_the_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _watch(engine: Any) -> list[str]:
    """Names of the threads that took a database connection while running the event loop."""
    seen: list[str] = []

    @event.listens_for(engine, "checkout")
    def checkout(*_: Any) -> None:
        if _on_the_event_loop():
            seen.append(threading.current_thread().name)

    return seen


def test_the_watch_sees_a_connection_taken_on_the_loop(tmp_path: Path) -> None:
    engine = create(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    seen = _watch(engine)

    async def blocking() -> None:
        with engine.connect():
            pass

    asyncio.run(blocking())
    assert len(seen) == 1
    engine.dispose()


@pytest.mark.slow  # Today and the timeline measure the routines' speech clips first
def test_no_request_uses_the_database_on_the_event_loop(tmp_path: Path) -> None:
    # a database file: the app then also remembers answers between requests (web.memo)
    engine = create(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(engine)
    c, _renderer = client(engine, tmp_path)
    seen = _watch(engine)
    for path in PAGES:
        answer = c.get(path)
        assert answer.status_code in (200, 404), (path, answer.status_code)
    started = c.post(
        "/api/sessions", json={"routine": "quick", "planned_seconds": 75.5}, headers=csrf(c)
    )
    assert started.status_code == 201, started.text
    uuid = started.json()["uuid"]
    finished = c.post(
        f"/api/sessions/{uuid}/finish",
        json={"completed_seconds": 75.5, "completed": True},
        headers=csrf(c),
    )
    assert finished.status_code == 200, finished.text
    assert c.put("/api/sleep/2026-03-14", json=NIGHT, headers=csrf(c)).status_code == 201
    # an upload: read as it arrives on the loop, imported in the thread pool
    upload = c.post("/sleep/import?name=notes.csv", content=b"a,b\n1,2\n", headers=csrf(c))
    assert upload.status_code == 400, upload.text
    engine.dispose()
    assert seen == [], f"database connections taken on the event loop: {len(seen)}"
