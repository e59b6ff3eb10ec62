"""Analysing a personal experiment in a way that respects its design. Pure.

Unit of analysis: the pair of blocks. A block counts when at least `design.min_nights` of its
analysed nights (the nights after each block day, except the washout nights at the start of a
block) are in the diary; its mean uses the nights present. For each pair whose two blocks
count, d = mean(routine block) - mean(usual block). The estimate is the mean of d over pairs,
with a 95 % Student t interval (pairs are independent replications; nights within a block are not).
The p-value comes from a randomization test over every within-pair order the coin could have
chosen (exact when there are up to 16 pairs), which is valid whatever the nights' day-to-day
correlation. See docs/experiment.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from anklesleep.basics.i18n import N_, Translate, nt
from anklesleep.basics.wording import join_list, join_sentences
from anklesleep.experiment.design import (
    ALPHA,
    OUTCOME_LABELS,
    TRACKER_OUTCOMES,
    Block,
    Experiment,
    ExperimentAdherence,
    Outcome,
)
from anklesleep.experiment.power import Detectable
from anklesleep.insights.association import Night
from anklesleep.insights.inference import mean_interval, sign_flip_test, smallest_p
from anklesleep.practice.records import SessionRecord
from anklesleep.trackers.records import TrackerNight

#: below this share of days followed as asked, adherence is called too thin
MIN_ADHERENCE = 0.8
#: below this share of nights recorded, the diary is called too thin
MIN_DIARY = 0.7

UNITS: dict[Outcome, str] = {
    "quality": N_("points"),
    "sol": N_("min"),
    "se": "%",
    "tst": N_("min"),
    "tracker_tst": N_("min"),
    "tracker_se": "%",
}
DECIMALS: dict[Outcome, int] = {
    "quality": 2,
    "sol": 0,
    "se": 1,
    "tst": 0,
    "tracker_tst": 0,
    "tracker_se": 1,
}
HIGHER_IS_BETTER: dict[Outcome, bool] = {
    "quality": True,
    "sol": False,
    "se": True,
    "tst": True,
    "tracker_tst": True,
    "tracker_se": True,
}

Verdict = Literal["too little data", "no clear difference", "routine better", "routine worse"]


@dataclass(frozen=True)
class BlockResult:
    block: Block
    nights: int
    mean: float | None


@dataclass(frozen=True)
class Sensitivity:
    """The same comparison under the strict rule: only blocks with every analysed night."""

    pairs_used: int
    effect: float | None
    p_value: float | None


@dataclass(frozen=True)
class Result:
    """The analysis of the primary outcome, with its uncertainty and warnings, in values."""

    outcome: Outcome
    label: str
    unit: str
    decimals: int
    higher_is_better: bool
    blocks: tuple[BlockResult, ...]
    pairs_planned: int
    pairs_used: int
    differences: tuple[float, ...]  # per usable pair: routine - usual
    routine_mean: float | None  # over the nights used
    usual_mean: float | None
    routine_nights: int
    usual_nights: int
    effect: float | None  # mean paired difference, routine - usual
    low: float | None  # 95 % interval
    high: float | None
    standardized: float | None  # effect / SD of nights within blocks
    p_value: float | None
    assignments: int
    exact: bool
    null_statistics: tuple[float, ...]
    smallest_possible_p: float
    alpha: float
    complete: bool
    verdict: Verdict
    summary: str
    warnings: tuple[str, ...]
    min_nights: int = 0  # the stored missing-night rule the comparison used
    missing_nights: tuple[dt.date, ...] = ()  # analysed nights so far with no diary entry
    strict: Sensitivity | None = None  # the strict rule's answer, when it differs


def _block_nights(block: Block, washout: int, outcomes: Mapping[dt.date, float]) -> list[float]:
    """Outcome values of the nights after the block's days, washout nights left out."""
    one = dt.timedelta(days=1)
    values = []
    for i in range(washout, block.days):
        night = block.start + dt.timedelta(days=i) + one
        if night in outcomes:
            values.append(outcomes[night])
    return values


def fmt(value: float, outcome: Outcome, t: Translate, signed: bool = False) -> str:
    """A value of the outcome with its unit (points, min, %)."""
    text = f"{value:+.{DECIMALS[outcome]}f}" if signed else f"{value:.{DECIMALS[outcome]}f}"
    return f"{text} {t(UNITS[outcome])}" if UNITS[outcome] != "%" else f"{text} %"


