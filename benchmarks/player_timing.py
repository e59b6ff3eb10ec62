"""Player timing: how far the screen's cue changes are from the sound being heard, and how soon
the first frame appears.

1. Position error. A sound card is simulated in real time (a thread calls the stream's fill
   callback every block, reporting the delay until its first frame reaches the converter,
   which runs at a steady rate), so the moment each track sample reaches the ear is known
   exactly. The terminal loop (`anklesleep.player.terminal.play`) plays a synthetic timeline
   with the stream as its
   clock; for every cue change we compare when it was shown with when its first sample was
   heard. Baseline in the same run: the old way, a monotonic clock for the screen while the
   stream starts the track at its next block (no lead, no latency compensation).
2. First frame: seconds from starting `python -m anklesleep start quick` in a pseudo-terminal
   to the panel's first border on screen (warm: run once before timing), beside the bare
   interpreter start-up (`python -c pass`) as baseline; and the in-process cost of loading the
   cached rendered track for `quick` (what sound adds when a device works).

Goals: position error p99 <= 5 ms; first frame <= 0.5 s on a warm cache.

    PYTHONPATH=src .venv/bin/python benchmarks/player_timing.py [--cues 120] [--ms 150]
"""

from __future__ import annotations

import argparse
import io
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from anklesleep.player.clock import MonotonicClock
from anklesleep.player.live import CueStarted, Event, Player
from anklesleep.player.stream import BLOCK_FRAMES, Fill, TrackStream
from anklesleep.player.terminal import NoKeys, PlainView, play
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import Cue, Timeline

RATE = 22050


class RealtimeCard:
    """Calls the fill callback every block on the real clock; remembers when each block's
    first frame is heard (callback time + reported delay)."""

    name = "simulated"

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.heard: list[tuple[int, float]] = []  # (first frame, monotonic time heard)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def open(self, rate: int, fill: Fill) -> RealtimeCard:
        def run() -> None:
            frames = 0
            period = BLOCK_FRAMES / rate
            due = start = time.monotonic()
            while not self._stop.is_set():
                # the card's converter runs at a steady rate: frame k is heard at
                # start + k / rate + latency, however late this thread wakes up; the callback
                # is told the delay to that moment, as PortAudio's outputBufferDacTime does
                dac = start + frames / rate + self.latency
                out = np.zeros(BLOCK_FRAMES, dtype=np.float32)
                fill(out, dac - time.monotonic())
                self.heard.append((frames, dac))
                frames += BLOCK_FRAMES
                due += period
                time.sleep(max(0.0, due - time.monotonic()))

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def heard_at(self, frame: int) -> float:
        """When stream frame `frame` reached the ear."""
        firsts = [k for k, _ in self.heard]
        i = int(np.searchsorted(firsts, frame, side="right")) - 1
        k, at = self.heard[max(0, i)]
        return at + (frame - k) / RATE


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
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def session(timeline: Timeline, latency: float, *, naive: bool) -> list[float]:
    """Errors (s) between showing each cue and hearing its first sample."""
    card = RealtimeCard(latency)
    samples = np.full(round(timeline.total_seconds * RATE) + RATE, 0.1, dtype=np.float32)
    stream = TrackStream(card, samples, RATE)
    shown: list[tuple[int, float]] = []

    def record(events: list[Event]) -> None:
        at = time.monotonic()
        shown.extend((e.index, at) for e in events if isinstance(e, CueStarted))

    routine = routines.load("quick")
    view = PlainView(io.StringIO(), routine, lambda s: s)
    try:
        time.sleep(0.1)  # the card is running before the session starts, as in `start`
        if naive:
            clock = MonotonicClock()
            player = Player(timeline, clock)
            origin_frame = (card.heard[-1][0] + BLOCK_FRAMES) if card.heard else 0
            stream.follow(origin_frame / RATE)
            play(player, view, NoKeys(clock), record, lambda s: s)
        else:
            player = Player(timeline, stream)
            lead = stream.latency + 2 * BLOCK_FRAMES / RATE
            play(player, view, NoKeys(stream), record, lambda s: s, audio=stream, lead=lead)
            origin_frame = round(player._origin * RATE)
    finally:
        stream.close()
    return [
        at - card.heard_at(origin_frame + round(timeline.cues[i].start * RATE)) for i, at in shown
    ]


