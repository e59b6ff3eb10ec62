"""Power of the personal experiment: how often an 8-week experiment detects a true effect.

Simulates nightly outcomes in standard-deviation units (mean 0, SD 1) with no day-to-day
correlation and with AR(1) correlation rho = 0.5 (a bad night tends to follow a bad night),
adds a true effect of 0.5 or 0.8 SD on the nights after routine days, and runs the exact
analysis `anklesleep experiment result` uses (`trial.analyse`: block means, pair differences,
randomization test). Power = the share of simulated experiments with p <= 0.05; the share
whose 95 % interval excludes zero is printed too. The first rows (no effect) show the false
positive rate. Seeded: the same numbers every run.

The last table puts nights missing at random (0-20 %) into 8-week experiments of 4-day blocks,
with no effect and with 0.5 SD, and compares the stored missing-night rule (a block counts with
2 of its 3 analysed nights) with the strict rule (complete blocks only): the false-positive
rate with its 95 % Clopper-Pearson interval, the power under each rule and the power regained.

Run: .venv/bin/python scripts/power.py [--simulations N] [--missing-only]
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

from anklesleep.basics.i18n import translator
from anklesleep.experiment import analysis as trial
from anklesleep.experiment import design as experiment

EN = translator("en")

START = dt.date(2026, 1, 5)
EFFECTS = (0.0, 0.5, 0.8)
RHOS = (0.0, 0.5)
BLOCK_DAYS = (7, 4, 2)


def ar1(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    noise = rng.normal(0.0, 1.0, n)
    x = np.empty(n)
    x[0] = noise[0]
    scale = np.sqrt(1.0 - rho**2)
    for i in range(1, n):
        x[i] = rho * x[i - 1] + scale * noise[i]
    return x


def simulate(
    block_days: int, effect: float, rho: float, simulations: int, seed: int
) -> tuple[float, float]:
    d = experiment.design(weeks=8, block_days=block_days, seed=seed)
    e = experiment.new_experiment(
        d, START, today=START, uuid="power", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    nights: list[dt.date] = []
    routine: list[bool] = []
    for b in e.blocks:
        for i in range(b.days):
            nights.append(b.start + dt.timedelta(days=i + 1))
            routine.append(b.condition == "routine")
    shift = effect * np.asarray(routine, dtype=float)
    today = e.end_date + dt.timedelta(days=1)
    rng = np.random.default_rng(seed)
    significant = excludes = 0
    for _ in range(simulations):
        values = ar1(rng, len(nights), rho) + shift
        r = trial.analyse(e, dict(zip(nights, values.tolist(), strict=True)), today, t=EN)
        significant += r.p_value is not None and r.p_value <= 0.05
        excludes += r.low is not None and r.high is not None and (r.low > 0 or r.high < 0)
    return significant / simulations, excludes / simulations


def missing_nights(
    effect: float, missing: float, simulations: int, seed: int
) -> tuple[float, float, float, float]:
    """Power and mean pairs used with nights missing at random, under the stored rule (a block
    counts with 2 of its 3 analysed nights) and under the strict rule (complete blocks only)."""
    rng = np.random.default_rng(seed)
    lenient = strict = 0
    pairs_lenient = pairs_strict = 0
    for i in range(simulations):
        d = experiment.design(weeks=8, block_days=4, seed=seed + i)
        e = experiment.new_experiment(
            d, START, today=START, uuid="power", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
        )
        values: dict[dt.date, float] = {}
        for b in e.blocks:
            for k in range(b.days):
                if rng.random() >= missing:
                    shift = effect if b.condition == "routine" else 0.0
                    values[b.start + dt.timedelta(days=k + 1)] = float(rng.normal()) + shift
        r = trial.analyse(e, values, e.end_date + dt.timedelta(days=1), t=EN)
        lenient += r.p_value is not None and r.p_value <= 0.05
        pairs_lenient += r.pairs_used
        strict_pairs = r.strict.pairs_used if r.strict else r.pairs_used
        strict_p = r.strict.p_value if r.strict else r.p_value
        strict += strict_p is not None and strict_p <= 0.05
        pairs_strict += strict_pairs
    n = simulations
    return lenient / n, strict / n, pairs_lenient / n, pairs_strict / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulations", type=int, default=400)
    parser.add_argument(
        "--missing-only", action="store_true", help="only the table of nights missing at random"
    )
    args = parser.parse_args()
    n = args.simulations
    if not args.missing_only:
        block_tables(n)
    missing_table(n)


def clopper_pearson(hits: int, n: int) -> tuple[float, float]:
    """The exact 95 % interval of a binomial share."""
    from scipy.stats import beta

    low = float(beta.ppf(0.025, hits, n - hits + 1)) if hits else 0.0
    high = float(beta.ppf(0.975, hits + 1, n - hits)) if hits < n else 1.0
    return low, high


def block_tables(n: int) -> None:
    print(f"8-week experiment, outcome in SD units, {n} simulations per row, alpha = 0.05")
    print(f"{'block days':>10} {'pairs':>6} {'effect SD':>10} {'AR(1) rho':>10} "
          f"{'power (p<=.05)':>15} {'CI excl. 0':>11}")  # fmt: skip
    for block_days in BLOCK_DAYS:
        pairs = 56 // (2 * block_days)
        for rho in RHOS:
            for effect in EFFECTS:
                power, ci = simulate(block_days, effect, rho, n, seed=1000 + block_days)
                print(
                    f"{block_days:>10} {pairs:>6} {effect:>10.1f} {rho:>10.1f} "
                    f"{power:>15.1%} {ci:>11.1%}"
                )
    print()
    print("Effect 0.0 rows are the false-positive rate (should be about 5 % or less).")
    print("With 7-day blocks (4 pairs) the randomization test can never reach p <= 0.05:")
    print("the smallest possible p is 2/16 = 0.125; the interval is then the useful part.")
    print()


MISSING = (0.0, 0.05, 0.1, 0.15, 0.2)


def missing_table(n: int) -> None:
    print(f"Nights missing at random, 8 weeks of 4-day blocks (7 pairs), {n} simulations a row:")
    print("the stored rule (a block counts with 2 of its 3 analysed nights) against the strict")
    print("rule (complete blocks only). p <= .05 share; for effect 0 this is the false-positive")
    print("rate, with its 95 % interval.")
    print(
        f"{'effect SD':>10} {'missing':>8} {'p<=.05':>7} {'95 % interval':>15} {'strict':>7} "
        f"{'regained':>9} {'pairs':>6} {'strict':>7}"
    )
    for effect in (0.0, 0.5):
        for missing in MISSING:
            kept, strict, kept_pairs, strict_pairs = missing_nights(effect, missing, n, seed=77)
            low, high = clopper_pearson(round(kept * n), n)
            print(
                f"{effect:>10.1f} {missing:>8.0%} {kept:>7.1%} {f'{low:.1%}-{high:.1%}':>15} "
                f"{strict:>7.1%} {kept - strict:>+9.1%} {kept_pairs:>6.2f} {strict_pairs:>7.2f}"
            )


if __name__ == "__main__":
    main()
