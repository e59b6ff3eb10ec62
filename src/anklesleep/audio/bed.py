"""The optional quiet bed: soft room tone under the whole track.

Phones and Bluetooth headsets power their amplifier down after a few seconds of digital
silence and clip the start of the next sound when they wake. A bed of soft noise far under the
voice keeps them awake. It is pink noise (equal energy per octave, the sound of a quiet room or
distant air) with its highs rolled off above 1.5 kHz and its rumble below 40 Hz removed, so it
sits in the background like room tone rather than hiss.

It is made as one seamless loop by shaping white noise in the frequency domain (a loop made
that way wraps around without a seam), then repeated under the track, with a fade in over the
lead-in and a fade out at the end, so it never starts or stops with a click.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]

#: Length of the noise loop (seconds): long enough that nobody hears it repeat.
LOOP_SECONDS = 23.0
#: The fade at each end of the bed (seconds).
FADE_SECONDS = 1.5
#: Where the highs roll off and the rumble is cut (Hz).
LOW_PASS_HZ = 1500.0
HIGH_PASS_HZ = 40.0
#: A fixed seed: the same track always has the same bed (tracks are cached and compared).
SEED = 20_130


def room_tone_loop(rate: int, seconds: float = LOOP_SECONDS) -> Samples:
    """One seamless loop of soft room tone at 0 dBFS RMS (scaled by the caller)."""
    size = round(seconds * rate)
    rng = np.random.default_rng(SEED)
    spectrum = np.fft.rfft(rng.standard_normal(size))
    freqs = np.fft.rfftfreq(size, 1.0 / rate)
    shape = np.zeros_like(freqs)
    audible = freqs > 0
    f = freqs[audible]
    shape[audible] = (
        f**-0.5  # pink: -3 dB an octave
        / np.sqrt(1.0 + (f / LOW_PASS_HZ) ** 4)  # a gentle 2nd-order roll-off of the highs
        / np.sqrt(1.0 + (HIGH_PASS_HZ / f) ** 4)  # and of the rumble
    )
    loop = np.fft.irfft(spectrum * shape, size)
    loop /= np.sqrt(np.mean(loop**2))
    return np.asarray(loop, dtype=np.float32)


def room_tone(size: int, rate: int, level_dbfs: float) -> Samples:
    """`size` samples of room tone at `level_dbfs` RMS, faded in and out."""
    if size <= 0:
        return np.zeros(0, dtype=np.float32)
    loop = room_tone_loop(rate)
    repeats = -(-size // loop.size)
    bed = np.tile(loop, repeats)[:size]
    bed *= np.float32(10 ** (level_dbfs / 20))
    fade = min(size // 2, round(FADE_SECONDS * rate))
    if fade:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, fade))).astype(np.float32)
        bed[:fade] *= ramp
        bed[-fade:] *= ramp[::-1]
    return bed
