"""The personal experiment: a randomized block design (an N-of-1 trial) and what today asks.

The experiment runs in pairs of blocks of `block_days` days. In each pair one block is
"routine" (do the routine every day, at least at bedtime) and the other "usual" (no routine;
evenings as usual); a seeded coin decides which comes first. An optional baseline week before
the pairs records usual sleep without the routine. Seed, schedule and the primary outcome are
fixed and stored when the experiment starts, before any outcome is seen. The analysis is in
`experiment.analysis`; the method is explained in docs/experiment.md.

Pure: "today" is an argument; the store keeps experiments (`store.experiments`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, Translate, _, nt
from anklesleep.basics.wording import join_sentences
from anklesleep.insights.inference import smallest_p

Outcome = Literal["quality", "sol", "se", "tst", "tracker_tst", "tracker_se"]
OUTCOMES: tuple[Outcome, ...] = ("quality", "sol", "se", "tst", "tracker_tst", "tracker_se")
#: outcomes measured by a sleep tracker (its nights, not the diary's)
TRACKER_OUTCOMES: tuple[Outcome, ...] = ("tracker_tst", "tracker_se")
Condition = Literal["baseline", "routine", "usual"]
Status = Literal["active", "stopped", "finished"]
STATUSES: tuple[Status, ...] = ("active", "stopped", "finished")
#: the statuses as people read them (the English ones are the keys themselves)
STATUS_LABELS: dict[Status, str] = {
    "active": N_("active"),
    "stopped": N_("stopped"),
    "finished": N_("finished"),
}

OUTCOME_LABELS: dict[Outcome, str] = {
    "quality": N_("sleep quality (1-5)"),
    "sol": N_("time to fall asleep"),
    "se": N_("sleep efficiency"),
    "tst": N_("total sleep time"),
    "tracker_tst": N_("time asleep (tracker)"),
    "tracker_se": N_("sleep efficiency (tracker)"),
}
WEEKS_RANGE = (4, 52)
BLOCK_DAYS_RANGE = (2, 28)
BASELINE_DAYS = 7
#: the missing-night rule of new designs: a block counts with at least two analysed nights
MIN_NIGHTS_PER_BLOCK = 2
#: the rule experiments saved before the rule was stored were analysed with
LEGACY_MIN_NIGHTS = 3
SEED_MAX = 2**31 - 1
#: the level a result must reach to be called clear (two-sided)
ALPHA = 0.05


@dataclass(frozen=True)
class Design:
    """What is decided before the first day: length, blocks, outcome, seed, baseline, washout.

    `washout_nights` leading nights of every block are left out of the analysis, so that an
    effect lingering from the previous block (carry-over) does not blur the comparison.
    """

    weeks: int = 8
    block_days: int = 4
    outcome: Outcome = "quality"
    seed: int = 0
    baseline: bool = False
    washout_nights: int = 1
    #: a block enters the comparison when at least this many of its analysed nights are in
    #: the diary (fixed with the design, before any outcome; see docs/experiment.md)
    min_nights: int = 2

    @property
    def analysed_nights(self) -> int:
        """Nights per block that are analysed: the block's nights after the washout."""
        return self.block_days - self.washout_nights

    @property
    def pairs(self) -> int:
        return self.weeks * 7 // (2 * self.block_days)

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + (BASELINE_DAYS if self.baseline else 0)

    @property
    def smallest_p(self) -> float:
        """The smallest p-value this design can give, however clear the data."""
        return smallest_p(self.pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "weeks": self.weeks,
            "block_days": self.block_days,
            "outcome": self.outcome,
            "seed": self.seed,
            "baseline": self.baseline,
            "washout_nights": self.washout_nights,
            "min_nights": self.min_nights,
            "pairs": self.pairs,
        }


