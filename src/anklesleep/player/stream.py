"""One long-lived audio stream that plays the rendered track and is the session's clock.

The stream never stops while the session lasts: it plays the track from wherever the player
says, or silence while paused. Its clock counts the samples handed to the sound card, minus the
delay the card reports before a sample is heard, so `now()` is the moment being heard and the
screen (which reads the player's position from it) shows what the ears get.

`AudioDevice` is the seam: `SoundDevice` opens a PortAudio stream through `sounddevice`;
`anklesleep.testing.player.FakeDevice` runs the same callback on a manual clock for tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from anklesleep.player.clock import SPIN_SECONDS

Samples = npt.NDArray[np.float32]
#: The callback the device calls for every block: fill `out` (mono, float32) with the frames
#: that will be heard `delay` seconds from now.
Fill = Callable[[Samples, float], None]
#: frames per block: ~23 ms at 22 050 Hz, small enough for pause and skips to feel immediate
BLOCK_FRAMES = 512
#: a wait closer than this to its deadline is done (float rounding must not spin forever)
_RESOLUTION = 1e-9


class DeviceError(Exception):
    """No sound device could be opened (the message says why, for the one notice shown)."""


class OutputStream(Protocol):
    """A started output stream. `latency` is the output delay it reports, in seconds."""

    latency: float

    def close(self) -> None: ...


class AudioDevice(Protocol):
    """Where sound goes: opens one mono float32 stream at `rate` that calls `fill` per block."""

    name: str

    def open(self, rate: int, fill: Fill) -> OutputStream:
        """Start the stream; raises `DeviceError` when no device can play."""
        ...


class _SoundDeviceStream:
    def __init__(self, stream: Any) -> None:
        self._stream = stream
        latency = stream.latency
        self.latency = float(latency[1] if isinstance(latency, tuple) else latency)

    def close(self) -> None:
        try:
            self._stream.abort()
        finally:
            self._stream.close()


class SoundDevice:
    """The default output of PortAudio, through the `sounddevice` package."""

    name = "sounddevice"

    def open(self, rate: int, fill: Fill) -> OutputStream:
        try:
            import sounddevice
        except OSError as exc:  # the PortAudio library itself is missing
            raise DeviceError(str(exc)) from None
        reported = [0.0]

        def callback(out: Any, frames: int, times: Any, status: Any) -> None:
            delay = float(times.outputBufferDacTime - times.currentTime)
            fill(out[:, 0], delay if 0.0 < delay < 2.0 else reported[0])

        try:
            stream = sounddevice.OutputStream(
                samplerate=rate,
                channels=1,
                dtype="float32",
                blocksize=BLOCK_FRAMES,
                latency="low",
                callback=callback,
            )
            wrapped = _SoundDeviceStream(stream)
            reported[0] = wrapped.latency
            stream.start()
        except Exception as exc:  # PortAudioError, ValueError: no device, bad rate, busy
            raise DeviceError(str(exc) or type(exc).__name__) from None
        return wrapped


class TrackStream:
    """Plays `samples` through one stream and tells the time by it (a `Clock`).

    `follow(origin)` says that track second `p` is to be heard at stream time `origin + p`
    (None: play silence). `now()` is the stream time being heard at this moment: samples handed
    to the device, minus its reported delay, moved on smoothly with `monotonic` between blocks
    and never going backwards.
    """

    def __init__(
        self,
        device: AudioDevice,
        samples: Samples,
        rate: int,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wait: Callable[[float], None] | None = None,
    ) -> None:
        self.rate = rate
        self._samples = np.ascontiguousarray(samples, dtype=np.float32)
        self._monotonic = monotonic
        self._wait = wait or _sleep_until
        self._lock = threading.Lock()
        self._origin_frame: int | None = None  # stream frame where track frame 0 is heard
        self._from_frame = 0  # track frames before this are not played (silence instead)
        self._written = 0  # frames handed to the device so far
        self._anchor = -monotonic()  # stream time at the DAC = anchor + monotonic()
        self._last = 0.0
        self.delays: list[float] = []  # the output delay reported with each block
        self._stream = device.open(rate, self._fill)
        self.latency = self._stream.latency

    # -- the audio thread ------------------------------------------------------------------

    def _fill(self, out: Samples, delay: float) -> None:
        frames = len(out)
        with self._lock:
            first = self._written
            origin = self._origin_frame
            skip = self._from_frame
            samples = self._samples
            self._written += frames
            self._anchor = first / self.rate - delay - self._monotonic()
        if len(self.delays) < 10_000:
            self.delays.append(delay)
        out[:] = 0.0
        if origin is None:
            return
        start = first - origin
        lo, hi = max(start, skip, 0), min(start + frames, len(samples))
        if hi > lo:
            out[lo - start : hi - start] = samples[lo:hi]

    # -- the clock -------------------------------------------------------------------------

    def now(self) -> float:
        with self._lock:
            at = self._anchor + self._monotonic()
            at = max(at, self._last)
            self._last = at
            return at

    def sleep_until(self, deadline: float) -> None:
        while True:
            remaining = deadline - self.now()
            if remaining <= _RESOLUTION:
                return
            self._wait(self._monotonic() + remaining)

    # -- control ---------------------------------------------------------------------------

    def follow(self, origin: float | None, start: float = 0.0) -> None:
        """Play the track so that its second `p` is heard at stream time `origin + p`, from
        its second `start` on (silence before); None: silence."""
        with self._lock:
            self._origin_frame = None if origin is None else round(origin * self.rate)
            self._from_frame = round(start * self.rate)

    def load(self, samples: Samples) -> None:
        """Swap in a re-rendered track (the same up to now, so playing carries on seamlessly)."""
        fresh = np.ascontiguousarray(samples, dtype=np.float32)
        with self._lock:
            self._samples = fresh

    @property
    def duration(self) -> float:
        return len(self._samples) / self.rate

    def close(self) -> None:
        self._stream.close()


def _sleep_until(deadline: float) -> None:
    """Wait on the monotonic clock: sleep, then spin the last couple of milliseconds."""
    remaining = deadline - time.monotonic()
    if remaining > SPIN_SECONDS:
        time.sleep(remaining - SPIN_SECONDS)
    while time.monotonic() < deadline:
        pass
