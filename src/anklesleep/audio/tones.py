"""Soft cue sounds, synthesized: bell-like notes with a gentle attack and a long decay.

Each tone cue of a timeline sounds at its `tone_hz`: a bright bell starts a hold, a lower one
marks the rest, soft wooden ticks keep the pace of circles and tilts, a deeper note marks the last
repetition (the timeline gives it its own pitch), two rising notes end a toe stretch, and a long
chime closes the session. A note is a sine at the cue's pitch plus two quieter inharmonic partials
that die away faster (what makes it sound struck rather than beeped). Every sound starts with
the same raised-cosine attack (`FADE_SECONDS`), stays at its peak for `SUSTAIN_SECONDS` and ends
with a fade, so nothing clicks and its onset is measurable to the sample (see `onsets.detect`).
Levels sit well under the voice: speech is normalized to -20 dBFS RMS, a bell peaks at -24 dBFS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from anklesleep.audio.voices import write_wav_atomic
from anklesleep.basics import paths
from anklesleep.routine.timeline import TONE_STEP_END

if TYPE_CHECKING:  # NumPy loads when a sound is made: measuring a session needs no samples
    import numpy as np
    import numpy.typing as npt

    from anklesleep.audio.voices import Samples

#: Length of the attack and of the final fade (raised cosine): long enough not to click.
FADE_SECONDS = 0.010
#: Every sound stays at its peak at least this long after its attack, before any decay.
SUSTAIN_SECONDS = 0.05
#: Peak levels (linear, full scale = 1), before the track's loudness normalization. Speech is
#: at -20 dBFS RMS; a bell peaks at -24 dBFS (its RMS is 3 dB lower still), ticks at -24 dBFS.
TONE_PEAK = 10 ** (-24 / 20)
TICK_PEAK = 10 ** (-24 / 20)
CHIME_PEAK = 10 ** (-24 / 20)
#: Partials over the fundamental: (frequency ratio, relative level, decay relative to the
#: fundamental's). Inharmonic, like a small bell or a marimba bar.
PARTIALS: tuple[tuple[float, float, float], ...] = ((2.76, 0.22, 0.35), (5.40, 0.08, 0.2))
#: The second note of the step-end sound: this long after the first, a fifth above.
SECOND_NOTE_DELAY = 0.16
SECOND_NOTE_RATIO = 1.5


@dataclass(frozen=True)
class Sound:
    """The shape of one cue's sound: length, peak, and how it decays."""

    seconds: float
    peak: float
    #: time constant (s) of the exponential decay after the sustain (0 = steady tone)
    decay: float = 0.0


#: the sound of each tone-cue kind
SOUNDS: dict[str, Sound] = {
    "hold": Sound(0.9, TONE_PEAK, decay=0.3),
    "release": Sound(0.6, TONE_PEAK, decay=0.16),
    "circle": Sound(0.1, TICK_PEAK, decay=0.08),
    "tilt": Sound(0.1, TICK_PEAK, decay=0.08),
    "done": Sound(1.6, CHIME_PEAK, decay=0.45),
}
#: the two-note sound that ends a toe stretch (its last rest)
STEP_END = Sound(0.8, TONE_PEAK, decay=0.2)
#: the shortest sound we render: a fade in, the sustain, a fade out
MIN_SECONDS = 2 * FADE_SECONDS + SUSTAIN_SECONDS


def _ramp(count: int) -> npt.NDArray[np.float64]:
    """A raised-cosine rise of `count` samples, from just above 0 to just below 1."""
    import numpy as np

    return 0.5 - 0.5 * np.cos(np.pi * (np.arange(count) + 0.5) / count)