@dataclass(frozen=True)
class Block:
    """A run of days with one condition: `number` counts the compared blocks from 1 (0 is the
    baseline week); `pair` counts pairs from 1 (0 for the baseline)."""

    number: int
    pair: int
    condition: Condition
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "pair": self.pair,
            "condition": self.condition,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Block:
        condition = str(data["condition"])
        if condition not in ("baseline", "routine", "usual"):
            raise AnkleSleepError(
                _(
                    "schedule.condition: got {condition!r}; expected baseline, routine or usual"
                ).format(condition=condition),
                field="schedule",
            )
        return cls(
            number=int(data["number"]),
            pair=int(data["pair"]),
            condition=condition,  # type: ignore[arg-type]
            start=dt.date.fromisoformat(str(data["start"])),
            end=dt.date.fromisoformat(str(data["end"])),
        )


@dataclass(frozen=True)
class Experiment:
    """One experiment as stored: its design and the schedule drawn from its seed."""

    uuid: str
    created_at: dt.datetime
    status: Status
    design: Design
    start_date: dt.date
    blocks: tuple[Block, ...]
    ended_at: dt.datetime | None = None

    @property
    def outcome(self) -> Outcome:
        return self.design.outcome

    @property
    def end_date(self) -> dt.date:
        return self.blocks[-1].end

    @property
    def compared_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.condition != "baseline")

    def block_on(self, day: dt.date) -> Block | None:
        return next((b for b in self.blocks if b.contains(day)), None)

    def pairs_over(self, today: dt.date) -> int:
        """How many pairs of blocks have had their last night by this morning."""
        one = dt.timedelta(days=1)
        ends: dict[int, dt.date] = {}
        for b in self.compared_blocks:
            ends[b.pair] = max(ends.get(b.pair, b.end), b.end)
        return sum(1 for end in ends.values() if end + one <= today)

    def is_over(self, today: dt.date) -> bool:
        """True once the last block's last night has been slept (its diary is due today)."""
        return today > self.end_date


# --- making a design --------------------------------------------------------------------------


