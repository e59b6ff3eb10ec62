"""Small, exact statistical tools shared by the insights and the personal experiment. Pure.

Everything random is driven by an explicit seed, so the same data always gives the same
numbers (a report printed twice must agree with itself).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: enumerate every within-pair order up to this many pairs (2**16 = 65 536 assignments)
EXACT_MAX_PAIRS = 16
#: Monte Carlo draws of the randomization distribution beyond that
MONTE_CARLO_DRAWS = 20_000
#: bootstrap resamples for an interval (percentile method)
BOOTSTRAP_RESAMPLES = 2_000


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided interval at `level` (for example 0.95)."""

    estimate: float
    low: float
    high: float
    level: float = 0.95


@dataclass(frozen=True)
class RandomizationTest:
    """A two-sided randomization (sign-flip) test of the mean paired difference.

    `statistics` holds the test statistic under every assignment that was considered (all
    2**pairs within-pair orders when `exact`, else Monte Carlo draws), for charts.
    """

    observed: float
    p_value: float
    assignments: int
    exact: bool
    statistics: tuple[float, ...]


def smallest_p(pairs: int) -> float:
    """The smallest two-sided p-value an exact sign-flip test over `pairs` pairs can give.

    The observed order and its mirror image (every pair swapped) always tie, so it is 2 / 2**k.
    """
    if pairs < 1:
        return 1.0
    return min(1.0, 2.0 / 2.0**pairs)


@cache
def _sign_matrix(pairs: int) -> npt.NDArray[np.float64]:
    """Every +1/-1 vector of length `pairs`, one per row (2**pairs rows), read-only."""
    import numpy as np

    codes = np.arange(2**pairs, dtype=np.int64)[:, None]
    bits = (codes >> np.arange(pairs, dtype=np.int64)[None, :]) & 1
    signs = 1.0 - 2.0 * bits.astype(np.float64)
    signs.setflags(write=False)
    return signs


def sign_flip_test(
    differences: Sequence[float] | npt.NDArray[np.float64],
    *,
    seed: int = 0,
    draws: int = MONTE_CARLO_DRAWS,
    keep: int = 4096,
) -> RandomizationTest:
    """Randomization test for paired blocks whose order was randomized within each pair.

    Under the null hypothesis (the routine changes nothing), swapping the order of a pair only
    flips the sign of that pair's difference, so the statistic `mean(d)` is compared with its
    value under every possible set of swaps. Exact when there are at most `EXACT_MAX_PAIRS`
    pairs; otherwise `draws` random assignments (seeded) and the (1 + hits) / (1 + draws) rule.
    """
    import numpy as np

    d = np.asarray(differences, dtype=np.float64)
    k = int(d.size)
    if k == 0:
        return RandomizationTest(0.0, 1.0, 1, True, (0.0,))
    observed = float(d.mean())
    tolerance = 1e-9 * max(1.0, float(np.abs(d).max()))
    if k <= EXACT_MAX_PAIRS:
        stats = _sign_matrix(k) @ d / k
        hits = int(np.count_nonzero(np.abs(stats) >= abs(observed) - tolerance))
        p = hits / stats.size
        exact = True
    else:
        rng = np.random.default_rng(seed)
        signs = rng.choice(np.array([-1.0, 1.0]), size=(draws, k))
        stats = signs @ d / k
        hits = int(np.count_nonzero(np.abs(stats) >= abs(observed) - tolerance))
        p = (1 + hits) / (1 + draws)
        exact = False
    kept = stats if stats.size <= keep else stats[:keep]
    return RandomizationTest(
        observed=observed,
        p_value=float(min(1.0, p)),
        assignments=int(stats.size),
        exact=exact,
        statistics=tuple(float(x) for x in kept),
    )


def t_quantile(probability: float, df: int) -> float:
    """The Student t quantile (scipy, imported only when needed)."""
    from scipy import stats

    return float(stats.t.ppf(probability, df))


def mean_interval(
    values: Sequence[float] | npt.NDArray[np.float64], level: float = 0.95
) -> Interval | None:
    """The mean with a Student t interval; None with fewer than two values."""
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    n = int(x.size)
    if n < 2:
        return None
    mean = float(x.mean())
    se = float(x.std(ddof=1)) / math.sqrt(n)
    half = t_quantile(0.5 + level / 2, n - 1) * se
    return Interval(mean, mean - half, mean + half, level)


def bootstrap_difference(
    treated: npt.NDArray[np.float64],
    control: npt.NDArray[np.float64],
    *,
    seed: int = 0,
    resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = 0.95,
    chunk: int = 250,
) -> list[Interval | None]:
    """Difference in means (treated - control) per column, with percentile bootstrap intervals.

    `treated` and `control` are 2-D arrays (rows = nights, columns = metrics). Nights are
    resampled with replacement within each group, the same resampled nights for every column
    (so the metrics' intervals describe the same bootstrap world); each resample's counts come
    from one bincount, so a chunk of resamples is one matrix product, bounding memory.
    Returns None for a column when a group has fewer than two nights.
    """
    import numpy as np

    n1, n0 = int(treated.shape[0]), int(control.shape[0])
    columns = int(treated.shape[1]) if treated.ndim == 2 else 0
    if n1 < 2 or n0 < 2:
        return [None] * columns
    rng = np.random.default_rng(seed)
    diffs = np.empty((resamples, columns), dtype=np.float64)

    def weights(n: int, size: int) -> npt.NDArray[np.float64]:
        # How often each night is drawn in each resample: one bincount over offset indices.
        picks = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        return np.bincount(picks.ravel(), minlength=size * n).reshape(size, n).astype(np.float64)

    for first in range(0, resamples, chunk):
        size = min(chunk, resamples - first)
        w1, w0 = weights(n1, size), weights(n0, size)
        diffs[first : first + size] = (w1 @ treated) / n1 - (w0 @ control) / n0
    alpha = (1.0 - level) / 2
    lows = np.quantile(diffs, alpha, axis=0)
    highs = np.quantile(diffs, 1.0 - alpha, axis=0)
    estimates = treated.mean(axis=0) - control.mean(axis=0)
    return [
        Interval(float(estimates[j]), float(lows[j]), float(highs[j]), level)
        for j in range(columns)
    ]
