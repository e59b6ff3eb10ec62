"""What the insights and the experiment analyse, loaded from the store: sessions, nights, scores.

One place that turns stored rows into the pure modules' inputs, shared by `anklesleep stats`,
`anklesleep report`, `anklesleep experiment` and the web Insights page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

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
    today = analysed_until(engine, experiment, today)
    evidence = load(engine, first, last)
    per_day = sessions_per_day(r for r in evidence.sessions if first <= r.local_date <= last)
    values = evidence.values(experiment.outcome)
    values = {night: v for night, v in values.items() if night <= today}
    followed = adherence(experiment, per_day, set(values), today)
    result = analyse(experiment, values, today, followed, t=t)
    return ExperimentReport(
        experiment, followed, result, experiment_power(engine, experiment, today)
    )


def analysed_until(engine: Engine, experiment: Experiment, today: dt.date) -> dt.date:
    """The last morning whose night belongs to the experiment: today, or for a stopped one the
    morning of the day it was stopped (in the user's time zone). Nights after a stop follow no
    schedule, so they are never analysed as if they did."""
    if experiment.status != "stopped" or experiment.ended_at is None:
        return today
    from zoneinfo import ZoneInfo

    from anklesleep.store import slots

    with engine.connect() as conn:
        zone = ZoneInfo(slots.load(conn).timezone)
    return min(today, experiment.ended_at.astimezone(zone).date())


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


def experiment_power(
    engine: Engine, experiment: Experiment, today: dt.date | None = None
) -> Detectable | None:
    """What the experiment can detect, from the night-to-night variation of its outcome.

    Without `today`, what was known when the plan was fixed: the nights of the 60 days before
    the start (the plan document prints this). With `today`, estimated again at the end of
    each pair: from the experiment's own nights in the pairs already over, around each block's
    mean (so that a real effect does not count as variation), once there are enough of them;
    until then from the nights before the start. None while neither has enough nights.
    """
    d = experiment.design
    start = experiment.start_date
    sd: float | None = None
    used = done = 0
    if today is not None and (done := experiment.pairs_over(today)):
        evidence = load(engine, start, min(today, experiment.end_date + dt.timedelta(days=1)))
        values = {n: v for n, v in evidence.values(d.outcome).items() if n <= today}
        deviations = block_deviations(experiment, values, pairs=done)
        sd, used = night_sd(deviations), len(deviations)
    if sd is not None:
        source: Literal["history", "experiment"] = "experiment"
    else:
        history = load(engine, start - dt.timedelta(days=HISTORY_DAYS), start)
        before = [v for n, v in history.values(d.outcome).items() if n <= start]
        sd, used, source, done = night_sd(before), len(before), "history", 0
    if sd is None:
        return None
    return detectable(
        sd,
        used,
        weeks=d.weeks,
        block_days=d.block_days,
        washout_nights=d.washout_nights,
        alpha=ALPHA,
        source=source,
        pairs_done=done,
    )


def experiment_power_sentence(engine: Engine, today: dt.date, t: Translate) -> str | None:
    """The power sentence for the running (or just ended) experiment, for Today and Insights."""
    e = latest_experiment(engine)
    if e is None or not still_shown(e, today):
        return None
    det = experiment_power(engine, e, analysed_until(engine, e, today))
    if det is None:
        if e.status != "active":
            return None
        return t(
            "What this experiment can detect depends on how much your nights vary; there are "
            "too few nights to say yet. It is estimated at the end of each pair of blocks, once "
            "there are enough nights."
        )
    return sentence(det, e.outcome, e.design.weeks, t)
