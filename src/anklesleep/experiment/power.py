"""What a personal experiment can detect: the smallest change it finds with 80 % power. Pure.

The unit of the analysis is the randomized pair of blocks, so the power depends on how much a
pair's difference varies: with nights that vary by `sd` from one to the next (no day-to-day
correlation assumed) and `m` analysed nights per block, a pair's difference varies by
`sd * sqrt(2 / m)`. Power is simulated for the randomization test the analysis uses (every
within-pair order, or a fixed seeded sample of orders for many pairs), with seeded random
numbers, so the same inputs always give the same answer. Correlated nights (a bad night
tends to follow a bad night) make the real power lower than these figures; the texts say so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from anklesleep.basics.i18n import Translate, nt
from anklesleep.basics.wording import join_sentences
from anklesleep.experiment.design import OUTCOME_LABELS, Outcome
from anklesleep.insights.inference import smallest_p

POWER = 0.8
#: the change the experiment is also checked against: half the night-to-night SD
REFERENCE_EFFECT_SD = 0.5
SIMULATIONS = 2000
MAX_ORDERS = 512
#: at least this many nights are needed before the night-to-night SD is worth quoting
MIN_NIGHTS_FOR_SD = 7
#: effects beyond this many SDs of a pair's difference count as undetectable
MAX_EFFECT = 6.0


@dataclass(frozen=True)
class Detectable:
    """The answer for one design and one person's night-to-night variation."""

    sd: float  # night-to-night SD of the outcome, in its units
    nights_used: int  # nights the SD was estimated from
    pairs: int
    nights_per_block: int
    smallest_change: float | None  # in outcome units; None when no change can reach alpha
    weeks_for_reference: int | None  # total weeks that detect REFERENCE_EFFECT_SD; None: > max
    #: where the SD comes from: the nights before the start, or the experiment's own nights
    #: (around each block's mean) in the pairs already over
    source: Literal["history", "experiment"] = "history"
    pairs_done: int = 0  # with source "experiment": the pairs whose nights were used

    @property
    def reference_change(self) -> float:
        return REFERENCE_EFFECT_SD * self.sd


def night_sd(values: Sequence[float]) -> float | None:
    """The night-to-night SD of an outcome, or None with too few nights to say."""
    if len(values) < MIN_NIGHTS_FOR_SD:
        return None
    sd = statistics.stdev(values)
    return sd if sd > 0 else None


@cache
def _simulation(pairs: int) -> tuple[object, object]:
    """Seeded noise for `SIMULATIONS` experiments and the block orders the test compares."""
    import numpy as np

    rng = np.random.default_rng(20261129 + pairs)
    noise = rng.normal(0.0, 1.0, size=(SIMULATIONS, pairs))
    if 2**pairs <= MAX_ORDERS:
        codes = np.arange(2**pairs, dtype=np.int64)[:, None]
        signs = 1.0 - 2.0 * ((codes >> np.arange(pairs, dtype=np.int64)[None, :]) & 1)
    else:
        signs = rng.choice(np.array([-1.0, 1.0]), size=(MAX_ORDERS, pairs))
        signs[0] = 1.0  # the order actually drawn is always one of the orders compared
    return noise, signs


@cache
def power_at(pairs: int, effect: float, alpha: float) -> float:
    """Simulated power of the randomization test over `pairs` pairs, for a true mean pair
    difference of `effect` SDs of a pair's difference."""
    import numpy as np

    if pairs < 1 or smallest_p(pairs) > alpha:
        return 0.0
    noise, signs = _simulation(pairs)
    assert isinstance(noise, np.ndarray) and isinstance(signs, np.ndarray)
    d = noise + effect
    observed = np.abs(d.mean(axis=1))[:, None]
    null = np.abs(d @ signs.T / pairs)
    p = (null >= observed - 1e-12).mean(axis=1)
    return float((p <= alpha).mean())


