"""The audio-output seam: play a WAV file without ever blocking the timing loop.

`ProcessOutput` plays through whichever of aplay, paplay or ffplay is installed, starting each
player process from a worker thread (starting a process takes milliseconds, which the timing
loop cannot spare). `NullOutput` plays nothing; `RecordingOutput` remembers what it was asked to
play, for tests. `CueSounds` knows which files belong to which cue.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from anklesleep.routine.timeline import Cue

#: Players we know how to run, in order of preference, with their arguments before the file.
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paplay", ()),
    ("aplay", ("-q",)),
    ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet")),
)


class AudioOutput(Protocol):
    """Somewhere sounds go. `play` returns at once; `close` stops anything still playing."""

    name: str

    def play(self, wav: Path) -> None: ...

    def stop(self) -> None:
        """Cut whatever is still sounding (new words after a skip replace the old ones)."""
        ...

    def close(self) -> None: ...


class NullOutput:
    """Plays nothing (`--no-sound`, or no player installed)."""

    name = "none"

    def play(self, wav: Path) -> None:
        return None

    def stop(self) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass
class RecordingOutput:
    """Remembers every file it was asked to play, with the clock time if one is given."""

    clock: Callable[[], float] | None = None
    name: str = "recording"
    played: list[tuple[float | None, Path]] = field(default_factory=list)
    closed: bool = False

    stops: int = 0

    def play(self, wav: Path) -> None:
        self.played.append((self.clock() if self.clock else None, wav))

    def stop(self) -> None:
        self.stops += 1

    def close(self) -> None:
        self.closed = True


_STOP = "stop"


class ProcessOutput:
    """Plays files with an external player program, started from a worker thread."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = tuple(command)
        self.name = Path(command[0]).name
        self._queue: queue.SimpleQueue[Path | str | None] = queue.SimpleQueue()
        self._running: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()
        self.failures = 0
        self._thread = threading.Thread(target=self._work, name="anklesleep-sound", daemon=True)
        self._thread.start()

    def play(self, wav: Path) -> None:
        self._queue.put(wav)

    def stop(self) -> None:
        self._queue.put(_STOP)

    def _work(self) -> None:
        while True:
            wav = self._queue.get()
            if wav is None:
                return
            with self._lock:
                if wav == _STOP:
                    for process in self._running:
                        if process.poll() is None:
                            process.terminate()
                    continue
                assert isinstance(wav, Path)
                self._running = [p for p in self._running if p.poll() is None]
                try:
                    process = subprocess.Popen(
                        [*self.command, str(wav)],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,  # Ctrl-C goes to us, not to the player
                    )
                except OSError:
                    self.failures += 1
                    continue
                self._running.append(process)

    def close(self) -> None:
        """Stop the worker and any sound still playing, and reap the processes."""
        self._queue.put(None)
        self._thread.join(timeout=2)
        with self._lock:
            for process in self._running:
                if process.poll() is None:
                    process.terminate()
            for process in self._running:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=1)
            self._running = []


def find_player(which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command line (without the file) of the first installed player, or None."""
    for program, arguments in PLAYERS:
        path = which(program)
        if path:
            return [path, *arguments]
    return None


def open_output(which: Callable[[str], str | None] = shutil.which) -> AudioOutput | None:
    """A `ProcessOutput` for the first installed player, or None when nothing can play."""
    command = find_player(which)
    return ProcessOutput(command) if command else None


class CueSounds:
    """The files to play when each cue starts: its spoken words, else its tone.

    Files are prepared before the session (speech synthesized, tones rendered), so starting a
    cue only hands a path to the output.
    """

    def __init__(
        self,
        speech: Callable[[str], Path | None] | None,
        tone: Callable[[Cue], Path | None] | None,
    ) -> None:
        self._speech = speech
        self._tone = tone
        self._cache: dict[tuple[str | None, str, float | None, float], Path | None] = {}

    def files(self, cue: Cue) -> list[Path]:
        """What to play for `cue`: the tone first (an onset marker), then the words."""
        result: list[Path] = []
        if cue.tone_hz is not None and self._tone is not None:
            tone_key: tuple[str | None, str, float | None, float] = (
                None,
                cue.kind,
                cue.tone_hz,
                round(cue.duration, 3),
            )
            if tone_key not in self._cache:
                self._cache[tone_key] = self._tone(cue)
            path = self._cache[tone_key]
            if path is not None:
                result.append(path)
        if cue.say and self._speech is not None:
            key = (cue.say, "say", None, 0.0)
            if key not in self._cache:
                self._cache[key] = self._speech(cue.say)
            path = self._cache[key]
            if path is not None:
                result.append(path)
        return result

    def prepare(self, cues: Iterable[Cue]) -> None:
        """Render every file the cues need, now rather than mid-session."""
        for cue in cues:
            self.files(cue)
