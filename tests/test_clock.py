"""The clock seam: a manual clock for tests and the real monotonic one."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.player.clock import Clock, MonotonicClock
from anklesleep.testing.player import ManualClock


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=10.0)
    assert clock.now() == 10.0
    assert clock.now() == 10.0
    clock.advance(2.5)
    assert clock.now() == 12.5


def test_manual_clock_cannot_go_backwards() -> None:
    clock = ManualClock()
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


def test_manual_sleep_until_jumps_to_the_deadline_and_never_back() -> None:
    clock = ManualClock(start=0.0)
    clock.sleep_until(3.0)
    assert clock.now() == 3.0
    clock.sleep_until(1.0)  # already passed: returns at once
    assert clock.now() == 3.0
    assert clock.waits == [3.0, 1.0]


@given(st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), max_size=30))
def test_manual_clock_is_monotonic(steps: list[float]) -> None:
    clock = ManualClock(start=0.0)
    seen = [clock.now()]
    for step in steps:
        clock.advance(step)
        seen.append(clock.now())
    assert seen == sorted(seen)


def test_monotonic_clock_waits_for_a_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    clock: Clock = MonotonicClock()
    start = clock.now()
    clock.sleep_until(start + 0.01)
    assert clock.now() >= start + 0.01
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    clock.sleep_until(clock.now() - 5)  # in the past: no wait at all
    assert slept == []