def standardized_detectable(pairs: int, alpha: float, power: float = POWER) -> float | None:
    """The smallest pair effect (in SDs of a pair's difference) detected with `power`, to 0.01;
    None when no effect can be (too few pairs to reach `alpha`)."""
    low, high = 0.0, MAX_EFFECT
    if power_at(pairs, high, alpha) < power:
        return None
    while high - low > 0.01:
        mid = round((low + high) / 2, 4)
        if power_at(pairs, mid, alpha) >= power:
            high = mid
        else:
            low = mid
    return high


def pair_sd(sd: float, nights_per_block: int) -> float:
    return sd * math.sqrt(2.0 / max(1, nights_per_block))


def detectable(
    sd: float,
    nights_used: int,
    *,
    weeks: int,
    block_days: int,
    washout_nights: int,
    alpha: float,
    max_weeks: int = 52,
    source: Literal["history", "experiment"] = "history",
    pairs_done: int = 0,
) -> Detectable:
    """How small a change this design detects with 80 % power, and how long it would take to
    detect a change of half the night-to-night SD with the same block length."""
    m = max(1, block_days - washout_nights)
    pairs = weeks * 7 // (2 * block_days)
    z = standardized_detectable(pairs, alpha)
    smallest = None if z is None else z * pair_sd(sd, m)
    reference = REFERENCE_EFFECT_SD * sd / pair_sd(sd, m)
    candidates = [w for w in range(2, max_weeks + 1, 2) if (w * 7) % (2 * block_days) == 0]
    detects = [w for w in candidates if w * 7 // (2 * block_days) >= 2]
    needed = None
    low, high = 0, len(detects) - 1  # power grows with the weeks: search the first that detects
    while low <= high:
        mid = (low + high) // 2
        if power_at(detects[mid] * 7 // (2 * block_days), reference, alpha) >= POWER:
            needed = detects[mid]
            high = mid - 1
        else:
            low = mid + 1
    return Detectable(sd, nights_used, pairs, m, smallest, needed, source, pairs_done)


def sentence(det: Detectable, outcome: Outcome, weeks: int, t: Translate) -> str:
    """What this experiment can detect, in plain words, with the limits of the estimate."""
    from anklesleep.experiment.analysis import fmt

    label = t(OUTCOME_LABELS[outcome])
    if det.source == "experiment":
        varies = nt(
            "Within the blocks of the first pair, your {label} varies by about {sd} from night "
            "to night ({n} nights).",
            "Within the blocks of the {pairs} pairs so far, your {label} varies by about {sd} "
            "from night to night ({n} nights).",
            det.pairs_done,
            t,
        )
    else:
        varies = t(
            "In the {n} nights before the experiment, your {label} varied by about {sd} from "
            "night to night."
        )
    parts = [
        varies.format(
            label=label, sd=fmt(det.sd, outcome, t=t), n=det.nights_used, pairs=det.pairs_done
        )
    ]
    if det.smallest_change is None:
        parts.append(
            t(
                "With {pairs} pairs of blocks no change can reach the 5 % level, so this plan "
                "can estimate an effect but not confirm one."
            ).format(pairs=det.pairs)
        )
    else:
        parts.append(
            t(
                "Over {weeks} weeks the experiment has an 80 % chance of detecting a change of "
                "about {change} or more; smaller changes may go unnoticed."
            ).format(weeks=weeks, change=fmt(det.smallest_change, outcome, t=t))
        )
    reference = fmt(det.reference_change, outcome, t=t)
    if det.weeks_for_reference is None:
        parts.append(
            t(
                "Even a year would not reliably detect a change of {change} (half that variation)."
            ).format(change=reference)
        )
    elif det.weeks_for_reference <= weeks:
        parts.append(
            t("That includes a change of {change}, half that variation.").format(change=reference)
        )
    else:
        more = det.weeks_for_reference - weeks
        parts.append(
            t(
                "To detect a change of {change} (half that variation) it would need about "
                "{more} more weeks."
            ).format(change=reference, more=more)
        )
    parts.append(
        t(
            "This is an estimate: nights that follow each other closely make it optimistic, and "
            "missing diary nights lower it."
        )
    )
    return join_sentences(parts, t)
