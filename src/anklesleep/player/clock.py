"""The clock seam: the real monotonic clock for silent sessions (the audio stream is the clock
when there is sound; tests use `anklesleep.testing.player.ManualClock`).

Players measure elapsed time as `clock.now() - start` against absolute deadlines, never by
counting sleeps, so waiting late once never shifts what comes after.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Seconds on a clock that never goes backwards, and a way to wait for a moment on it."""

    def now(self) -> float: ...

    def sleep_until(self, deadline: float) -> None:
        """Return at (or just after) `deadline`; at once if it has passed."""
        ...


#: The last stretch before a deadline that is waited for by spinning instead of sleeping.
SPIN_SECONDS = 0.002


class MonotonicClock:
    """`time.monotonic`, waiting with `time.sleep` (high resolution on Linux)."""

    def now(self) -> float:
        return time.monotonic()

    def sleep_until(self, deadline: float) -> None:
        # Sleep to just short of the deadline, then spin: a sleeping thread wakes up to a
        # millisecond or two late under load, while the last stretch costs ~2 ms of CPU a cue.
        remaining = deadline - time.monotonic()
        if remaining > SPIN_SECONDS:
            time.sleep(remaining - SPIN_SECONDS)
        while time.monotonic() < deadline:
            pass
