"""Insights: adherence, habit strength, rolling means, symptom trends, the association view."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.basics.i18n import translator
from anklesleep.diary.entries import SymptomEntry
from anklesleep.insights import progress as insights
from anklesleep.insights.association import MIN_NIGHTS, Night, compare
from anklesleep.insights.inference import bootstrap_difference, sign_flip_test, smallest_p
from anklesleep.practice.records import SessionRecord
from anklesleep.testing import synthetic

EN = translator("en")

DAY0 = dt.date(2026, 3, 1)
M = 0.5 ** (1 / 13)


def record(
    day: dt.date, slot: str = "bedtime", completed: bool = True, n: int = 0
) -> SessionRecord:
    start = dt.datetime(day.year, day.month, day.day, 22, 0, tzinfo=dt.UTC)
    return SessionRecord(
        uuid=f"{day}-{slot}-{n}",
        routine="full",
        slot=slot,  # type: ignore[arg-type]
        started_at=start,
        utc_offset_minutes=0,
        local_date=day,
        planned_seconds=600,
        completed=completed,
        completed_seconds=600 if completed else 100,
    )


def night(day: dt.date, sol: float = 20, quality: float = 3) -> Night:
    return Night(day, sol=sol, waso=10, tst=420, se=88.0, quality=quality)


# --- adherence and streaks --------------------------------------------------------------------


def test_adherence_counts_slots_partials_and_reuses_the_streaks() -> None:
    d = [DAY0 + dt.timedelta(days=i) for i in range(5)]
    records = [
        record(d[0], "morning"),
        record(d[0], "bedtime"),
        record(d[1], "home", completed=False),
        record(d[2], "morning"),
        record(d[2], "home"),
        record(d[2], "bedtime"),
        record(d[3], "bedtime"),
        record(d[4], "bedtime"),
    ]
    a = insights.adherence(records, d[0], d[4], d[4])
    assert a.days_total == 5
    assert a.days_done == 4
    assert a.rate == pytest.approx(0.8)
    assert a.days_all_three == 1
    assert a.sessions_completed == 7
    assert a.days[1].slots_done == () and a.days[1].slots_partial == ("home",)
    assert a.days[2].count == 3
    assert {s.slot: s.days_done for s in a.per_slot} == {"morning": 2, "home": 1, "bedtime": 4}
    assert a.current_streak == 3  # d2, d3, d4
    assert a.longest_streak == 3


# --- habit strength ---------------------------------------------------------------------------


def test_habit_strength_follows_the_documented_formula() -> None:
    days = [DAY0 + dt.timedelta(days=i) for i in range(30)]
    h = insights.habit_strength(days, DAY0, days[-1])
    assert h.half_life_days == 13
    assert h.points[0][1] == pytest.approx(100 * (1 - M), abs=0.01)
    assert h.current == pytest.approx(100 * (1 - M**30), abs=0.01)
    # thirteen missed days halve the score: that is what the half-life means
    later = days[-1] + dt.timedelta(days=13)
    h2 = insights.habit_strength(days, DAY0, later)
    assert h2.current == pytest.approx(h.current / 2, abs=0.01)


def test_habit_strength_counts_history_before_the_window() -> None:
    days = [DAY0 + dt.timedelta(days=i) for i in range(60)]
    start = days[50]
    h = insights.habit_strength(days, start, days[-1])
    assert h.points[0][0] == start
    assert h.current == pytest.approx(100 * (1 - M**60), abs=0.01)


def test_habit_strength_with_no_sessions_is_zero() -> None:
    h = insights.habit_strength([], DAY0, DAY0 + dt.timedelta(days=3))
    assert [s for _d, s in h.points] == [0.0] * 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=120))
def test_habit_strength_rises_on_done_days_and_falls_on_missed_ones(pattern: list[bool]) -> None:
    days = [DAY0 + dt.timedelta(days=i) for i, done in enumerate(pattern) if done]
    end = DAY0 + dt.timedelta(days=len(pattern) - 1)
    h = insights.habit_strength(days, DAY0, end)
    scores = [s for _d, s in h.points]
    assert all(0 <= s <= 100 for s in scores)
    previous = 0.0
    for done, score in zip(pattern, scores, strict=True):
        if done:
            assert score >= previous - 0.01
        else:
            assert score <= previous + 0.01
        previous = score


# --- rolling means ----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 90)), max_size=40))
def test_rolling_means_match_a_direct_computation(raw: list[tuple[int, int]]) -> None:
    by_day = {DAY0 + dt.timedelta(days=i): float(sol) for i, sol in raw}
    nights = [night(d, sol=v) for d, v in sorted(by_day.items())]
    start, end = DAY0 + dt.timedelta(days=5), DAY0 + dt.timedelta(days=35)
    points = insights.rolling_means(nights, start, end)
    assert points[0].day == start and points[-1].day == end
    for p in points:
        window = [v for d, v in by_day.items() if p.day - dt.timedelta(days=6) <= d <= p.day]
        assert p.nights == len(window)
        if len(window) >= insights.ROLLING_MIN_NIGHTS:
            assert p.means["sol"] == pytest.approx(sum(window) / len(window))
        else:
            assert p.means["sol"] is None


# --- symptoms ---------------------------------------------------------------------------------


def test_symptom_trends_compare_the_last_28_days_with_the_28_before() -> None:
    end = DAY0 + dt.timedelta(days=55)
    entries = [
        SymptomEntry(DAY0 + dt.timedelta(days=i), "knee", 6 if i < 28 else 2)
        for i in range(0, 56, 7)
    ] + [SymptomEntry(DAY0 + dt.timedelta(days=i), "headache", 3) for i in range(0, 56, 7)]
    entries.append(SymptomEntry(end, "bunions", 4))
    trends = {t.symptom: t for t in insights.symptom_trends(entries, DAY0, end)}
    assert set(trends) == {"knee", "headache", "bunions"}
    knee = trends["knee"]
    assert knee.recent_mean == 2 and knee.earlier_mean == 6
    assert knee.change == -4 and knee.direction == "easing"
    assert knee.slope_per_30_days is not None and knee.slope_per_30_days < 0
    assert trends["headache"].direction == "steady"
    assert trends["bunions"].direction == "too few" and trends["bunions"].latest == 4


# --- association ------------------------------------------------------------------------------


def test_the_night_after_a_bedtime_session_is_keyed_by_the_next_morning() -> None:
    evening = DAY0
    nights = [night(DAY0, sol=50), night(DAY0 + dt.timedelta(days=1), sol=10)]
    a = compare(nights, {evening}, t=EN, resamples=50)
    sol = a.comparisons[0]
    assert sol.metric == "sol"
    assert (sol.nights_after, sol.nights_without) == (1, 1)
    assert sol.mean_after == 10 and sol.mean_without == 50
    assert sol.low is None  # too few nights for an interval
    assert not a.enough
    assert f"at least {MIN_NIGHTS}" in a.summary


def test_a_clear_difference_is_reported_as_an_association_not_proof() -> None:
    h = synthetic.history(DAY0, 120, seed=4, effect=1.5, practice_rate=0.5)
    today = DAY0 + dt.timedelta(days=120)
    o = insights.overview(h.sessions, h.nights, h.symptoms, today=today, t=EN, days=120)
    a = o.association
    assert a.enough
    sol = next(c for c in a.comparisons if c.metric == "sol")
    assert sol.clear and sol.favours == "after"
    assert sol.difference is not None and sol.difference < 0
    assert "association, not proof" in a.summary
    assert "expecting" in a.caveat
    assert "experiment" in a.caveat


def test_no_effect_says_so() -> None:
    rng = np.random.default_rng(1)
    nights = [Night(DAY0 + dt.timedelta(days=i), 20.0, 10.0, 420.0, 88.0, 3.0) for i in range(40)]
    evenings = {DAY0 + dt.timedelta(days=int(i)) for i in rng.choice(40, 20, replace=False)}
    a = compare(nights, evenings, t=EN, resamples=200)
    assert a.enough
    assert all(not c.clear for c in a.comparisons)
    assert "chance" in a.summary


def test_the_association_is_repeatable_with_its_seed() -> None:
    h = synthetic.history(DAY0, 60, seed=2)
    nights = insights.nights_from(h.nights)
    bedtime = {r.local_date for r in h.sessions if r.slot == "bedtime"}
    assert compare(nights, bedtime, t=EN, seed=3) == compare(nights, bedtime, t=EN, seed=3)


def test_overview_is_json_ready() -> None:
    h = synthetic.history(DAY0, 40, seed=1)
    today = DAY0 + dt.timedelta(days=40)
    o = insights.overview(h.sessions, h.nights, h.symptoms, today=today, t=EN, days=30)
    assert o.start == today - dt.timedelta(days=29)
    assert all(o.start <= n.night <= today for n in o.nights)
    data = json.loads(json.dumps(insights.overview_dict(o)))
    assert data["adherence"]["days"][0]["day"] == o.start.isoformat()
    assert len(data["rolling_7_day_means"]) == 30
    assert {c["metric"] for c in data["association"]["comparisons"]} == {
        "sol", "waso", "tst", "se", "quality",
    }  # fmt: skip
    assert data["habit_strength"]["half_life_days"] == 13
    lines = insights.headline(o, EN)
    assert any("Habit strength" in line for line in lines)


# --- inference --------------------------------------------------------------------------------


def test_exact_sign_flip_test_on_a_small_example() -> None:
    test = sign_flip_test([1.0, 1.0, 1.0])
    assert test.exact and test.assignments == 8
    assert test.p_value == pytest.approx(2 / 8)  # only all-plus and all-minus reach |mean| 1
    assert smallest_p(3) == pytest.approx(0.25)
    assert smallest_p(4) == pytest.approx(0.125)
    assert sign_flip_test([]).p_value == 1.0


def test_monte_carlo_sign_flip_test_is_seeded_and_valid() -> None:
    d = np.linspace(-1, 2, 20)
    a, b = sign_flip_test(d, seed=5, draws=4000), sign_flip_test(d, seed=5, draws=4000)
    assert not a.exact and a.p_value == b.p_value
    assert 1 / 4001 <= a.p_value <= 1


def test_bootstrap_interval_brackets_the_estimate() -> None:
    rng = np.random.default_rng(0)
    treated = rng.normal(1.0, 1.0, (50, 2))
    control = rng.normal(0.0, 1.0, (40, 2))
    intervals = bootstrap_difference(treated, control, seed=1, resamples=500)
    for j, interval in enumerate(intervals):
        assert interval is not None
        assert interval.low < interval.estimate < interval.high
        assert interval.estimate == pytest.approx(treated[:, j].mean() - control[:, j].mean())
        assert not math.isnan(interval.low)
    assert bootstrap_difference(treated[:1], control) == [None, None]
