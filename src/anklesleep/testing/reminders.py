"""Fakes for the reminder service: a clock that moves only when told, and a notifier that
records what it would have shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class FakeClock:
    """A clock that moves only when slept on or told to."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start.astimezone(dt.UTC)
        self.sleeps: list[float] = []

    def now(self) -> dt.datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self._now += dt.timedelta(seconds=max(0.0, seconds))

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta


@dataclass
class FakeNotifier:
    """Records every notification instead of showing it."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    def notify(self, title: str, body: str) -> None:
        self.sent.append((title, body))
