"""The printable report: one self-contained HTML file with every chart, its numbers and caveats.

Charts are inline SVG, styles are inline CSS; the file refers to nothing outside itself, so it
opens offline, prints cleanly (A4 or Letter) and can be handed to a clinician as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from anklesleep import __version__
from anklesleep.basics import files as outfile
from anklesleep.basics import formats
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, current_language, translator
from anklesleep.experiment.design import STATUS_LABELS
from anklesleep.insights.progress import (
    DIRECTION_LABELS,
    HALF_LIFE_DAYS,
    Overview,
    RollingPoint,
    headline,
)
from anklesleep.printouts.charts import (
    Chart,
    adherence_calendar,
    experiment_chart,
    habit_chart,
    sleep_chart,
    symptom_chart,
)
from anklesleep.routine.safety import notes as safety_notes
from anklesleep.schedule.slots import SLOT_LABELS

if TYPE_CHECKING:
    from anklesleep.experiment.analysis import ExperimentReport
    from anklesleep.insights.agreement import Comparison

#: The page, in a template file so that the catalog finds its `t("...")` messages.
TEMPLATE = Path(__file__).with_name("report.html")


@dataclass(frozen=True)
class ReportCharts:
    calendar: Chart
    habit: Chart
    sleep: Chart
    symptoms: Chart
    experiment: Chart | None
    agreement: tuple[Chart, ...] = ()

    def all(self) -> list[Chart]:
        found = [self.calendar, self.habit, self.sleep, self.symptoms, self.experiment]
        return [c for c in found if c is not None] + list(self.agreement)


def draw_charts(
    o: Overview, x: ExperimentReport | None = None, tracker: Comparison | None = None
) -> ReportCharts:
    """Every chart of the report (also what `--png DIR` writes)."""
    from anklesleep.printouts.agreement import agreement_chart

    agreements = tracker.agreements.values() if tracker is not None else ()
    return ReportCharts(
        agreement=tuple(agreement_chart(a) for a in agreements if a is not None),
        calendar=adherence_calendar(o.adherence.days),
        habit=habit_chart(o.habit),
        sleep=sleep_chart(o.nights, o.rolling, o.bedtime_days),
        symptoms=symptom_chart(o.symptoms),
        experiment=experiment_chart(x.result) if x is not None else None,
    )


def _num(value: float | None, decimals: int = 1, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{round(value, decimals) + 0.0:.{decimals}f}{suffix}"


def _signed(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return f"{round(value, decimals) + 0.0:+.{decimals}f}"


def _hours(minutes: float | None, language: str) -> str:
    if minutes is None:
        return "—"
    return formats.hours_minutes(minutes, language)


def weekly_rows(rolling: tuple[RollingPoint, ...]) -> list[RollingPoint]:
    """One 7-day mean per week, counting back from the last day, newest last."""
    rows = [p for i, p in enumerate(reversed(rolling)) if i % 7 == 0 and p.nights]
    return list(reversed(rows))


def caveats() -> list[str]:
    return [
        _(
            "The routine comes from one bodywork practitioner's method; it is not a medical "
            "treatment, and these numbers are not a diagnosis."
        ),
        _(
            "Diary entries are recalled the next morning: they are estimates, useful for trends "
            "rather than exact minutes."
        ),
        _(
            "Comparing nights after a session with nights without shows an association only: "
            "other differences between those days, and expecting to sleep better, can explain "
            "some or all of it."
        ),
        _(
            "A personal experiment speaks about you, during the weeks it ran; it is not blind, "
            "so expectation can still play a part."
        ),
        _(
            "If poor sleep persists (three or more nights a week for three months or more), "
            "or comes with loud snoring, pauses in breathing or dangerous daytime sleepiness, "
            "see a doctor."
        ),
    ]


def render(
    o: Overview,
    x: ExperimentReport | None = None,
    *,
    charts: ReportCharts | None = None,
    generated_at: dt.datetime,
    language: str | None = None,
    tracker: Comparison | None = None,
) -> str:
    """The report as one HTML document (no external files), in `language` (default: the
    current one)."""
    from jinja2 import Environment

    language = language or current_language()
    t = translator(language)
    drawn = charts or draw_charts(o, x, tracker)
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    x_plan = x_method = ""
    if x is not None:
        e = x.experiment
        x_plan = (
            t(
                "Primary outcome: {outcome}, fixed on {created} before the first night, with "
                "seed {seed}. {pairs} pairs of {days}-day blocks from {start} to {end}, after a "
                "baseline week; status: {status}."
            )
            if e.design.baseline
            else t(
                "Primary outcome: {outcome}, fixed on {created} before the first night, with "
                "seed {seed}. {pairs} pairs of {days}-day blocks from {start} to {end}; status: "
                "{status}."
            )
        ).format(
            outcome=t(x.result.label),
            created=formats.date(e.created_at.date(), language),
            seed=e.design.seed,
            pairs=e.design.pairs,
            days=e.design.block_days,
            start=formats.date(e.start_date, language),
            end=formats.date(e.end_date, language),
            status=t(STATUS_LABELS[e.status]),
        )
        x_method = t(
            "Method: the mean of each pair's routine block minus its usual block, leaving out "
            "the first {washout} night(s) of each block; a 95 % t interval over pairs; a "
            "randomization test over {n} block orders ({kind})."
        ).format(
            washout=e.design.washout_nights,
            n=x.result.assignments,
            kind=t("every possible order") if x.result.exact else t("random sample"),
        )
    return template.render(
        lang=language,
        date=lambda day: formats.date(day, language),
        version=__version__,
        t=t,
        title=t("anklesleep report"),
        period=t("{start} to {end}").format(
            start=formats.date(o.start, language), end=formats.date(o.end, language)
        ),
        generated=t("made on {when}").format(when=formats.date_time(generated_at, language)),
        headline=headline(o, t),
        about=t(
            "These pages sum up your practice of the ankle-bone routine, your sleep diary and "
            "your complaint scores. Everything was computed on your own device."
        ),
        o=o,
        charts=drawn,
        weekly=weekly_rows(o.rolling),
        habit_note=t(
            "Habit strength is an exponentially smoothed share of days with a session (as in "
            "Loop Habit Tracker): each day's weight halves after {half:g} days, so a missed day "
            "costs a little and a long run is not wiped out."
        ).format(half=HALF_LIFE_DAYS),
        symptom_caption=t(
            "Mean score of the last 28 days against the 28 days before (0 none - 10 worst)"
        ),
        x_caption=t(
            "Each bar is a block's mean. Right: the estimated effect with its 95 % interval, "
            "and grey dots for the differences chance alone gives over every block order the "
            "coin could have drawn."
        ),
        slot_labels=SLOT_LABELS,
        direction_labels=DIRECTION_LABELS,
        x=x,
        x_plan=x_plan,
        x_method=x_method,
        tracker=tracker,
        tracker_sentences=tracker.sentences(t) if tracker is not None else [],
        tracker_caption=t(
            "Means over the report's days: {diary} diary nights, {tracked} tracker nights "
            "(naps left out)"
        ).format(
            diary=tracker.diary_nights if tracker else 0,
            tracked=tracker.tracked_nights if tracker else 0,
        ),
        agreement_caption=t(
            "Each dot is a night with both: the diary minus the tracker, against their mean. "
            "The solid line is the mean difference; the dashed lines, the limits of agreement "
            "(mean ± 1.96 standard deviations)."
        ),
        caveats=caveats(),
        safety=safety_notes(t),
        footer=t("Made by anklesleep {version}. Nothing in this report was sent anywhere.").format(
            version=__version__
        ),
        pct=lambda r: f"{r:.0%}",
        num=_num,
        signed=_signed,
        hours=lambda minutes: _hours(minutes, language),
    )


def write(path: Path, html: str) -> Path:
    """Write the report atomically: a temporary file beside the target, then a rename."""
    return outfile.write_text(path, html, "--output", example="report.html")


def write_pngs(folder: Path, charts: ReportCharts, dpi: int = 150) -> list[Path]:
    """Each chart as `<folder>/<key>.png` (written atomically)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnkleSleepError(
            _(
                "--png: cannot create {folder!r} ({strerror}); choose a place you can write to"
            ).format(folder=str(folder), strerror=exc.strerror),
            field="png",
        ) from None
    return [
        outfile.write_bytes(folder / f"{chart.key}.png", chart.png(dpi), "--png", "chart.png")
        for chart in charts.all()
    ]
