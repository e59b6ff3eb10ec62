"""Loudness of a finished track: measured as ITU-R BS.1770 / EBU R 128, normalized to a target.

Every rendered track is brought to `TARGET_LUFS` integrated loudness with true peaks at or below
`TRUE_PEAK_DBTP`, so one track is as loud as the next and nothing clips in any decoder. The
measurement is the standard one: K-weighting (the two BS.1770 biquads, designed for the track's
sample rate from the standard's corner frequencies as libebur128 does, and applied as their
impulse response by FFT convolution),
400 ms blocks with 75 % overlap, an absolute gate at -70 LUFS and a relative gate 10 LU below.
Tests check it against pyloudnorm itself and ffmpeg's `ebur128` meter. Speech peaks that the gain
would push past the ceiling are held down by a smooth look-ahead limiter. Numpy only, chunk by
chunk, so memory stays flat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]
Floats = npt.NDArray[np.float64]

#: Integrated loudness of every track (LUFS): a spoken-word level, calm at night.
TARGET_LUFS = -20.0
#: Highest true (inter-sample) peak allowed (dBTP).
TRUE_PEAK_DBTP = -1.0
#: The limiter's ceiling on samples, a little under the true-peak limit for inter-sample peaks.
SAMPLE_CEILING_DBFS = -1.8
#: The limiter's block (its gain changes are ramps this long, so they do not click).
LIMITER_BLOCK_SECONDS = 0.005
#: How close to the target a track must land (LU); a second gain corrects the limiter's loss.
TOLERANCE_LU = 0.1
#: Length of the K-weighting impulse response used (seconds): its tail is far below -100 dB.
K_RESPONSE_SECONDS = 0.5
#: samples per chunk, to keep memory flat on long tracks
CHUNK = 1 << 18


def _biquads(rate: int) -> list[tuple[Floats, Floats]]:
    """The BS.1770 K-weighting stages (high shelf, then high pass) for `rate`, as (b, a)."""
    # high shelf: +4 dB above about 1.5 kHz (the head's effect)
    gain, q, fc = 3.999843853973347, 0.7071752369554196, 1681.974450955533
    a_gain = 10 ** (gain / 40)
    w0 = 2 * math.pi * fc / rate
    alpha = math.sin(w0) / (2 * q)
    cos = math.cos(w0)
    sq = 2 * math.sqrt(a_gain) * alpha
    shelf_b = np.array(
        [
            a_gain * ((a_gain + 1) + (a_gain - 1) * cos + sq),
            -2 * a_gain * ((a_gain - 1) + (a_gain + 1) * cos),
            a_gain * ((a_gain + 1) + (a_gain - 1) * cos - sq),
        ]
    )
    shelf_a = np.array(
        [
            (a_gain + 1) - (a_gain - 1) * cos + sq,
            2 * ((a_gain - 1) - (a_gain + 1) * cos),
            (a_gain + 1) - (a_gain - 1) * cos - sq,
        ]
    )
    # high pass at about 38 Hz (RLB weighting)
    q, fc = 0.5003270373238773, 38.13547087602444
    w0 = 2 * math.pi * fc / rate
    alpha = math.sin(w0) / (2 * q)
    cos = math.cos(w0)
    pass_b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
    pass_a = np.array([1 + alpha, -2 * cos, 1 - alpha])
    return [(shelf_b / shelf_a[0], shelf_a / shelf_a[0]), (pass_b / pass_a[0], pass_a / pass_a[0])]


@cache
def k_response(rate: int) -> Floats:
    """The impulse response of the K-weighting filter at `rate`, `K_RESPONSE_SECONDS` long."""
    n = round(K_RESPONSE_SECONDS * rate)
    x = np.zeros(n)
    x[0] = 1.0
    for b, a in _biquads(rate):
        y = np.zeros(n)
        x1 = x2 = y1 = y2 = 0.0
        for i in range(n):  # a direct-form recursion, once per rate
            xi = x[i]
            yi = b[0] * xi + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            x2, x1, y2, y1 = x1, xi, y1, yi
            y[i] = yi
        x = y
    return x


def _step_energies(samples: npt.NDArray[np.floating], rate: int) -> Floats:
    """Energy of the K-weighted signal over each 100 ms step (the gating blocks' hop)."""
    h = k_response(rate)
    step = round(0.1 * rate)
    whole = samples.size // step * step
    size = 1 << math.ceil(math.log2(CHUNK + h.size))
    # as many new samples per transform as fit beside the response's tail (none wasted)
    chunk = max(step, (size - h.size + 1) // step * step)
    spectrum = np.fft.rfft(h, size)
    filtered_tail = np.zeros(h.size - 1)
    sums = np.empty(whole // step, dtype=np.float64)
    for first in range(0, whole, chunk):
        x = np.asarray(samples[first : min(whole, first + chunk)], dtype=np.float64)
        y = np.fft.irfft(np.fft.rfft(x, size) * spectrum, size)[: x.size + h.size - 1]
        y[: h.size - 1] += filtered_tail  # overlap-add the previous chunk's ring
        filtered_tail = y[x.size :].copy()
        out = y[: x.size]
        sums[first // step : first // step + x.size // step] = (out * out).reshape(-1, step).sum(1)
    return sums


def integrated_lufs(samples: npt.NDArray[np.floating], rate: int) -> float:
    """Integrated loudness (LUFS) of mono `samples`; -inf for silence or under 400 ms."""
    steps = _step_energies(samples, rate)
    if steps.size < 4:
        return -math.inf
    block = 4 * round(0.1 * rate)
    z = (steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]) / block
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(z)
    kept = z[loud > -70.0]
    if kept.size == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(kept.mean())) - 10.0
    gated = kept[(-0.691 + 10 * np.log10(kept)) > relative]
    return -0.691 + 10 * math.log10(float(gated.mean()))


def block_peaks(samples: npt.NDArray[np.floating], size: int) -> Floats:
    """The largest absolute sample of each block of `size` samples (the last may be shorter)."""
    count = -(-samples.size // size)
    peaks = np.zeros(count, dtype=np.float64)
    step = CHUNK // size * size
    for first in range(0, samples.size, step):
        part = np.abs(samples[first : first + step])
        full = part.size // size
        if full:
            peaks[first // size : first // size + full] = (
                part[: full * size].reshape(-1, size).max(1)
            )
        if part.size > full * size:
            peaks[first // size + full] = part[full * size :].max()
    return peaks


@cache
def _oversampler(taps_per_phase: int = 16) -> Floats:
    """A 4x interpolation filter: windowed sinc, `4 * taps_per_phase` taps."""
    n = 4 * taps_per_phase
    t = (np.arange(n) - (n - 1) / 2) / 4
    return np.asarray(np.sinc(t) * np.kaiser(n, 8.0), dtype=np.float64)


def true_peak_dbtp(samples: npt.NDArray[np.floating], rate: int, block: int = 2048) -> float:
    """True peak (dBTP): the highest peak of the signal oversampled four times.

    Only blocks whose sample peak comes within 3 dB of the loudest sample are oversampled: in
    speech and these bells (little energy near the Nyquist frequency) an inter-sample peak
    stays well within 3 dB of its neighbouring samples.
    """
    del rate  # the oversampling is relative to the sample rate
    peaks = block_peaks(samples, block)
    if peaks.size == 0 or float(peaks.max()) <= 0:
        return -math.inf
    top = float(peaks.max())
    kernel = _oversampler()
    margin = kernel.size
    peak = top
    for b in (int(i) for i in np.flatnonzero(peaks >= top * 10 ** (-3 / 20))):
        part = np.asarray(
            samples[max(0, b * block - margin) : (b + 1) * block + margin], np.float64
        )
        up = np.zeros(part.size * 4)
        up[::4] = part
        peak = max(peak, float(np.max(np.abs(np.convolve(up, kernel, mode="same")))))
    return 20 * math.log10(peak)


def limit(
    samples: Samples,
    rate: int,
    ceiling_dbfs: float = SAMPLE_CEILING_DBFS,
    *,
    in_place: bool = False,
) -> Samples:
    """`samples` with every peak above the ceiling held down by a smooth gain ramp.

    The gain each block needs is found with one block of look-ahead and one of release either
    side, then ramped linearly across each block, so the gain never jumps (no clicks).
    """
    ceiling = 10 ** (ceiling_dbfs / 20)
    n = samples.size
    size = max(1, round(LIMITER_BLOCK_SECONDS * rate))
    peaks = block_peaks(samples, size)
    result = samples if in_place else samples.copy()
    if peaks.size == 0 or float(peaks.max()) <= ceiling:
        return result
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    spread = need.copy()
    spread[1:] = np.minimum(spread[1:], need[:-1])
    spread[:-1] = np.minimum(spread[:-1], need[1:])
    # gain at block edges: the lower of the blocks that meet there, ramped between them
    edges = np.concatenate([[spread[0]], np.minimum(spread[:-1], spread[1:]), [spread[-1]]])
    ramp = np.arange(size, dtype=np.float64) / size
    hit = np.flatnonzero(spread < 1.0)
    gain = edges[hit, None] + (edges[hit + 1] - edges[hit])[:, None] * ramp[None, :]
    gain = np.minimum(gain, spread[hit, None]).astype(np.float32)
    whole = n // size
    full = hit[hit < whole]
    blocks = result[: whole * size].reshape(whole, size)
    blocks[full] *= gain[: full.size]
    if full.size < hit.size:  # the last, shorter block
        result[whole * size :] *= gain[-1][: n - whole * size]
    return result


@dataclass(frozen=True)
class Gains:
    """The gains `normalize` applied to one mix: to the target, after the limiter, for the peak.

    Normalizing the same samples with these gains (`known=`) gives the very same result without
    measuring anything, so a track rendered again from the same clips skips the meter.
    """

    first: float
    second: float = 1.0
    last: float = 1.0


def normalize(
    samples: Samples, rate: int, *, in_place: bool = False, under: Samples | None = None
) -> Samples:
    """`samples` at `TARGET_LUFS` integrated, true peak at most `TRUE_PEAK_DBTP`.

    One gain to the target, the limiter on the peaks it pushed too high, then one small gain for
    what the limiter took away. Silence (or a track too short to measure) is returned unchanged.
    `under` (the quiet bed, as long as `samples`) is added after the first gain, so it keeps its
    own level, and still passes through the limiter and the checks.
    """
    return normalize_with(samples, rate, in_place=in_place, under=under)[0]


def normalize_with(
    samples: Samples,
    rate: int,
    *,
    in_place: bool = False,
    under: Samples | None = None,
    known: Gains | None = None,
) -> tuple[Samples, Gains | None]:
    """`normalize`, also returning the gains it applied (None for silence); with `known` gains
    (from an earlier run on the same samples) it applies them without measuring."""
    x = samples if in_place else samples.copy()
    loud = TARGET_LUFS if known is not None else integrated_lufs(samples, rate)
    if not math.isfinite(loud):
        if under is not None:
            x += under
        return x, None
    first = known.first if known else float(np.float32(10 ** ((TARGET_LUFS - loud) / 20)))
    x *= np.float32(first)
    if under is not None:
        x += under
    limit(x, rate, in_place=True)
    if known is not None:
        second = known.second
    else:
        loud = integrated_lufs(x, rate)
        second = 1.0
        if abs(loud - TARGET_LUFS) > TOLERANCE_LU:
            second = float(np.float32(10 ** ((TARGET_LUFS - loud) / 20)))
    if second != 1.0:
        x *= np.float32(second)
    if known is not None:
        last = known.last
    else:
        over = true_peak_dbtp(x, rate) - TRUE_PEAK_DBTP
        last = float(np.float32(10 ** (-over / 20))) if over > 0 else 1.0
    if last != 1.0:
        x *= np.float32(last)
    return x, Gains(first, second, last)