def first_frame(args: list[str], marker: bytes, env: dict[str, str]) -> float:
    """Seconds from spawning `args` in a pseudo-terminal to `marker` appearing."""
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(args[0], args, env)
    seen = b""
    try:
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], 10)
            if not ready:
                raise RuntimeError("no frame within 10 s: " + seen[-300:].decode(errors="replace"))
            seen += os.read(fd, 65536)
        return time.monotonic() - started
    finally:
        os.kill(pid, 15)
        os.waitpid(pid, 0)
        os.close(fd)


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ANKLESLEEP_HOME": home, "TERM": "xterm-256color"}
        db = str(Path(home) / "bench.sqlite3")
        subprocess.run(
            [sys.executable, "-m", "anklesleep", "--db", db, "start", "quick", "--no-sound"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=120,
        )  # warms the caches; not a terminal, so the notes are shown and the session runs
        from anklesleep.store import open_database, settings

        engine = open_database(Path(db))
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        with engine.begin() as conn:
            settings.put(conn, "safety_acknowledged_at", now.isoformat(), now)
        engine.dispose()
        command = [sys.executable, "-m", "anklesleep", "--db", db, "start", "quick"]
        first_frame(command, "╭".encode(), env)  # warm
        ours = [first_frame(command, "╭".encode(), env) for _ in range(runs)]
        bare = [first_frame([sys.executable, "-c", "print('╭')"], "╭".encode(), env)]
        bare += [first_frame([sys.executable, "-c", "print('╭')"], "╭".encode(), env)]
        print(
            f"first frame  start quick (warm): median {statistics.median(ours):.3f} s  "
            f"max {max(ours):.3f} s   | baseline bare python: {statistics.median(bare):.3f} s"
            f"   ratio {statistics.median(ours) / statistics.median(bare):.1f}x"
        )


def track_load() -> None:
    """What the sound path adds once the track is cached: render_track (a hit) + reading it."""
    import soundfile

    from anklesleep.audio import mixing as track
    from anklesleep.audio import voices
    from anklesleep.routine.options import validate

    engine = voices.get_engine(None)
    with tempfile.TemporaryDirectory() as folder:
        for name in ("quick", "full"):
            routine = routines.load(name)
            track.render_track(
                routine, validate(), engine=engine, fmt="wav", cache_dir=Path(folder)
            )
            track.clear_memory()
            started = time.monotonic()
            rendered = track.render_track(
                routine, validate(), engine=engine, fmt="wav", cache_dir=Path(folder)
            )
            soundfile.read(str(rendered.path), dtype="float32")
            print(
                f"warm track load  {name:5s} ({engine.name}): "
                f"{(time.monotonic() - started) * 1000:.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=120)
    parser.add_argument("--ms", type=float, default=150.0)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    timeline = synthetic(args.cues, args.ms / 1000)
    latency = args.latency_ms / 1000
    print(
        f"{args.cues} cues of {args.ms:.0f} ms, simulated card: blocks of {BLOCK_FRAMES} frames "
        f"at {RATE} Hz, reported delay {args.latency_ms:.0f} ms"
    )
    for label, naive in (("stream clock (ours)", False), ("naive monotonic", True)):
        errors = [abs(e) * 1000 for e in session(timeline, latency, naive=naive)]
        print(
            f"position error  {label:20s} p50 {percentile(errors, 50):6.2f} ms  "
            f"p99 {percentile(errors, 99):6.2f} ms  max {max(errors):6.2f} ms  "
            f"(n={len(errors)}, mean {statistics.mean(errors):.2f})"
        )
    if not args.skip_startup:
        startup(args.startup_runs)
        track_load()


if __name__ == "__main__":
    main()
