"""Nights after a bedtime session against nights without: an association, never proof. Pure.

Each night is keyed by the morning after it, so the night after a bedtime session that counts
for day D (see `schedule.session_day`) is the night keyed D + 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from anklesleep.basics.i18n import N_, Translate
from anklesleep.basics.wording import join_sentences
from anklesleep.insights.inference import bootstrap_difference

Metric = Literal["sol", "waso", "tst", "se", "quality"]
#: the measures compared, in the order they are shown
METRICS: tuple[Metric, ...] = ("sol", "waso", "tst", "se", "quality")


@dataclass(frozen=True)
class MetricInfo:
    """How to name, show and judge one sleep measure."""

    key: Metric
    label: str
    unit: str
    decimals: int
    higher_is_better: bool


METRIC_INFO: dict[Metric, MetricInfo] = {
    "sol": MetricInfo("sol", N_("Time to fall asleep"), N_("min"), 0, False),
    "waso": MetricInfo("waso", N_("Time awake during the night"), N_("min"), 0, False),
    "tst": MetricInfo("tst", N_("Total sleep"), N_("min"), 0, True),
    "se": MetricInfo("se", N_("Sleep efficiency"), "%", 1, True),
    "quality": MetricInfo("quality", N_("Sleep quality (1-5)"), N_("points"), 1, True),
}

#: fewer nights than this in either group and no comparison is drawn
MIN_NIGHTS = 7


@dataclass(frozen=True)
class Night:
    """The outcome values of one night (minutes, except `se` in percent and `quality` 1-5)."""

    night: dt.date  # the morning after
    sol: float
    waso: float
    tst: float
    se: float
    quality: float
    nwak: float = 0.0

    def value(self, metric: Metric) -> float:
        return float(getattr(self, metric))


@dataclass(frozen=True)
class Comparison:
    """One measure: means after a bedtime session and without, their difference and interval."""

    metric: Metric
    label: str
    unit: str
    decimals: int
    higher_is_better: bool
    mean_after: float | None
    mean_without: float | None
    difference: float | None  # after - without
    low: float | None  # 95 % bootstrap interval of the difference
    high: float | None
    nights_after: int
    nights_without: int

    @property
    def clear(self) -> bool:
        """True when the interval leaves out zero (a difference chance alone rarely gives)."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def favours(self) -> Literal["after", "without", "neither"]:
        if not self.clear or self.difference is None:
            return "neither"
        better = self.difference > 0 if self.higher_is_better else self.difference < 0
        return "after" if better else "without"


@dataclass(frozen=True)
class Association:
    """The association view: one comparison per measure, a summary and the caveat."""

    comparisons: tuple[Comparison, ...]
    nights_after: int
    nights_without: int
    enough: bool
    summary: str
    caveat: str
    resamples: int
    seed: int


def _fmt(value: float, decimals: int) -> str:
    return f"{abs(value):.{decimals}f}"


#: one whole sentence per measure and direction (each language has its own words for a
#: time that grew or an efficiency that rose), keyed by (metric, went up)
_SENTENCES: dict[tuple[Metric, bool], str] = {
    ("sol", True): N_(
        "Time to fall asleep was {size} min higher (worse; 95 % interval {interval})."
    ),
    ("sol", False): N_(
        "Time to fall asleep was {size} min lower (better; 95 % interval {interval})."
    ),
    ("waso", True): N_(
        "Time awake during the night was {size} min higher (worse; 95 % interval {interval})."
    ),
    ("waso", False): N_(
        "Time awake during the night was {size} min lower (better; 95 % interval {interval})."
    ),
    ("tst", True): N_("Total sleep was {size} min higher (better; 95 % interval {interval})."),
    ("tst", False): N_("Total sleep was {size} min lower (worse; 95 % interval {interval})."),
    ("se", True): N_("Sleep efficiency was {size} % higher (better; 95 % interval {interval})."),
    ("se", False): N_("Sleep efficiency was {size} % lower (worse; 95 % interval {interval})."),
    ("quality", True): N_(
        "Sleep quality (1-5) was {size} points higher (better; 95 % interval {interval})."
    ),
    ("quality", False): N_(
        "Sleep quality (1-5) was {size} points lower (worse; 95 % interval {interval})."
    ),
}
#: an interval in each measure's unit
_INTERVALS: dict[str, str] = {
    "min": N_("{low} min … {high} min"),
    "%": N_("{low} % … {high} %"),
    "points": N_("{low} points … {high} points"),
}


