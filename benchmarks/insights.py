"""Cost of the full insights analysis (no chart drawing) for 1, 3 and 10 years of data.

Each history has three sessions a day, a diary every night and the seven complaints weekly
(`anklesleep.testing.synthetic`). The analysis is `insights.overview` over the whole period
(adherence, streaks, habit strength, 7-day means, symptom trends and the association view with its
2,000 bootstrap resamples) plus the experiment analysis of an 8-week experiment at its end. Printed
next to a baseline measured in the same run: the time to merely iterate over the same values. Goal:
at most 0.5 s for 10 years, growing about linearly with the years.

Run: .venv/bin/python benchmarks/insights.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from anklesleep.basics.i18n import translator
from anklesleep.experiment import analysis as trial
from anklesleep.experiment import design as experiment
from anklesleep.insights import progress as insights
from anklesleep.testing import synthetic

EN = translator("en")

YEARS = (1, 3, 10)
RUNS = 5
GOAL_SECONDS = 0.5


def median_seconds(func: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    today = dt.date(2036, 1, 1)
    rows = []
    for years in YEARS:
        days = round(years * 365.25)
        history = synthetic.history(
            today - dt.timedelta(days=days), days, seed=years, practice_rate=1.0
        )
        e = experiment.new_experiment(
            experiment.design(seed=1, block_days=4),
            today - dt.timedelta(days=57),
            today=today - dt.timedelta(days=57),
            uuid="bench",
            created_at=dt.datetime(2035, 11, 1, tzinfo=dt.UTC),
        )

        def analysis(
            h: synthetic.History = history, d: int = days, x: experiment.Experiment = e
        ) -> None:
            o = insights.overview(h.sessions, h.nights, h.symptoms, today=today, t=EN, days=d)
            values = trial.outcome_values(o.nights, x.outcome)
            per_day = trial.sessions_per_day(h.sessions)
            followed = experiment.adherence(x, per_day, set(values), today)
            trial.analyse(x, values, today, followed, t=EN)

        def baseline(h: synthetic.History = history) -> None:
            total = 0
            for r in h.sessions:
                total += r.completed
            for n in h.nights:
                total += n.quality
            for s in h.symptoms:
                total += s.score

        analysis()  # warm-up: imports and caches
        rows.append(
            (years, days, len(history.sessions), median_seconds(analysis), median_seconds(baseline))
        )
    print(f"median of {RUNS} runs; analysis = overview + association + experiment, no charts")
    print(f"{'years':>5} {'nights':>7} {'sessions':>9} {'analysis s':>11} {'baseline s':>11} "
          f"{'s / year':>9}")  # fmt: skip
    for years, days, sessions, seconds, base in rows:
        print(
            f"{years:>5} {days:>7} {sessions:>9} {seconds:>11.3f} {base:>11.4f} "
            f"{seconds / years:>9.3f}"
        )
    ten = rows[-1][3]
    growth = (rows[-1][3] / rows[0][3]) / (rows[-1][0] / rows[0][0])
    print(f"growth from 1 to 10 years relative to linear: {growth:.2f} (1.00 = linear)")
    verdict = "met" if ten <= GOAL_SECONDS else "NOT met"
    print(f"goal (10 years <= {GOAL_SECONDS} s): {verdict} ({ten:.3f} s)")


if __name__ == "__main__":
    main()