def analyse(
    experiment: Experiment,
    outcomes: Mapping[dt.date, float],
    today: dt.date,
    adherence: ExperimentAdherence | None = None,
    *,
    t: Translate,
    alpha: float = ALPHA,
) -> Result:
    """The primary outcome compared between routine and usual blocks (see the module doc).

    `outcomes` maps each recorded night (the morning's date) to the primary outcome's value.
    Nights not yet slept are simply absent, so an interim look uses what there is and says so.
    """
    d = experiment.design
    outcome = d.outcome
    per_block: list[BlockResult] = []
    values: dict[int, list[float]] = {}
    for block in experiment.blocks:
        nights = _block_nights(block, d.washout_nights, outcomes)
        values[block.number] = nights
        per_block.append(
            BlockResult(block, len(nights), statistics.fmean(nights) if nights else None)
        )
    needed = max(1, min(d.min_nights, d.analysed_nights))
    differences, routine_all, usual_all, within = _compare(experiment, values, needed)
    k = len(differences)
    interval = mean_interval(differences) if k >= 2 else None
    test = sign_flip_test(differences, seed=d.seed + 1) if k >= 1 else None
    sd = statistics.stdev(within) if len(within) >= 3 else None
    effect = statistics.fmean(differences) if k else None
    standardized = effect / sd if effect is not None and sd else None
    complete = experiment.is_over(today) or experiment.status != "active"
    p = test.p_value if test and k >= 2 else None
    verdict: Verdict
    if k < 2 or effect is None or p is None:
        verdict = "too little data"
    elif p <= alpha:
        better = effect > 0 if HIGHER_IS_BETTER[outcome] else effect < 0
        verdict = "routine better" if better else "routine worse"
    else:
        verdict = "no clear difference"
    result = Result(
        outcome=outcome,
        label=OUTCOME_LABELS[outcome],
        unit=UNITS[outcome],
        decimals=DECIMALS[outcome],
        higher_is_better=HIGHER_IS_BETTER[outcome],
        blocks=tuple(per_block),
        pairs_planned=d.pairs,
        pairs_used=k,
        differences=tuple(differences),
        routine_mean=statistics.fmean(routine_all) if routine_all else None,
        usual_mean=statistics.fmean(usual_all) if usual_all else None,
        routine_nights=len(routine_all),
        usual_nights=len(usual_all),
        effect=effect,
        low=interval.low if interval else None,
        high=interval.high if interval else None,
        standardized=standardized,
        p_value=p,
        assignments=test.assignments if test else 1,
        exact=test.exact if test else True,
        null_statistics=test.statistics if test else (),
        smallest_possible_p=smallest_p(k) if k else 1.0,
        alpha=alpha,
        complete=complete,
        verdict=verdict,
        summary="",
        warnings=(),
        min_nights=needed,
        missing_nights=_missing(experiment, outcomes, today),
        strict=_strict(experiment, values, needed, d.seed),
    )
    return _explained(result, experiment, today, adherence, t)