def _envelope(n: int, rate: int, decay: float, fade: float) -> npt.NDArray[np.float64]:
    import numpy as np

    f = min(round(fade * rate), n // 2)
    envelope = np.ones(n, dtype=np.float64)
    if f:
        envelope[:f] = _ramp(f)
        envelope[n - f :] *= _ramp(f)[::-1]
    if decay > 0:
        hold_until = f + round(SUSTAIN_SECONDS * rate)
        tail = np.arange(max(0, n - hold_until), dtype=np.float64)
        envelope[hold_until:] *= np.exp(-tail / (decay * rate))
    return envelope


def shaped_tone(
    hz: float,
    seconds: float,
    rate: int,
    *,
    peak: float = TONE_PEAK,
    decay: float = 0.0,
    fade: float = FADE_SECONDS,
    partials: tuple[tuple[float, float, float], ...] = (),
) -> Samples:
    """A note at `hz` lasting `seconds`: attack, `SUSTAIN_SECONDS` at its peak, then steady
    (decay 0) or decaying with time constant `decay`, and a fade out; with `partials` (ratio,
    level, relative decay) it rings like a struck bar. Never louder than `peak`."""
    import numpy as np

    n = max(0, round(seconds * rate))
    if n == 0:
        return np.zeros(0, dtype=np.float32)
    t = np.arange(n, dtype=np.float64)
    wave = np.sin(2 * np.pi * hz * t / rate) * _envelope(n, rate, decay, fade)
    scale = 1.0
    for ratio, level, factor in partials:
        if hz * ratio >= rate / 2 or decay <= 0:
            continue
        scale += level
        ring = _envelope(n, rate, decay * factor, fade)
        wave += level * np.sin(2 * np.pi * hz * ratio * t / rate) * ring
    return np.asarray(peak / scale * wave, dtype=np.float32)


def tone(hz: float, seconds: float, rate: int) -> Samples:
    """A gentle steady sine at `hz` for `seconds`, with short fades (no clicks)."""
    return shaped_tone(hz, seconds, rate)


def _shape(kind: str, hz: float | None) -> Sound:
    if hz == TONE_STEP_END:
        return STEP_END
    return SOUNDS.get(kind, SOUNDS["hold"])


def sound_seconds(kind: str, room: float | None = None, hz: float | None = None) -> float:
    """How long the sound of a `kind` cue (at `hz`) lasts, fitted into `room` seconds if given."""
    nominal = _shape(kind, hz).seconds
    if room is None:
        return nominal
    return max(0.0, min(nominal, room))


def cue_sound(kind: str, hz: float, rate: int, room: float | None = None) -> Samples:
    """The sound of a tone cue of `kind` at `hz`, fitted into `room` seconds.

    Returns no samples when the room is shorter than `MIN_SECONDS` (a sound that short would
    click rather than ring).
    """
    import numpy as np

    shape = _shape(kind, hz)
    seconds = sound_seconds(kind, room, hz)
    if seconds < MIN_SECONDS:
        return np.zeros(0, dtype=np.float32)
    note = shaped_tone(hz, seconds, rate, peak=shape.peak, decay=shape.decay, partials=PARTIALS)
    if shape is STEP_END:
        # a second, higher note a moment later: the step is done
        at = round(SECOND_NOTE_DELAY * rate)
        if note.size - at >= round(MIN_SECONDS * rate):
            second = shaped_tone(
                hz * SECOND_NOTE_RATIO,
                (note.size - at) / rate,
                rate,
                peak=shape.peak * 0.8,
                decay=shape.decay,
                partials=PARTIALS,
            )
            note[at : at + second.size] += second
            note *= min(1.0, shape.peak / max(float(np.max(np.abs(note))), 1e-12))
    return note


def _folder(folder: Path | None) -> Path:
    return folder if folder is not None else paths.cache_dir() / "tones"


def cue_sound_wav(
    kind: str, hz: float, folder: Path | None = None, rate: int = 24000, room: float | None = None
) -> Path | None:
    """The sound of a tone cue (see `cue_sound`) as a cached WAV file; None if it is silent."""
    seconds = sound_seconds(kind, room, hz)
    if seconds < MIN_SECONDS:
        return None
    name = f"v2-{kind}-{hz:.2f}hz-{seconds:.3f}s-{rate}.wav"
    path = _folder(folder) / name
    if not path.exists():
        write_wav_atomic(path, cue_sound(kind, hz, rate, room), rate)
    return path


def db(level: float) -> float:
    """Linear level as dBFS."""
    return 20 * math.log10(max(level, 1e-12))
