"""Find tone onsets in rendered audio, to the sample: the check that the file is the clock.

For each frequency the signal is demodulated (multiplied by a complex exponential at that
frequency) and smoothed, which leaves the tone's amplitude envelope and rejects speech, whose
energy is spread over many harmonics. A coarse pass over 10 ms frames finds candidate tones
(strong and spectrally pure at that frequency); a fine pass smooths each candidate with a Hann
window and finds where the envelope crosses half its peak. Every sound in `tones` starts with
the same raised-cosine fade, whose midpoint lies `fade/2 - 0.5` samples after its first sample,
and a symmetric smoothing window keeps that midpoint where it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from anklesleep.audio.tones import FADE_SECONDS, TICK_PEAK

#: smoothing of the fine pass: a Hann window this long (its main lobe is +-2/length wide)
WINDOW_SECONDS = 0.04
#: coarse pass frame
FRAME_SECONDS = 0.01
#: a candidate must carry at least this share of the signal's energy at the frequency
PURITY = 0.75
#: samples per coarse chunk, to keep memory flat on long tracks
CHUNK = 1 << 20


@dataclass(frozen=True)
class Onset:
    """A tone found in the audio: its frequency, first sample (fractional) and peak level."""

    hz: float
    sample: float
    peak: float

    def seconds(self, rate: int) -> float:
        return self.sample / rate


def _coarse(
    samples: npt.NDArray[np.floating], rate: int, freqs: list[float], min_peak: float
) -> dict[float, list[int]]:
    """Per frequency, the frames where a strong, pure tone starts (first frame of each run).

    Each frame's demodulated sum is one matrix product (frames x samples-per-frame times
    samples-per-frame x frequencies), rotated by the frame's phase, then summed over a sliding
    window of `WINDOW_SECONDS`.
    """
    frame = max(1, round(FRAME_SECONDS * rate))
    span = max(1, round(WINDOW_SECONDS / FRAME_SECONDS))
    count = samples.size // frame
    if count == 0 or not freqs:
        return {hz: [] for hz in freqs}
    omega = 2 * np.pi * np.asarray(freqs, dtype=np.float64) / rate
    angles = np.outer(np.arange(frame), omega)
    within = np.concatenate([np.cos(angles), -np.sin(angles)], axis=1)  # real BLAS product
    kernel = np.ones(span)
    sums = np.empty((count, len(freqs)), dtype=np.complex128)
    power = np.empty(count, dtype=np.float64)
    rows = max(1, CHUNK // frame)
    for first in range(0, count, rows):
        last = min(count, first + rows)
        x = np.asarray(samples[first * frame : last * frame], dtype=np.float64)
        block = x.reshape(-1, frame)
        product = block @ within
        sums[first:last] = product[:, : len(freqs)] + 1j * product[:, len(freqs) :]
        power[first:last] = np.einsum("ij,ij->i", block, block)
    starts = np.arange(count, dtype=np.float64) * frame
    sums *= np.exp(-1j * np.outer(starts, omega))
    power_s = np.convolve(power, kernel, mode="same")
    result: dict[float, list[int]] = {}
    n = span * frame
    for j, hz in enumerate(freqs):
        smooth = np.convolve(sums[:, j], kernel, mode="same")
        amplitude = 2 * np.abs(smooth) / n
        purity = (amplitude**2 / 2) / np.maximum(power_s / n, 1e-20)
        hit = (amplitude > min_peak / 2) & (purity > PURITY)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], hit.astype(np.int8)])) == 1)
        result[hz] = [int(e) for e in edges]
    return result


def _fine(
    samples: npt.NDArray[np.floating], rate: int, hz: float, around: int
) -> tuple[float, float] | None:
    """(onset sample, peak) of the tone whose coarse detection starts near sample `around`."""
    w = round(WINDOW_SECONDS * rate) | 1  # odd: a centred window
    half = w // 2
    lo = max(0, around - 3 * w)
    hi = min(samples.size, around + 4 * w)
    x = np.asarray(samples[lo:hi], dtype=np.float64)
    if x.size < w:
        return None
    phase = 2 * np.pi * hz * np.arange(lo, hi, dtype=np.float64) / rate
    z = x * np.exp(-1j * phase)
    kernel = np.hanning(w + 2)[1:-1]
    kernel /= kernel.sum()
    size = 1 << int(np.ceil(np.log2(x.size + w)))  # FFT convolution: 20x faster here
    full = np.fft.ifft(np.fft.fft(z, size) * np.fft.fft(kernel, size))
    envelope = 2 * np.abs(full[half : half + x.size])
    # the peak of this tone, not of a neighbour that ends just before it (fast ticks)
    first = max(0, min(envelope.size - 1, around - lo - w))
    # (ticks of equal height: take the earliest, not whichever rounding makes largest)
    # …and not of speech that follows it (a count spoken after a tick)
    rest = envelope[first : max(first + 1, around - lo + 2 * w)]
    near = np.flatnonzero(rest >= 0.98 * rest.max())
    peak_at = first + int(near[0])
    while peak_at + 1 < envelope.size and envelope[peak_at + 1] > envelope[peak_at]:
        peak_at += 1
    peak = float(envelope[peak_at])
    if peak <= 0:
        return None
    below = np.flatnonzero(envelope[: peak_at + 1] < peak / 2)
    if below.size == 0:
        return None
    k = int(below[-1])  # envelope[k] < peak/2 <= envelope[k + 1]
    a, b = envelope[k], envelope[k + 1]
    crossing = k + (peak / 2 - a) / (b - a)
    fade = round(FADE_SECONDS * rate)
    return lo + crossing - (fade / 2 - 0.5), peak


def detect(
    samples: npt.NDArray[np.floating],
    rate: int,
    frequencies: Iterable[float],
    *,
    min_peak: float = TICK_PEAK / 2,
) -> list[Onset]:
    """Every tone onset at the given frequencies, in time order."""
    found: list[Onset] = []
    frame = max(1, round(FRAME_SECONDS * rate))
    freqs = sorted(set(frequencies))
    for hz, starts in _coarse(samples, rate, freqs, min_peak).items():
        last = -np.inf
        for index in starts:
            # the sliding sum is centred: a tone starting in frame f shows from frame f - span/2
            result = _fine(samples, rate, hz, (index + 2) * frame)
            if result is None or result[0] - last < frame:
                continue
            last = result[0]
            found.append(Onset(hz, result[0], result[1]))
    found.sort(key=lambda o: o.sample)
    return found