def _compare(
    experiment: Experiment, values: Mapping[int, list[float]], needed: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Pair differences (and the nights behind them) for the pairs whose blocks both count."""
    differences: list[float] = []
    routine_all: list[float] = []
    usual_all: list[float] = []
    within: list[float] = []  # deviations from block means, for the standardized effect
    for pair in range(1, experiment.design.pairs + 1):
        members = {b.condition: b for b in experiment.blocks if b.pair == pair}
        r, u = values[members["routine"].number], values[members["usual"].number]
        if len(r) < needed or len(u) < needed:
            continue
        differences.append(statistics.fmean(r) - statistics.fmean(u))
        routine_all += r
        usual_all += u
        for group in (r, u):
            m = statistics.fmean(group)
            within += [x - m for x in group]
    return differences, routine_all, usual_all, within


def _strict(
    experiment: Experiment, values: Mapping[int, list[float]], needed: int, seed: int
) -> Sensitivity | None:
    """The answer with only complete blocks, when the stored rule is more lenient than that."""
    complete = experiment.design.analysed_nights
    if needed >= complete:
        return None
    differences = _compare(experiment, values, complete)[0]
    k = len(differences)
    test = sign_flip_test(differences, seed=seed + 1) if k >= 2 else None
    return Sensitivity(
        pairs_used=k,
        effect=statistics.fmean(differences) if k else None,
        p_value=test.p_value if test else None,
    )


def block_deviations(
    experiment: Experiment, outcomes: Mapping[dt.date, float], pairs: int | None = None
) -> list[float]:
    """Each analysed night's distance from its block's mean: night-to-night variation with
    the conditions' effect taken out (in the first `pairs` pairs only, when given)."""
    deviations: list[float] = []
    for block in experiment.compared_blocks:
        if pairs is not None and block.pair > pairs:
            continue
        nights = _block_nights(block, experiment.design.washout_nights, outcomes)
        if len(nights) >= 2:
            m = statistics.fmean(nights)
            # scaled so that their spread estimates the SD of single nights, not of residuals
            scale = (len(nights) / (len(nights) - 1)) ** 0.5
            deviations += [(x - m) * scale for x in nights]
    return deviations


def _missing(
    experiment: Experiment, outcomes: Mapping[dt.date, float], today: dt.date
) -> tuple[dt.date, ...]:
    """Analysed nights already slept (up to this morning) that have no diary entry."""
    one = dt.timedelta(days=1)
    washout = experiment.design.washout_nights
    nights = [
        block.start + dt.timedelta(days=i) + one
        for block in experiment.compared_blocks
        for i in range(washout, block.days)
    ]
    return tuple(n for n in nights if n <= today and n not in outcomes)


def _explained(
    r: Result,
    experiment: Experiment,
    today: dt.date,
    adherence: ExperimentAdherence | None,
    t: Translate,
) -> Result:
    from dataclasses import replace

    return replace(
        r, summary=summary(r, t), warnings=tuple(warnings(r, experiment, today, adherence, t))
    )


def warnings(
    r: Result,
    experiment: Experiment,
    today: dt.date,
    adherence: ExperimentAdherence | None,
    t: Translate,
) -> list[str]:
    """Everything that makes the result weaker than it looks, in plain words."""
    notes: list[str] = []
    if experiment.status == "stopped":
        notes.append(t("The experiment was stopped early, so it has fewer blocks than planned."))
    elif not r.complete:
        days_done = max(0, min((today - experiment.start_date).days, experiment.design.total_days))
        notes.append(
            t(
                "The experiment is still running ({done} of {total} days): this is an interim "
                "look. Results swing a lot early on; only the final result counts."
            ).format(done=days_done, total=experiment.design.total_days)
        )
    # a stopped experiment is judged against the pairs it reached (the stop is said above)
    reached = r.pairs_planned
    if experiment.status == "stopped":
        reached = min(reached, experiment.pairs_over(today))
    if r.complete and r.pairs_used < reached:
        notes.append(
            t(
                "Only {used} of {planned} pairs of blocks have at least {n} diary nights in both "
                "blocks, so only those are compared."
            ).format(used=r.pairs_used, planned=reached, n=r.min_nights)
        )
    if r.missing_nights:
        shown = join_list((n.isoformat() for n in r.missing_nights[:6]), t)
        more = len(r.missing_nights) - 6
        if more > 0:
            shown = t("{nights} and {more} more").format(nights=shown, more=more)
        notes.append(
            nt(
                "{n} analysed night has no diary entry ({nights}).",
                "{n} analysed nights have no diary entry ({nights}).",
                len(r.missing_nights),
                t,
            ).format(
                n=len(r.missing_nights),
                nights=shown,
            )
        )
    if r.strict is not None and r.strict.pairs_used != r.pairs_used:
        if r.strict.effect is None or r.strict.p_value is None:
            strict = t("too few complete pairs to compare")
        else:
            strict = t("effect {effect}, p = {p:.3g}").format(
                effect=fmt(r.strict.effect, r.outcome, t, signed=True), p=r.strict.p_value
            )
        notes.append(
            nt(
                "Sensitivity check: counting only blocks with every analysed night "
                "({used} pair) gives {strict}.",
                "Sensitivity check: counting only blocks with every analysed night "
                "({used} pairs) gives {strict}.",
                r.strict.pairs_used,
                t,
            ).format(used=r.strict.pairs_used, strict=strict)
        )
    design_min = experiment.design.smallest_p
    if design_min > r.alpha:
        notes.append(
            t(
                "With {pairs} pairs of blocks, even a perfectly consistent difference cannot "
                "reach the {alpha:.0%} level (the smallest possible p is {p:.3g}); the effect "
                "estimate and its interval are the useful part. Longer experiments or shorter "
                "blocks give more pairs."
            ).format(pairs=experiment.design.pairs, alpha=r.alpha, p=design_min)
        )
    if adherence is not None:
        for c in adherence.by_condition:
            if c.condition == "baseline" or c.days == 0:
                continue
            if c.rate < MIN_ADHERENCE:
                asked = (
                    t("did the routine on")
                    if c.condition == "routine"
                    else t("skipped the routine on")
                )
                notes.append(
                    t(
                        "You {asked} {rate:.0%} of the {condition} days; below {min:.0%} the "
                        "blocks differ less than planned and any effect is diluted."
                    ).format(asked=asked, rate=c.rate, condition=t(c.condition), min=MIN_ADHERENCE)
                )
        days = sum(c.days for c in adherence.by_condition if c.condition != "baseline")
        nights = sum(c.nights for c in adherence.by_condition if c.condition != "baseline")
        if days and nights / days < MIN_DIARY:
            notes.append(
                t(
                    "The diary covers {rate:.0%} of the nights so far; missing nights make the "
                    "comparison less certain, and more so if they are missing for a reason."
                ).format(rate=nights / days)
            )
    return notes


def summary(r: Result, t: Translate) -> str:
    """The result and its uncertainty in plain words, never claiming more than the data show."""
    label = t(r.label)
    if r.verdict == "too little data" or r.effect is None:
        return nt(
            "Not enough data to compare yet: {used} pair of blocks has at least {n} diary "
            "nights in both blocks, and at least 2 are needed.",
            "Not enough data to compare yet: {used} pairs of blocks have at least {n} diary "
            "nights in both blocks, and at least 2 are needed.",
            r.pairs_used,
            t,
        ).format(used=r.pairs_used, n=r.min_nights)
    assert r.routine_mean is not None and r.usual_mean is not None
    parts = [
        t(
            "Your {label} averaged {routine} after routine days and {usual} after usual days "
            "({rn} and {un} nights)."
        ).format(
            label=label,
            routine=fmt(r.routine_mean, r.outcome, t),
            usual=fmt(r.usual_mean, r.outcome, t),
            rn=r.routine_nights,
            un=r.usual_nights,
        )
    ]
    if r.low is not None and r.high is not None:
        parts.append(
            t("Estimated effect of the routine: {effect} (95 % interval {low} to {high}).").format(
                effect=fmt(r.effect, r.outcome, t, signed=True),
                low=fmt(r.low, r.outcome, t, signed=True),
                high=fmt(r.high, r.outcome, t, signed=True),
            )
        )
    assert r.p_value is not None
    parts.append(
        t(
            "If the routine made no difference, a gap at least this large would still turn up "
            "in {share:.0%} of the block orders the coin could have drawn (p = {p:.3g})."
        ).format(share=r.p_value, p=r.p_value)
    )
    if r.verdict == "no clear difference":
        parts.append(
            t(
                "So this experiment cannot tell the routine apart from chance. That is not proof "
                "that it does nothing: a small effect can hide in a short experiment."
            )
        )
    else:
        unlikely = (
            t(
                "That is unlikely to be chance alone: during these weeks your {label} was better "
                "in the routine blocks. You knew which blocks were which, so expecting a change "
                "may account for part of it, and it says nothing about anyone else."
            )
            if r.verdict == "routine better"
            else t(
                "That is unlikely to be chance alone: during these weeks your {label} was worse "
                "in the routine blocks. You knew which blocks were which, so expecting a change "
                "may account for part of it, and it says nothing about anyone else."
            )
        )
        parts.append(unlikely.format(label=label))
    if not r.complete:
        parts.append(t("This is an interim look; the experiment is still running."))
    return join_sentences(parts, t)


def outcome_values(nights: Iterable[Night], outcome: Outcome) -> dict[dt.date, float]:
    """Each recorded night's value of the primary outcome, keyed by the morning's date (none
    for an outcome a tracker measures: see `tracker_values`)."""
    if outcome in TRACKER_OUTCOMES:
        return {}
    return {n.night: float(getattr(n, outcome)) for n in nights}


def tracker_values(
    nights: Mapping[dt.date, TrackerNight], outcome: Outcome
) -> dict[dt.date, float]:
    """Each tracked night's value of a tracker outcome: minutes asleep, or time asleep as a
    percentage of time in bed. Nights without a time asleep are missing."""
    values: dict[dt.date, float] = {}
    for night, tracked in nights.items():
        if outcome == "tracker_tst" and tracked.asleep_minutes is not None:
            values[night] = float(tracked.asleep_minutes)
        elif outcome == "tracker_se" and tracked.efficiency is not None:
            values[night] = 100.0 * tracked.efficiency
    return values


def sessions_per_day(records: Iterable[SessionRecord]) -> dict[dt.date, int]:
    """Completed sessions per day (the day they count for), for experiment adherence."""
    counts: dict[dt.date, int] = {}
    for r in records:
        if r.completed:
            counts[r.local_date] = counts.get(r.local_date, 0) + 1
    return counts


@dataclass(frozen=True)
class ExperimentReport:
    """An experiment with how well its schedule was followed and its analysis so far."""

    experiment: Experiment
    adherence: ExperimentAdherence
    result: Result
    power: Detectable | None = None
