"""The personal experiment: design, schedule, today's instruction, adherence and analysis,
with a calibration check by simulation."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.experiment import analysis as trial
from anklesleep.experiment import design as experiment
from anklesleep.experiment.design import Experiment
from anklesleep.insights.association import Night

EN = translator("en")

START = dt.date(2026, 1, 5)
CREATED = dt.datetime(2026, 1, 5, 20, 0, tzinfo=dt.UTC)


def make(**kwargs: object) -> Experiment:
    d = experiment.design(**{"seed": 11, **kwargs})  # type: ignore[arg-type]
    return experiment.new_experiment(d, START, today=START, uuid="u1", created_at=CREATED)


def nightly(e: Experiment, value: object, days: int | None = None) -> dict[dt.date, float]:
    """The outcome of the night after each block day: value(condition, i)."""
    result: dict[dt.date, float] = {}
    for b in e.blocks:
        for i in range(b.days):
            day = b.start + dt.timedelta(days=i)
            result[day + dt.timedelta(days=1)] = value(b.condition, i)  # type: ignore[operator]
    return result


# --- design -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "fix"),
    [
        ({"weeks": 2}, "weeks", "4 to 52"),
        ({"weeks": 9}, "weeks", "even number"),
        ({"weeks": 8, "block_days": 5}, "block-days", "2, 4, 7, 14"),
        ({"outcome": "mood"}, "outcome", "quality, sol, se, tst"),
        ({"seed": -1}, "seed", "0 to"),
    ],
)
def test_bad_designs_get_one_line_naming_the_fix(
    kwargs: dict[str, object], field: str, fix: str
) -> None:
    with pytest.raises(AnkleSleepError) as info:
        experiment.design(**{"seed": 1, **kwargs})  # type: ignore[arg-type]
    message = info.value.message
    assert message.startswith(f"{field}: got ") and fix in message and "\n" not in message


def test_default_design_and_its_honest_limit() -> None:
    d = experiment.design(seed=3)
    assert (d.weeks, d.block_days, d.outcome, d.baseline) == (8, 4, "quality", False)
    assert d.pairs == 7 and d.washout_nights == 1
    assert d.smallest_p < 0.05
    # Weekly blocks over 8 weeks give 4 pairs: the test can never reach 5 %.
    weekly = experiment.design(seed=3, block_days=7)
    assert weekly.pairs == 4 and weekly.smallest_p == pytest.approx(0.125)
    assert experiment.suggest_block_days(8) == 4


@settings(max_examples=60, deadline=None)
@given(
    weeks=st.integers(2, 10).map(lambda n: 2 * n),
    seed=st.integers(0, 2**31 - 1),
    baseline=st.booleans(),
    pick=st.integers(0, 100),
)
def test_every_schedule_is_contiguous_and_balanced_within_pairs(
    weeks: int, seed: int, baseline: bool, pick: int
) -> None:
    choices = experiment.block_day_choices(weeks)
    block_days = choices[pick % len(choices)]
    d = experiment.design(weeks=weeks, block_days=block_days, seed=seed, baseline=baseline)
    blocks = experiment.schedule(d, START)
    assert blocks[0].start == START
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in itertools.pairwise(blocks))
    assert sum(b.days for b in blocks) == d.total_days
    for pair in range(1, d.pairs + 1):
        conditions = sorted(b.condition for b in blocks if b.pair == pair)
        assert conditions == ["routine", "usual"]
    assert (blocks[0].condition == "baseline") == baseline
    assert experiment.schedule(d, START) == blocks  # the seed reproduces the plan


def test_the_coin_varies_the_order_between_seeds() -> None:
    orders = {
        tuple(b.condition for b in experiment.schedule(experiment.design(seed=s), START))
        for s in range(20)
    }
    assert len(orders) > 5


def test_an_experiment_cannot_start_in_the_past() -> None:
    d = experiment.design(seed=1)
    with pytest.raises(AnkleSleepError, match=r"^start: got 2026-01-04"):
        experiment.new_experiment(
            d, START - dt.timedelta(days=1), today=START, uuid="u", created_at=CREATED
        )


# --- today ------------------------------------------------------------------------------------


def test_today_instruction_through_the_experiment() -> None:
    e = make(baseline=True, block_days=7)
    before = experiment.today_instruction(e, START - dt.timedelta(days=2), EN)
    assert before.phase == "upcoming" and before.do_routine is None
    assert before.starts_on == START and "2 days" in before.detail

    base = experiment.today_instruction(e, START + dt.timedelta(days=2), EN)
    assert base.phase == "baseline" and base.do_routine is False
    assert base.day_in_block == 3 and base.days_left_in_block == 5
    assert base.days_left == e.design.total_days - 2

    first = e.blocks[1]
    t = experiment.today_instruction(e, first.start, EN)
    assert t.phase == first.condition and t.block == 1 and t.pair == 1
    assert t.do_routine is (first.condition == "routine")
    assert ("Do the routine" in t.detail) is (first.condition == "routine")
    assert ("Skip the routine" in t.detail) is (first.condition == "usual")
    assert "7 days left" in t.detail

    last = experiment.today_instruction(e, e.end_date, EN)
    assert last.days_left == 1 and last.days_left_in_block == 1 and "1 day left" in last.detail
    done = experiment.today_instruction(e, e.end_date + dt.timedelta(days=1), EN)
    assert done.phase == "complete" and "experiment result" in done.detail

    from dataclasses import replace

    stopped = experiment.today_instruction(replace(e, status="stopped"), first.start, EN)
    assert stopped.phase == "stopped" and stopped.do_routine is None


class Marked:
    """A translator that marks every message (and its plural forms), to see that it is used."""

    def __call__(self, message: str) -> str:
        return f"<{message}>"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"<{singular if n == 1 else plural}>"


def test_the_words_come_from_the_translator_given_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANKLESLEEP_LANG", "xx")
    e = make(baseline=True, block_days=7)
    base = experiment.today_instruction(e, START + dt.timedelta(days=2), Marked())
    assert base.headline == "<Experiment: baseline week, day 3 of 7>"
    # the sentences, and the separator between them, come from the translator
    assert base.detail.endswith("> <5 days left>>") and base.detail.startswith("<<<No routine")
    plain = experiment.today_instruction(e, START + dt.timedelta(days=2), str)
    assert plain.detail.endswith(" 5 days left")  # a plain function: English plurals
    r = trial.analyse(e, {}, START + dt.timedelta(days=3), t=Marked())
    assert r.summary.startswith("<") and all(w.startswith("<") for w in r.warnings)


# --- adherence --------------------------------------------------------------------------------


def test_adherence_counts_days_followed_and_diary_nights_up_to_yesterday() -> None:
    e = make(weeks=4, block_days=7)
    routine = next(b for b in e.blocks if b.condition == "routine")
    usual = next(b for b in e.blocks if b.condition == "usual")
    sessions = {routine.start + dt.timedelta(days=i): 1 for i in range(5)}  # 5 of 7
    sessions[usual.start] = 2  # one slip in the usual block
    nights = {e.start_date + dt.timedelta(days=i + 1) for i in range(10)}
    a = experiment.adherence(e, sessions, nights, e.end_date + dt.timedelta(days=1))
    r, u = a.of("routine"), a.of("usual")
    assert (r.days, r.followed) == (14, 5) and (u.days, u.followed) == (14, 13)
    assert r.nights + u.nights == 10
    assert a.days_over == 28 == a.days_total
    partway = experiment.adherence(e, sessions, nights, START + dt.timedelta(days=3))
    assert partway.days_over == 3  # today is not over yet


# --- analysis ---------------------------------------------------------------------------------


def test_a_large_consistent_effect_is_found_and_stated_with_care() -> None:
    e = make(weeks=8, block_days=4)  # 7 pairs: the smallest p is 2/128
    outcomes = nightly(
        e, lambda c, i: 4.0 + 0.1 * (i % 2) if c == "routine" else 3.0 - 0.1 * (i % 3)
    )
    today = e.end_date + dt.timedelta(days=2)
    r = trial.analyse(e, outcomes, today, t=EN)
    assert r.pairs_used == 7 and r.exact and r.assignments == 128
    assert r.p_value == pytest.approx(2 / 128)
    assert r.verdict == "routine better"
    assert r.effect is not None and r.low is not None and r.high is not None
    assert r.low <= r.effect <= r.high and r.low > 0
    assert r.routine_nights == r.usual_nights == 7 * 3  # one washout night per block
    assert "unlikely to be chance" in r.summary
    assert "expecting" in r.summary and "anyone else" in r.summary
    assert r.warnings == ()


def test_lower_is_better_for_time_to_fall_asleep() -> None:
    e = make(weeks=8, block_days=4, outcome="sol")
    outcomes = nightly(e, lambda c, i: 15.0 + i if c == "routine" else 30.0 + i)
    r = trial.analyse(e, outcomes, e.end_date + dt.timedelta(days=1), t=EN)
    assert r.effect == pytest.approx(-15.0)
    assert r.verdict == "routine better"


def test_no_difference_is_not_reported_as_no_effect() -> None:
    e = make(weeks=8, block_days=4)
    rng = np.random.default_rng(3)
    outcomes = nightly(e, lambda c, i: float(rng.normal(3, 1)))
    r = trial.analyse(e, outcomes, e.end_date + dt.timedelta(days=1), t=EN)
    if r.verdict == "no clear difference":
        assert "cannot tell the routine apart from chance" in r.summary
        assert "not proof that it does nothing" in r.summary


def test_thin_data_and_adherence_are_warned_about() -> None:
    e = make(block_days=7)  # 4 pairs of 7-day blocks
    outcomes = nightly(e, lambda c, i: 4.0 if c == "routine" else 3.0)
    # a third of the nights missing, and half the routine days skipped
    outcomes = {d: v for k, (d, v) in enumerate(sorted(outcomes.items())) if k % 3}
    sessions = {
        b.start + dt.timedelta(days=i): 1
        for b in e.blocks
        if b.condition == "routine"
        for i in range(0, b.days, 2)
    }
    today = e.end_date + dt.timedelta(days=1)
    followed = experiment.adherence(e, sessions, set(outcomes), today)
    r = trial.analyse(e, outcomes, today, followed, t=EN)
    text = " ".join(r.warnings)
    assert "cannot reach the 5% level" in text  # 4 pairs: p >= 0.125
    assert "did the routine on 57%" in text
    assert re.search(r"diary covers 6[67]%", text)
    assert r.verdict in ("no clear difference", "too little data")
    assert r.p_value is None or r.p_value >= 0.125


def test_an_interim_look_says_so() -> None:
    e = make(weeks=8, block_days=4)
    outcomes = nightly(e, lambda c, i: 3.0)
    today = e.blocks[6].start
    outcomes = {d: v for d, v in outcomes.items() if d <= today}
    r = trial.analyse(e, outcomes, today, t=EN)
    assert not r.complete
    assert r.pairs_used == 3
    assert "interim" in r.summary and any("interim" in w for w in r.warnings)


def test_too_little_data() -> None:
    e = make()
    r = trial.analyse(e, {}, START + dt.timedelta(days=3), t=EN)
    assert r.verdict == "too little data" and r.p_value is None and r.effect is None
    assert "Not enough data" in r.summary


def test_glue_helpers() -> None:
    n = Night(START, 12, 5, 400, 90.0, 4)
    assert trial.outcome_values([n], "tst") == {START: 400.0}


# --- calibration ------------------------------------------------------------------------------

SIMULATIONS = 1000
#: under no effect, rejections ~ Binomial(1000, <= 0.05); allow up to the 99.9th percentile of
#: Binomial(1000, 0.05), so a correct test fails this check less than once in a thousand runs
TOLERANCE = int(stats.binom.ppf(0.999, SIMULATIONS, 0.05))


def _ar1(rng: np.random.Generator, n: int, rho: float) -> np.ndarray:
    noise = rng.normal(0, 1, n)
    x = np.empty(n)
    x[0] = noise[0]
    for i in range(1, n):
        x[i] = rho * x[i - 1] + np.sqrt(1 - rho**2) * noise[i]
    return x


@pytest.mark.slow
@pytest.mark.parametrize("rho", [0.0, 0.5])
def test_false_positive_rate_is_at_most_five_percent_without_a_true_effect(rho: float) -> None:
    """Synthetic diaries with no effect (day-to-day AR(1) correlation `rho`): how often does
    the analysis call a difference at the 5 % level? Seeded, so the count is the same each run."""
    e = make(weeks=8, block_days=2)  # 14 pairs: 16 384 block orders, enumerated exactly
    rng = np.random.default_rng(2026)
    nights = sorted(nightly(e, lambda c, i: 0.0))
    today = e.end_date + dt.timedelta(days=1)
    rejections = interval_misses = 0
    for _ in range(SIMULATIONS):
        values = 3.0 + _ar1(rng, len(nights), rho)
        r = trial.analyse(e, dict(zip(nights, values.tolist(), strict=True)), today, t=EN)
        assert r.p_value is not None and r.low is not None and r.high is not None
        rejections += r.p_value <= 0.05
        interval_misses += r.low > 0 or r.high < 0
    assert rejections <= TOLERANCE, (rejections, TOLERANCE)
    assert interval_misses <= TOLERANCE, (interval_misses, TOLERANCE)
