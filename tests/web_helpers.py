"""Helpers for the web tests: an in-process client, a fixed clock and a fake track renderer."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import Timeline, expand, no_speech
from anklesleep.schedule.slots import SlotSettings
from anklesleep.store import settings as settings_store
from anklesleep.store import slots as slots_store
from anklesleep.web.app import create_app

with warnings.catch_warnings():
    # Starlette asks for httpx2; the httpx it still supports is what this project installs.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "http://127.0.0.1:8000"
#: Saturday 14 March 2026, 07:30 UTC: a morning, so the diary nudge shows.
MORNING = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class FakeTrack:
    path: Path
    timeline: Timeline


@dataclass
class FakeRenderer:
    """Renders nothing: writes a small stand-in file and returns the silent timeline."""

    folder: Path
    calls: list[tuple[str, Options, str]] = field(default_factory=list)

    def __call__(self, routine: Routine, options: Options, fmt: str) -> FakeTrack:
        self.calls.append((routine.id, options, fmt))
        key = hashlib.sha256(
            json.dumps([routine.id, options.to_dict(), fmt], sort_keys=True).encode()
        ).hexdigest()[:40]
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.{fmt}"
        path.write_bytes(b"ID3" + bytes(range(256)) * 8)
        return FakeTrack(path, expand(routine, options, no_speech))


class Clock:
    """A settable "now" for the app."""

    def __init__(self, now: dt.datetime = MORNING) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def prepare(engine: Engine, *, timezone: str = "UTC", acknowledged: bool = False) -> None:
    """Pin the zone (tests never depend on the machine's) and optionally the safety notes."""
    with engine.begin() as conn:
        slots_store.save(conn, SlotSettings(timezone=timezone), MORNING)
        if acknowledged:
            settings_store.put(conn, "safety_acknowledged_at", MORNING.isoformat(), MORNING)


def client(
    engine: Engine,
    tmp_path: Path,
    *,
    clock: Clock | None = None,
    token: str | None = None,
    acknowledged: bool = True,
    base_url: str = BASE,
) -> tuple[TestClient, FakeRenderer]:
    renderer = FakeRenderer(tmp_path / "tracks")
    prepare(engine, acknowledged=acknowledged)
    app = create_app(engine, token=token, clock=clock or Clock(), renderer=renderer)
    # the app's own scripts send X-Requested-With (api.js); tests of its absence drop it
    return TestClient(app, base_url=base_url, headers={"x-requested-with": "anklesleep"}), renderer


def csrf(test_client: TestClient) -> dict[str, str]:
    """The header a page's script sends with state-changing requests."""
    if "anklesleep_csrf" not in test_client.cookies:
        test_client.get("/about")
    return {"x-csrf-token": test_client.cookies["anklesleep_csrf"]}


def form_csrf(test_client: TestClient) -> str:
    return csrf(test_client)["x-csrf-token"]


def body_json(response: Any) -> Any:
    return response.json()