def block_day_choices(weeks: int) -> list[int]:
    """Block lengths that split `weeks` into at least two whole pairs of blocks."""
    total = weeks * 7
    low, high = BLOCK_DAYS_RANGE
    return [d for d in range(low, high + 1) if total % (2 * d) == 0 and total // (2 * d) >= 2]


def suggest_block_days(weeks: int, alpha: float = ALPHA) -> int | None:
    """The longest block length for `weeks` whose pairs can reach `alpha`, if any."""
    usable = [d for d in block_day_choices(weeks) if smallest_p(weeks * 7 // (2 * d)) <= alpha]
    return max(usable) if usable else None


def design(
    *,
    weeks: int = 8,
    block_days: int = 4,
    outcome: str = "quality",
    seed: int,
    baseline: bool = False,
) -> Design:
    """A validated design, or one line naming the option, the value and what works."""
    low, high = WEEKS_RANGE
    if not low <= weeks <= high or weeks % 2:
        raise AnkleSleepError(
            _(
                "weeks: got {weeks}; use an even number of weeks from {low} to "
                "{high}, so the blocks pair up (8 is a good start)"
            ).format(weeks=weeks, low=low, high=high),
            field="weeks",
        )
    choices = block_day_choices(weeks)
    if block_days not in choices:
        raise AnkleSleepError(
            _(
                "block-days: got {block_days}; {weeks} weeks ({days} days) split "
                "into at least two pairs of blocks with {choices} days per block"
            ).format(
                block_days=block_days,
                weeks=weeks,
                days=weeks * 7,
                choices=", ".join(map(str, choices)),
            ),
            field="block_days",
        )
    if outcome not in OUTCOMES:
        raise AnkleSleepError(
            _("outcome: got {outcome!r}; use one of {outcomes}").format(
                outcome=outcome, outcomes=", ".join(OUTCOMES)
            ),
            field="outcome",
        )
    if not 0 <= seed <= SEED_MAX:
        raise AnkleSleepError(
            _("seed: got {seed}; use a whole number from 0 to {seed_max}").format(
                seed=seed, seed_max=SEED_MAX
            ),
            field="seed",
        )
    washout = 1 if block_days >= 4 else 0
    return Design(
        weeks=weeks,
        block_days=block_days,
        outcome=outcome,
        seed=seed,
        baseline=baseline,
        washout_nights=washout,
        min_nights=min(MIN_NIGHTS_PER_BLOCK, block_days - washout),
    )


def schedule(d: Design, start: dt.date) -> tuple[Block, ...]:
    """The blocks from `start`: the baseline week if any, then each pair in a random order.

    The order comes from `random.Random(seed)`, whose sequence Python keeps stable across
    versions, so a stored seed always reproduces the stored schedule.
    """
    rng = random.Random(d.seed)
    blocks: list[Block] = []
    day = start
    if d.baseline:
        end = day + dt.timedelta(days=BASELINE_DAYS - 1)
        blocks.append(Block(0, 0, "baseline", day, end))
        day = end + dt.timedelta(days=1)
    length = dt.timedelta(days=d.block_days)
    number = 1
    for pair in range(1, d.pairs + 1):
        order: tuple[Condition, Condition] = (
            ("routine", "usual") if rng.random() < 0.5 else ("usual", "routine")
        )
        for condition in order:
            blocks.append(Block(number, pair, condition, day, day + length - dt.timedelta(days=1)))
            day += length
            number += 1
    return tuple(blocks)


def new_experiment(
    d: Design, start: dt.date, *, today: dt.date, uuid: str, created_at: dt.datetime
) -> Experiment:
    """A new active experiment starting on `start` (today or later: outcomes are all unseen)."""
    if start < today:
        raise AnkleSleepError(
            _(
                "start: got {start}, before today ({today}); an experiment must be "
                "planned before its first night, so start today or later"
            ).format(start=start.isoformat(), today=today.isoformat()),
            field="start",
        )
    if start > today + dt.timedelta(days=60):
        raise AnkleSleepError(
            _("start: got {start}; start within 60 days of today").format(start=start.isoformat()),
            field="start",
        )
    return Experiment(uuid, created_at, "active", d, start, schedule(d, start))


# --- what today asks --------------------------------------------------------------------------

Phase = Literal["upcoming", "baseline", "routine", "usual", "complete", "stopped"]


@dataclass(frozen=True)
class TodayInstruction:
    """What the experiment asks of today, for the Today screen (terminal and web)."""

    phase: Phase
    do_routine: bool | None  # True: do it; False: skip it; None: no request today
    block: int | None  # the compared block's number (1-based), None outside blocks
    blocks: int  # compared blocks in all
    pair: int | None
    day_in_block: int | None
    days_left_in_block: int  # including today
    days_left: int  # in the whole experiment, including today
    starts_on: dt.date | None
    headline: str
    detail: str


def _days_left(n: int, t: Translate) -> str:
    return nt("{n} day left", "{n} days left", n, t).format(n=n)


def today_instruction(experiment: Experiment, today: dt.date, t: Translate) -> TodayInstruction:
    """Which block today is in and what it asks: do the routine, or skip it (usual evenings)."""
    blocks = len(experiment.compared_blocks)
    total_left = max(0, (experiment.end_date - today).days + 1)
    diary = t("Fill in the sleep diary tomorrow morning.")
    if experiment.status == "stopped":
        return TodayInstruction(
            "stopped", None, None, blocks, None, None, 0, 0, None,
            t("Experiment stopped"),
            t("The experiment was stopped early; sessions are up to you again."),
        )  # fmt: skip
    if experiment.is_over(today):
        return TodayInstruction(
            "complete", None, None, blocks, None, None, 0, 0, None,
            t("Experiment complete"),
            t("All blocks are done. See the result with: anklesleep experiment result"),
        )  # fmt: skip
    block = experiment.block_on(today)
    if block is None:  # before the start
        wait = (experiment.start_date - today).days
        return TodayInstruction(
            "upcoming", None, None, blocks, None, None, 0, total_left, experiment.start_date,
            t("Experiment starts on {day}").format(day=experiment.start_date.isoformat()),
            nt("It begins tomorrow.", "It begins in {n} days.", wait, t).format(n=wait),
        )  # fmt: skip
    day_in = (today - block.start).days + 1
    left = (block.end - today).days + 1
    if block.condition == "baseline":
        headline = t("Experiment: baseline week, day {day} of {days}").format(
            day=day_in, days=block.days
        )
        detail = join_sentences(
            [
                t("No routine yet: spend your evenings as you usually do."),
                diary,
                _days_left(left, t),
            ],
            t,
        )
        do: bool | None = False
    elif block.condition == "routine":
        headline = t("Experiment: routine block {n} of {total}, day {day} of {days}").format(
            n=block.number, total=blocks, day=day_in, days=block.days
        )
        detail = join_sentences(
            [t("Do the routine today, at least at bedtime."), diary, _days_left(left, t)], t
        )
        do = True
    else:
        headline = t("Experiment: usual block {n} of {total}, day {day} of {days}").format(
            n=block.number, total=blocks, day=day_in, days=block.days
        )
        detail = join_sentences(
            [
                t("Skip the routine today and spend the evening as you usually would."),
                diary,
                _days_left(left, t),
            ],
            t,
        )
        do = False
    return TodayInstruction(
        phase=block.condition,
        do_routine=do,
        block=block.number or None,
        blocks=blocks,
        pair=block.pair or None,
        day_in_block=day_in,
        days_left_in_block=left,
        days_left=total_left,
        starts_on=None,
        headline=headline,
        detail=detail,
    )


# --- adherence so far -------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionAdherence:
    """How the days of one condition went so far: followed as asked, and diary kept."""

    condition: Condition
    days: int  # days of this condition that are over
    followed: int  # routine days with a completed session; other days with none
    nights: int  # diary nights recorded after those days

    @property
    def rate(self) -> float:
        return self.followed / self.days if self.days else 0.0

    @property
    def diary_rate(self) -> float:
        return self.nights / self.days if self.days else 0.0


@dataclass(frozen=True)
class ExperimentAdherence:
    days_over: int
    days_total: int
    by_condition: tuple[ConditionAdherence, ...]

    def of(self, condition: Condition) -> ConditionAdherence:
        return next(c for c in self.by_condition if c.condition == condition)


def adherence(
    experiment: Experiment,
    sessions_per_day: Mapping[dt.date, int],
    nights: Mapping[dt.date, float] | frozenset[dt.date] | set[dt.date],
    today: dt.date,
) -> ExperimentAdherence:
    """Adherence up to yesterday (today is not over): `sessions_per_day` counts completed
    sessions per day; `nights` holds the dates (mornings) of recorded diary nights."""
    counts: dict[Condition, list[int]] = {c: [0, 0, 0] for c in ("baseline", "routine", "usual")}
    one = dt.timedelta(days=1)
    for block in experiment.blocks:
        day = block.start
        while day <= block.end and day < today:
            did = sessions_per_day.get(day, 0) > 0
            c = counts[block.condition]
            c[0] += 1
            c[1] += int(did if block.condition == "routine" else not did)
            c[2] += int((day + one) in nights)
            day += one
    conditions: tuple[Condition, ...] = ("routine", "usual") + (
        ("baseline",) if experiment.design.baseline else ()
    )
    return ExperimentAdherence(
        days_over=sum(counts[c][0] for c in conditions),
        days_total=experiment.design.total_days,
        by_condition=tuple(ConditionAdherence(c, *counts[c]) for c in conditions),
    )


def to_dict(experiment: Experiment) -> dict[str, Any]:
    """The experiment as JSON-ready data (for `status --json`, the web app and export)."""
    return {
        "uuid": experiment.uuid,
        "created_at": experiment.created_at.isoformat(),
        "status": experiment.status,
        "outcome": experiment.outcome,
        "seed": experiment.design.seed,
        "design": experiment.design.to_dict(),
        "start_date": experiment.start_date.isoformat(),
        "end_date": experiment.end_date.isoformat(),
        "blocks": [b.to_dict() for b in experiment.blocks],
        "ended_at": experiment.ended_at.isoformat() if experiment.ended_at else None,
    }


SHOWN_DAYS_AFTER_END = 7


def still_shown(e: Experiment, today: dt.date) -> bool:
    """Today's screens mention an experiment while it runs and for a week after it ended."""
    if e.status == "active":
        return True
    ended = e.ended_at.date() if e.ended_at is not None else e.end_date
    return (today - ended).days <= SHOWN_DAYS_AFTER_END
