"""The experiment's plan as a short document to keep: fixed before the first outcome. Pure.

It says what will be compared and how, so that the person (or anyone they show it to) can check
afterwards that the analysis followed the plan: the outcome, the schedule, the missing-night
rule, the analysis and the date the plan was fixed. The stored experiment is never rewritten
(`store.experiments`), so the plan cannot change once saved.
"""

from __future__ import annotations

from anklesleep.basics.i18n import Translate
from anklesleep.experiment.design import ALPHA, OUTCOME_LABELS, Experiment
from anklesleep.experiment.power import Detectable, sentence


def plan_text(e: Experiment, detectable: Detectable | None, t: Translate) -> str:
    """The plan as plain text (Markdown-friendly), in the user's language."""
    d = e.design
    names = {"baseline": t("baseline"), "routine": t("routine"), "usual": t("usual")}
    lines = [
        t("# Personal experiment plan"),
        "",
        t("Fixed on {date}, before any outcome was recorded. Experiment id {uuid}.").format(
            date=e.created_at.date().isoformat(), uuid=e.uuid
        ),
        "",
        t("## Question"),
        t(
            "Does my {outcome} differ after days with the ankle-bone routine compared with days "
            "without it?"
        ).format(outcome=t(OUTCOME_LABELS[d.outcome])),
        "",
        t("## Schedule"),
        t(
            "{weeks} weeks from {start} to {end}: {pairs} pairs of {days}-day blocks. In each "
            "pair a seeded coin (seed {seed}) chose whether the routine block or the usual block "
            "comes first."
        ).format(
            weeks=d.weeks,
            start=e.start_date.isoformat(),
            end=e.end_date.isoformat(),
            pairs=d.pairs,
            days=d.block_days,
            seed=d.seed,
        ),
    ]
    if d.baseline:
        lines.append(t("A baseline week of diary only comes first; it is not compared."))
    lines.append("")
    for b in e.blocks:
        number = t("base") if b.condition == "baseline" else str(b.number)
        lines.append(
            f"- {number}: {b.start.isoformat()} – {b.end.isoformat()}  {names[b.condition]}"
        )
    lines += [
        "",
        t("## Missing nights"),
        t(
            "The first night of each block is left out, so an effect lingering from the block "
            "before does not blur the comparison."
        )
        if d.washout_nights
        else t("Blocks are short, so no night is left out."),
        t(
            "A block counts when at least {n} of its {m} analysed nights are in the diary; its "
            "mean uses the nights present. A pair counts when both its blocks count. The result "
            "also shows the answer with complete blocks only, as a check."
        ).format(n=d.min_nights, m=d.analysed_nights),
        "",
        t("## Analysis"),
        t(
            "For each pair: mean of the routine block minus mean of the usual block. The effect "
            "is the mean of these differences with a 95 % t interval over pairs; the p-value "
            "comes from a randomization test over every block order the coin could have drawn "
            "(two-sided, level {alpha:.0%})."
        ).format(alpha=ALPHA),
        "",
        t("## What it can detect"),
        sentence(detectable, d.outcome, d.weeks, t)
        if detectable is not None
        else t(
            "There were too few nights before the start to estimate this; `anklesleep "
            "experiment status` estimates it at the end of each pair of blocks, once there are "
            "enough nights."
        ),
        "",
        t(
            "This plan cannot be changed. To change anything, stop the experiment and start a "
            "new one; the stopped one stays on record."
        ),
    ]
    return "\n".join(lines) + "\n"
