"""Loudness of a finished track: measured as ITU-R BS.1770 / EBU R 128, normalized to a target.

Every rendered track is brought to `TARGET_LUFS` integrated loudness with true peaks at or below
`TRUE_PEAK_DBTP`, so one track is as loud as the next and nothing clips in any decoder. The
measurement is the standard one (K-weighting, 400 ms blocks with 75 % overlap, absolute gate at
-70 LUFS and relative gate 10 LU below), with the K-weighting filters of `pyloudnorm`; tests check
the result against `pyloudnorm` itself and ffmpeg's `ebur128` meter. Speech peaks that the gain
would push past the ceiling are held down by a smooth look-ahead limiter.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float32]

#: Integrated loudness of every track (LUFS): a spoken-word level, calm at night.
TARGET_LUFS = -20.0
#: Highest true (inter-sample) peak allowed (dBTP).
TRUE_PEAK_DBTP = -1.0
#: The limiter's ceiling on samples, a little under the true-peak limit for inter-sample peaks.
SAMPLE_CEILING_DBFS = -1.8
#: The limiter's block (its gain changes are ramps this long, so they do not click).
LIMITER_BLOCK_SECONDS = 0.005
#: How close to the target a track must land (LU); a second pass corrects the limiter's loss.
TOLERANCE_LU = 0.1


#: samples per chunk when filtering, to keep memory flat on long tracks
CHUNK = 1 << 20


def _step_energies(samples: npt.NDArray[np.floating], rate: int) -> npt.NDArray[np.float64]:
    """Sum of the K-weighted signal's energy over each 100 ms step (the gating blocks' hop).

    Filtered chunk by chunk with the filter state carried across, so memory stays flat.
    """
    import pyloudnorm  # type: ignore[import-untyped]
    from scipy.signal import lfilter, lfilter_zi

    stages = [(f.b, f.a) for f in pyloudnorm.Meter(rate)._filters.values()]
    states = [lfilter_zi(b, a) * 0.0 for b, a in stages]
    step = round(0.1 * rate)
    whole = samples.size // step * step
    sums = np.empty(whole // step, dtype=np.float64)
    for first in range(0, whole, CHUNK // step * step):
        x = np.asarray(samples[first : min(whole, first + CHUNK // step * step)], np.float64)
        for k, (b, a) in enumerate(stages):
            x, states[k] = lfilter(b, a, x, zi=states[k])
        sums[first // step : first // step + x.size // step] = (x * x).reshape(-1, step).sum(1)
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


def true_peak_dbtp(samples: npt.NDArray[np.floating], rate: int, block: int = 2048) -> float:
    """True peak (dBTP): the highest peak of the signal oversampled four times.

    Only blocks whose sample peak comes within 3 dB of the loudest sample are oversampled: in
    speech and these bells (little energy near the Nyquist frequency) an inter-sample peak
    stays well within 3 dB of its neighbouring samples.
    """
    from scipy.signal import resample_poly

    n = samples.size
    if n == 0:
        return -math.inf
    count = -(-n // block)
    padded = np.zeros(count * block, dtype=np.float32)
    padded[:n] = np.abs(samples)
    peaks = padded.reshape(count, block).max(axis=1)
    top = float(peaks.max())
    if top <= 0:
        return -math.inf
    peak = top
    margin = 64
    for b in (int(i) for i in np.flatnonzero(peaks >= top * 10 ** (-3 / 20))):
        part = np.asarray(
            samples[max(0, b * block - margin) : (b + 1) * block + margin], np.float64
        )
        peak = max(peak, float(np.max(np.abs(resample_poly(part, 4, 1)))))
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
    side, then interpolated sample by sample, so the gain never jumps (no clicks).
    """
    ceiling = 10 ** (ceiling_dbfs / 20)
    n = samples.size
    size = max(1, round(LIMITER_BLOCK_SECONDS * rate))
    count = -(-n // size)
    padded = np.zeros(count * size, dtype=np.float32)
    padded[:n] = np.abs(samples)
    peaks = padded.reshape(count, size).max(axis=1)
    if peaks.size == 0 or float(peaks.max()) <= ceiling:
        return samples
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    spread = need.copy()
    spread[1:] = np.minimum(spread[1:], need[:-1])
    spread[:-1] = np.minimum(spread[:-1], need[1:])
    # gain at block edges: the lower of the blocks that meet there, ramped between them
    edges = np.concatenate([[spread[0]], np.minimum(spread[:-1], spread[1:]), [spread[-1]]])
    result = samples if in_place else samples.copy()
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


def normalize(samples: Samples, rate: int) -> Samples:
    """`samples` at `TARGET_LUFS` integrated, true peak at most `TRUE_PEAK_DBTP`.

    One gain to the target, the limiter on the peaks it pushed too high, then one small gain for
    what the limiter took away. Silence (or a track too short to measure) is returned unchanged.
    """
    loud = integrated_lufs(samples, rate)
    if not math.isfinite(loud):
        return samples
    x = samples * np.float32(10 ** ((TARGET_LUFS - loud) / 20))
    limit(x, rate, in_place=True)
    loud = integrated_lufs(x, rate)
    if abs(loud - TARGET_LUFS) > TOLERANCE_LU:
        x *= np.float32(10 ** ((TARGET_LUFS - loud) / 20))
    over = true_peak_dbtp(x, rate) - TRUE_PEAK_DBTP
    if over > 0:
        x *= np.float32(10 ** (-over / 20))
    return x
