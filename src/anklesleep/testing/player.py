"""Fakes for the terminal player: a manual clock, scripted keys, and sound devices (one that
records what the stream would have played, on a manual clock; one that cannot open)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from anklesleep.player.stream import BLOCK_FRAMES, DeviceError, Fill, Samples

if TYPE_CHECKING:
    from anklesleep.player.terminal import Key


class ManualClock:
    """A clock that moves only when told: `advance(seconds)`; waiting jumps to the deadline."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = float(start)
        self.waits: list[float] = []

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self._now += seconds

    def sleep_until(self, deadline: float) -> None:
        self.waits.append(deadline)
        self._now = max(self._now, deadline)


@dataclass
class ScriptedKeys:
    """Keys at given clock times, for tests with a `ManualClock` (which `wait` moves on)."""

    clock: ManualClock
    script: list[tuple[float, Key]] = field(default_factory=list)

    def wait(self, deadline: float) -> Key | None:
        if self.script and self.script[0][0] <= deadline:
            at, key = self.script.pop(0)
            self.clock.sleep_until(at)
            return key
        self.clock.sleep_until(deadline)
        return None


class FakeStream:
    """What `FakeDevice.open` returns: reports a latency, remembers being closed."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeDevice:
    """A sound card on a `ManualClock`: every `block` frames of clock time it calls the stream's
    fill callback with a delay of `latency`, and keeps every sample it was given in `played`.

    Pass `device.clock.now` as the stream's `monotonic` and `device.run_until` as its `wait`.
    """

    name = "fake"

    def __init__(
        self, latency: float = 0.05, block: int = BLOCK_FRAMES, clock: ManualClock | None = None
    ) -> None:
        self.latency = latency
        self.block = block
        self.clock = clock or ManualClock()
        self.rate = 0
        self._fill: Fill | None = None
        self._next_call = 0.0
        self.blocks: list[Samples] = []
        self.stream: FakeStream | None = None

    def open(self, rate: int, fill: Fill) -> FakeStream:
        self.rate = rate
        self._fill = fill
        self._next_call = self.clock.now()
        self.stream = FakeStream(self.latency)
        return self.stream

    def run_until(self, moment: float) -> None:
        """Move the clock to `moment`, calling the callback at every block boundary on the way."""
        assert self._fill is not None and self.rate
        while self._next_call <= moment:
            self.clock.sleep_until(self._next_call)
            out = np.zeros(self.block, dtype=np.float32)
            self._fill(out, self.latency)
            self.blocks.append(out)
            self._next_call += self.block / self.rate
        self.clock.sleep_until(moment)

    @property
    def played(self) -> Samples:
        """Every sample handed out so far, in order (stream frame 0 first)."""
        if not self.blocks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(self.blocks)


class BrokenDevice:
    """A device that cannot open, like a machine without a sound card."""

    name = "broken"

    def __init__(self, reason: str = "Error querying device -1") -> None:
        self.reason = reason
        self.opened = 0

    def open(self, rate: int, fill: Fill) -> FakeStream:
        self.opened += 1
        raise DeviceError(self.reason)
