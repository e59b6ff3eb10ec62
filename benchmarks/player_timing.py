"""Player timing: onset error and end drift of the real player against a naive sleep loop.

Plays a fast synthetic timeline (300 cues of 20 ms by default) through `anklesleep.player.live`
on the real monotonic clock, then, in the same run, through a loop that sleeps each cue's
duration. Prints p50/p99/max onset error (ms) and end-of-session drift (ms) for both.
Goal: p99 onset error under 1 ms and drift under 1 ms for the player, on an idle machine.

    .venv/bin/python benchmarks/player_timing.py [--cues 300] [--ms 20] [--terminal]

`--terminal` also runs the terminal player's loop (`anklesleep.player.terminal.play`, waiting in
`select()` on a pipe that never receives a key, with a plain view writing to /dev/null).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from anklesleep.player.clock import MonotonicClock
from anklesleep.player.live import CueStarted, Event, Finished, Player
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import Cue, Timeline


def synthetic(count: int, seconds: float) -> Timeline:
    cues = tuple(
        Cue(
            start=i * seconds,
            duration=seconds,
            kind="circle",
            section="ankle",
            foot="left",
            step="A1",
            rep=i + 1,
            reps=count,
            say=None,
            tone_hz=880.0,
            chapter=i // 10,
            text="Circle inward.",
        )
        for i in range(count)
    )
    return Timeline("benchmark", Options(), cues)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_player(timeline: Timeline) -> tuple[list[float], float]:
    """Onset errors (s) measured at emission, and the end drift (s)."""
    clock = MonotonicClock()
    player = Player(timeline, clock)
    errors: list[float] = []
    end: list[float] = []

    def handle(event: Event) -> None:
        if isinstance(event, CueStarted):
            errors.append(event.actual - event.scheduled)
        elif isinstance(event, Finished):
            end.append(clock.now())

    start_guess = clock.now()
    player.run(handle)
    origin = player._origin  # the clock time of position 0
    assert origin >= start_guess
    return errors, end[0] - origin - timeline.total_seconds


def run_terminal_loop(timeline: Timeline) -> tuple[list[float], float]:
    """The same through `terminal.play` (select() waits, view updates between cues)."""
    from anklesleep.player.terminal import PlainView, TerminalKeys, play
    from anklesleep.routine import catalog as routines

    clock = MonotonicClock()
    player = Player(timeline, clock)
    errors: list[float] = []
    end: list[float] = []

    def hooks(events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CueStarted):
                errors.append(event.actual - event.scheduled)
            elif isinstance(event, Finished):
                end.append(clock.now())

    read, write = os.pipe()
    try:
        with Path(os.devnull).open("w") as sink:
            view = PlainView(sink, routines.load("quick"), lambda s: s)
            play(player, view, TerminalKeys(read, clock), hooks, lambda s: s)
    finally:
        os.close(read)
        os.close(write)
    return errors, end[0] - player._origin - timeline.total_seconds


def run_naive(timeline: Timeline) -> tuple[list[float], float]:
    """A loop that sleeps each cue's duration: the way not to do it."""
    errors: list[float] = []
    start = time.monotonic()
    for cue in timeline.cues:
        errors.append(time.monotonic() - start - cue.start)
        time.sleep(cue.duration)
    return errors, time.monotonic() - start - timeline.total_seconds


def report(name: str, errors: list[float], drift: float) -> None:
    ms = [e * 1000 for e in errors]
    print(
        f"{name:<22} {percentile(ms, 50):8.3f} {percentile(ms, 99):8.3f} {max(ms):8.3f} "
        f"{drift * 1000:9.3f}   (mean {statistics.fmean(ms):.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=300)
    parser.add_argument("--ms", type=float, default=20.0)
    parser.add_argument("--terminal", action="store_true", help="also time the terminal loop")
    args = parser.parse_args()
    timeline = synthetic(args.cues, args.ms / 1000)
    print(f"{args.cues} cues of {args.ms:g} ms ({timeline.total_seconds:.2f} s); times in ms")
    print(f"{'':<22} {'p50':>8} {'p99':>8} {'max':>8} {'end drift':>9}")
    report("player (deadlines)", *run_player(timeline))
    if args.terminal:
        report("terminal loop", *run_terminal_loop(timeline))
    report("naive sleep loop", *run_naive(timeline))
    print("goal: player p99 < 1 ms and end drift < 1 ms")


if __name__ == "__main__":
    main()
