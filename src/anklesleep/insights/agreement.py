"""How well the diary and a sleep tracker agree, night by night (Bland and Altman, 1986).

For each night with both, the difference is diary minus tracker. The mean difference is the
bias (positive: the diary says more); the limits of agreement, mean ± 1.96 standard deviations
of the differences, are where about 95 % of nights' differences fall if they are roughly
normal. Neither source is taken as the truth: a tracker guesses sleep from movement and heart
rate, a diary from memory. Pure.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from anklesleep.basics.i18n import N_, Translate, nt

Measure = Literal["tst", "se"]
MEASURE_LABELS: dict[Measure, str] = {
    "tst": N_("time asleep"),
    "se": N_("sleep efficiency"),
}
UNITS: dict[Measure, str] = {"tst": N_("min"), "se": "%"}
#: limits of agreement are the mean difference ± this many standard deviations
Z = 1.96
#: fewer nights than this give no limits worth showing
MIN_PAIRS = 3


@dataclass(frozen=True)
class Agreement:
    """Diary against tracker for one measure over the nights that have both."""

    measure: Measure
    nights: tuple[dt.date, ...]
    means: tuple[float, ...]  # (diary + tracker) / 2, per night: the chart's x
    differences: tuple[float, ...]  # diary - tracker, per night: the chart's y
    mean_difference: float
    sd: float
    lower: float
    upper: float

    @property
    def n(self) -> int:
        return len(self.nights)


def agreement(
    diary: Mapping[dt.date, float], tracker: Mapping[dt.date, float], measure: Measure
) -> Agreement | None:
    """The agreement over the nights in both maps; None with fewer than `MIN_PAIRS` nights."""
    nights = tuple(sorted(set(diary) & set(tracker)))
    if len(nights) < MIN_PAIRS:
        return None
    differences = tuple(diary[n] - tracker[n] for n in nights)
    means = tuple((diary[n] + tracker[n]) / 2 for n in nights)
    bias = statistics.fmean(differences)
    sd = statistics.stdev(differences)
    return Agreement(
        measure=measure,
        nights=nights,
        means=means,
        differences=differences,
        mean_difference=bias,
        sd=sd,
        lower=bias - Z * sd,
        upper=bias + Z * sd,
    )


def _amount(value: float, measure: Measure, t: Translate, signed: bool = True) -> str:
    decimals = 0 if measure == "tst" else 1
    text = f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"
    text = text.replace("-", "\u2212")
    return f"{text} %" if UNITS[measure] == "%" else f"{text} {t(UNITS[measure])}"


def sentence(a: Agreement, t: Translate) -> str:
    """One plain sentence about the agreement, in the language of `t`."""
    if math.isclose(a.sd, 0.0, abs_tol=1e-9):
        spread = t("the difference was the same every night")
    else:
        spread = t("on most nights (95 %) the difference lay between {low} and {high}").format(
            low=_amount(a.lower, a.measure, t), high=_amount(a.upper, a.measure, t)
        )
    return t(
        "Over {n} nights with both, your diary's {label} differed from the tracker's by {bias} "
        "on average (diary minus tracker); {spread}. Neither is the exact truth."
    ).format(
        n=a.n,
        label=t(MEASURE_LABELS[a.measure]),
        bias=_amount(a.mean_difference, a.measure, t),
        spread=spread,
    )


@dataclass(frozen=True)
class Comparison:
    """The diary and the tracker over the same days: how many nights each has, their means,
    and how well they agree on time asleep and efficiency."""

    diary_nights: int
    tracked_nights: int
    diary_means: dict[Measure, float | None]
    tracker_means: dict[Measure, float | None]
    agreements: dict[Measure, Agreement | None]
    #: diary nights left out because their times were the tracker's
    left_out: int = 0

    def sentences(self, t: Translate) -> list[str]:
        lines = [sentence(a, t) for a in self.agreements.values() if a is not None]
        if self.left_out and lines:
            lines.append(
                nt(
                    "{n} diary night took its times from the tracker, so it was left out.",
                    "{n} diary nights took their times from the tracker, so they were left out.",
                    self.left_out,
                    t,
                ).format(n=self.left_out)
            )
        return lines


def _mean(values: Mapping[dt.date, float]) -> float | None:
    return statistics.fmean(values.values()) if values else None


def compare(
    diary: Mapping[Measure, Mapping[dt.date, float]],
    tracker: Mapping[Measure, Mapping[dt.date, float]],
    diary_nights: int,
    tracked_nights: int,
    left_out: int = 0,
) -> Comparison:
    """Means and agreement per measure, from each source's values by night (`left_out`: diary
    nights not in `diary` because their times were the tracker's)."""
    measures: tuple[Measure, ...] = ("tst", "se")
    empty: dict[dt.date, float] = {}
    return Comparison(
        diary_nights=diary_nights,
        tracked_nights=tracked_nights,
        diary_means={m: _mean(diary.get(m, empty)) for m in measures},
        tracker_means={m: _mean(tracker.get(m, empty)) for m in measures},
        agreements={m: agreement(diary.get(m, empty), tracker.get(m, empty), m) for m in measures},
        left_out=left_out,
    )