def _sentence(c: Comparison, t: Translate) -> str:
    assert c.difference is not None and c.low is not None and c.high is not None
    info = METRIC_INFO[c.metric]
    size = _fmt(c.difference, c.decimals)
    low, high = round(c.low, c.decimals) + 0.0, round(c.high, c.decimals) + 0.0
    interval = t(_INTERVALS[info.unit]).format(
        low=f"{low:+.{c.decimals}f}", high=f"{high:+.{c.decimals}f}"
    )
    return t(_SENTENCES[(c.metric, c.difference > 0)]).format(size=size, interval=interval)


def caveat(t: Translate) -> str:
    return t(
        "This compares nights as they happened, so it shows an association, not proof: days "
        "with a bedtime session may differ in other ways (a calmer day, a bath, an earlier "
        "night), and expecting to sleep better can help by itself. For a fairer answer, run "
        "a randomized personal experiment (anklesleep experiment start)."
    )


def compare(
    nights: Sequence[Night],
    bedtime_days: Iterable[dt.date],
    *,
    t: Translate,
    seed: int = 0,
    resamples: int = 2000,
) -> Association:
    """Split `nights` by whether a completed bedtime session came the evening before.

    `bedtime_days` are the days (as sessions count them) with a completed bedtime session.
    Intervals are 95 % percentile bootstrap intervals, seeded, so the result is repeatable.
    """
    import numpy as np

    evenings = set(bedtime_days)
    one_day = dt.timedelta(days=1)
    after_mask = np.fromiter(
        ((n.night - one_day) in evenings for n in nights), dtype=bool, count=len(nights)
    )
    table = np.array(
        [[n.sol, n.waso, n.tst, n.se, n.quality] for n in nights], dtype=np.float64
    ).reshape(len(nights), len(METRICS))
    after, without = table[after_mask], table[~after_mask]
    n_after, n_without = int(after.shape[0]), int(without.shape[0])
    intervals = bootstrap_difference(after, without, seed=seed, resamples=resamples)
    comparisons = []
    for j, metric in enumerate(METRICS):
        info = METRIC_INFO[metric]
        interval = intervals[j]
        comparisons.append(
            Comparison(
                metric=metric,
                label=info.label,
                unit=info.unit,
                decimals=info.decimals,
                higher_is_better=info.higher_is_better,
                mean_after=float(after[:, j].mean()) if n_after else None,
                mean_without=float(without[:, j].mean()) if n_without else None,
                difference=interval.estimate if interval else None,
                low=interval.low if interval else None,
                high=interval.high if interval else None,
                nights_after=n_after,
                nights_without=n_without,
            )
        )
    enough = n_after >= MIN_NIGHTS and n_without >= MIN_NIGHTS
    return Association(
        comparisons=tuple(comparisons),
        nights_after=n_after,
        nights_without=n_without,
        enough=enough,
        summary=summary(tuple(comparisons), n_after, n_without, enough, t),
        caveat=caveat(t),
        resamples=resamples,
        seed=seed,
    )


def summary(
    comparisons: Sequence[Comparison],
    nights_after: int,
    nights_without: int,
    enough: bool,
    t: Translate,
) -> str:
    """Plain words: what the nights show, how sure that is, and that it is not proof."""
    counts = t("{a} nights after a bedtime session and {b} nights without.").format(
        a=nights_after, b=nights_without
    )
    if not enough:
        return join_sentences(
            [
                counts,
                t(
                    "That is not enough to compare yet: at least {n} of each kind are needed."
                ).format(n=MIN_NIGHTS),
            ],
            t,
        )
    clear = [c for c in comparisons if c.clear]
    parts = [counts]
    if not clear:
        parts.append(
            t(
                "On every measure, the difference between the two kinds of night is small "
                "enough to be chance."
            )
        )
    else:
        parts.append(t("After a bedtime session:"))
        parts.extend(_sentence(c, t) for c in clear)
        if len(clear) < len(comparisons):
            parts.append(t("The other measures showed no clear difference."))
    parts.append(t("This is an association, not proof that the routine caused it."))
    return join_sentences(parts, t)
