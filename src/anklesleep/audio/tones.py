"""Gentle tones: sines with short raised-cosine fades, so nothing clicks.

Each tone cue of a timeline sounds at its `tone_hz`: a steady tone starts a hold, a softly
decaying bell at a lower pitch marks the release, short soft ticks keep the pace of circles and
tilts, and a long chime closes the session. Every sound has the same attack (`FADE_SECONDS`) and
stays at its peak for at least `SUSTAIN_SECONDS`, which is what makes its onset measurable to the
sample (see `track.detect_tones`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from anklesleep.audio.voices import write_wav_atomic
from anklesleep.basics import paths

Samples = npt.NDArray[np.float32]

#: Length of the fade in and out (raised cosine): long enough not to click, short enough to be
#: a crisp cue.
FADE_SECONDS = 0.010
#: Every sound stays at its peak at least this long after its fade-in, before any decay.
SUSTAIN_SECONDS = 0.05
#: Peak levels (linear, full scale = 1). Speech is normalized to -20 dBFS RMS; a hold tone
#: peaks at -15 dBFS (RMS -18 dBFS): clear without startling, a little under the voice.
TONE_PEAK = 10 ** (-15 / 20)
TICK_PEAK = 10 ** (-24 / 20)
CHIME_PEAK = 10 ** (-16 / 20)


@dataclass(frozen=True)
class Sound:
    """The shape of one cue's sound: length, peak, and how it ends."""

    seconds: float
    peak: float
    #: seconds after the sustain over which the sound decays exponentially (0 = steady tone)
    decay: float = 0.0


#: the sound of each tone-cue kind
SOUNDS: dict[str, Sound] = {
    "hold": Sound(0.35, TONE_PEAK),
    "release": Sound(0.6, TONE_PEAK, decay=0.15),
    "circle": Sound(0.07, TICK_PEAK),
    "tilt": Sound(0.07, TICK_PEAK),
    "done": Sound(1.6, CHIME_PEAK, decay=0.45),
}
#: the shortest sound we render: a fade in, the sustain, a fade out
MIN_SECONDS = 2 * FADE_SECONDS + SUSTAIN_SECONDS


def _ramp(count: int) -> npt.NDArray[np.float64]:
    """A raised-cosine rise of `count` samples, from just above 0 to just below 1."""
    return 0.5 - 0.5 * np.cos(np.pi * (np.arange(count) + 0.5) / count)


def shaped_tone(
    hz: float,
    seconds: float,
    rate: int,
    *,
    peak: float = TONE_PEAK,
    decay: float = 0.0,
    fade: float = FADE_SECONDS,
) -> Samples:
    """A sine at `hz` lasting `seconds`: fade in, steady for `SUSTAIN_SECONDS`, then steady
    (decay 0) or exponentially decaying with time constant `decay`, and a fade out."""
    n = max(0, round(seconds * rate))
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    f = min(round(fade * rate), n // 2)
    t = np.arange(n, dtype=np.float64)
    envelope = np.ones(n, dtype=np.float64)
    if f:
        envelope[:f] = _ramp(f)
        envelope[n - f :] *= _ramp(f)[::-1]
    if decay > 0:
        hold_until = f + round(SUSTAIN_SECONDS * rate)
        tail = t[hold_until:] - hold_until
        envelope[hold_until:] *= np.exp(-tail / (decay * rate))
    wave = np.sin(2 * np.pi * hz * t / rate)
    return np.asarray(peak * envelope * wave, dtype=np.float32)


def tone(hz: float, seconds: float, rate: int) -> Samples:
    """A gentle steady sine at `hz` for `seconds`, with short fades (no clicks)."""
    return shaped_tone(hz, seconds, rate)


def sound_seconds(kind: str, room: float | None = None) -> float:
    """How long the sound of a `kind` cue lasts, shortened to fit in `room` seconds if given."""
    nominal = SOUNDS[kind].seconds if kind in SOUNDS else SOUNDS["hold"].seconds
    if room is None:
        return nominal
    return max(0.0, min(nominal, room))


def cue_sound(kind: str, hz: float, rate: int, room: float | None = None) -> Samples:
    """The sound of a tone cue of `kind` at `hz`, fitted into `room` seconds.

    Returns no samples when the room is shorter than `MIN_SECONDS` (a sound that short would
    click rather than ring).
    """
    shape = SOUNDS.get(kind, SOUNDS["hold"])
    seconds = sound_seconds(kind, room)
    if seconds < MIN_SECONDS:
        return np.zeros(0, dtype=np.float32)
    return shaped_tone(hz, seconds, rate, peak=shape.peak, decay=shape.decay)


def _folder(folder: Path | None) -> Path:
    return folder if folder is not None else paths.cache_dir() / "tones"


def cue_sound_wav(
    kind: str, hz: float, folder: Path | None = None, rate: int = 24000, room: float | None = None
) -> Path | None:
    """The sound of a tone cue (see `cue_sound`) as a cached WAV file; None if it is silent."""
    seconds = sound_seconds(kind, room)
    if seconds < MIN_SECONDS:
        return None
    name = f"{kind}-{hz:.2f}hz-{seconds:.3f}s-{rate}.wav"
    path = _folder(folder) / name
    if not path.exists():
        write_wav_atomic(path, cue_sound(kind, hz, rate, room), rate)
    return path


def db(level: float) -> float:
    """Linear level as dBFS."""
    return 20 * math.log10(max(level, 1e-12))
