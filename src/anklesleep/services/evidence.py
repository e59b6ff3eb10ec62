"""What the insights and the experiment analyse, loaded from the store: sessions, nights, scores.

One place that turns stored rows into the pure modules' inputs, shared by `anklesleep stats`,
`anklesleep report`, `anklesleep experiment` and the web Insights page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine

from anklesleep.basics.i18n import Translate
from anklesleep.diary.entries import SleepEntry, SymptomEntry
from anklesleep.experiment.analysis import (
    ExperimentReport,
    analyse,
    block_deviations,
    outcome_values,
    sessions_per_day,
    tracker_values,
)
from anklesleep.experiment.design import (
    ALPHA,
    TRACKER_OUTCOMES,
    Experiment,
    Outcome,
    TodayInstruction,
    adherence,
    still_shown,
    today_instruction,
)
from anklesleep.experiment.power import Detectable, detectable, night_sd, sentence
from anklesleep.insights.progress import Overview, nights_from, overview
from anklesleep.practice.records import SessionRecord
from anklesleep.store import diary, sessions
from anklesleep.store import experiments as experiment_store
from anklesleep.store import trackers as tracker_store
from anklesleep.trackers.records import TrackerNight


@dataclass(frozen=True)
class Evidence:
    """All sessions (streaks and habit strength need the whole history), and the diary
    nights and complaint scores from `start` on."""

    sessions: tuple[SessionRecord, ...]
    nights: tuple[SleepEntry, ...]
    symptoms: tuple[SymptomEntry, ...]
    #: each night's tracker sleep (the main one, naps left out), from `start` on
    tracked: dict[dt.date, TrackerNight] = field(default_factory=dict)

    def values(self, outcome: Outcome) -> dict[dt.date, float]:
        """Each night's value of `outcome`, from the diary or the tracker as it says."""
        if outcome in TRACKER_OUTCOMES:
            return tracker_values(self.tracked, outcome)
        return outcome_values(nights_from(self.nights), outcome)


def load(engine: Engine, start: dt.date | None = None, end: dt.date | None = None) -> Evidence:
    """Read everything in one transaction, so the numbers agree with each other."""
    with engine.connect() as conn:
        tracked = tracker_store.between(conn, start or dt.date.min, end or dt.date.max)
        return Evidence(
            sessions=tuple(sessions.list_sessions(conn, None, end)),
            nights=tuple(diary.list_nights(conn, start, end)),
            symptoms=tuple(diary.list_symptoms(conn, start, end)),
            tracked=tracker_store.main_sleeps(tracked),
        )


def load_overview(engine: Engine, today: dt.date, days: int, t: Translate) -> Overview:
    """The insights for the `days` days ending `today`, their sentences in the language of `t`."""
    start = today - dt.timedelta(days=days - 1)
    evidence = load(engine, start, today)
    return overview(
        evidence.sessions, evidence.nights, evidence.symptoms, today=today, t=t, days=days
    )


def experiment_report(
    engine: Engine, experiment: Experiment, today: dt.date, t: Translate
) -> ExperimentReport:
    """Adherence and the analysis of one experiment, from the stored sessions and nights."""
    first = experiment.start_date
    last = experiment.end_date + dt.timedelta(days=1)
    evidence = load(engine, first, last)
    per_day = sessions_per_day(r for r in evidence.sessions if first <= r.local_date <= last)
    values = evidence.values(experiment.outcome)
    values = {night: v for night, v in values.items() if night <= today}
    followed = adherence(experiment, per_day, set(values), today)
    result = analyse(experiment, values, today, followed, t=t)
    return ExperimentReport(experiment, followed, result, experiment_power(engine, experiment))


def latest_experiment(engine: Engine) -> Experiment | None:
    with engine.connect() as conn:
        return experiment_store.latest(conn)


def experiment_today(engine: Engine, today: dt.date, t: Translate) -> TodayInstruction | None:
    """What the running experiment asks of `today`, for the Today screens; None when no
    experiment is running (or the latest one ended more than a week ago)."""
    e = latest_experiment(engine)
    if e is None or not still_shown(e, today):
        return None
    return today_instruction(e, today, t)


#: diary nights before an experiment's start that estimate how much the outcome varies
HISTORY_DAYS = 60


def experiment_power(engine: Engine, experiment: Experiment) -> Detectable | None:
    """What the experiment can detect, from the night-to-night variation of its outcome.

    The variation comes from the diary nights of the 60 days before the start when there are
    enough of them; otherwise from the experiment's own nights, around each block's mean (so
    that a real effect does not count as variation). None while neither has enough nights.
    """
    d = experiment.design
    start = experiment.start_date
    history = load(engine, start - dt.timedelta(days=HISTORY_DAYS), start)
    before = list(history.values(d.outcome).values())
    sd, used = night_sd(before), len(before)
    if sd is None:
        evidence = load(engine, start, experiment.end_date + dt.timedelta(days=1))
        values = evidence.values(d.outcome)
        deviations = block_deviations(experiment, values)
        sd, used = night_sd(deviations), len(deviations)
    if sd is None:
        return None
    return detectable(
        sd,
        used,
        weeks=d.weeks,
        block_days=d.block_days,
        washout_nights=d.washout_nights,
        alpha=ALPHA,
    )


def experiment_power_sentence(engine: Engine, today: dt.date, t: Translate) -> str | None:
    """The power sentence for the running (or just ended) experiment, for Today and Insights."""
    e = latest_experiment(engine)
    if e is None or not still_shown(e, today):
        return None
    det = experiment_power(engine, e)
    return None if det is None else sentence(det, e.outcome, e.design.weeks, t)
