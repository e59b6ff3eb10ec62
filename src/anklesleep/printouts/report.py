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

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="anklesleep {{ version }}">
<title>{{ title }}</title>
<style>
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 2px solid #0072B2;
  padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
.meta { color: #555; margin-top: 0; }
.note { background: #f4f7fb; border-left: 4px solid #0072B2; padding: .6rem .9rem;
  margin: 1rem 0; }
.warn { background: #fff6e5; border-left: 4px solid #E69F00; padding: .6rem .9rem;
  margin: 1rem 0; }
.warn ul, .note ul { margin: .3rem 0; padding-left: 1.2rem; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: #444; font-size: .9rem; margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .92rem;
  break-inside: avoid; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: right; }
th:first-child, td:first-child, td.l { text-align: left; }
thead th { background: #f2f2f2; }
.small { font-size: .85rem; color: #555; }
section { break-before: auto; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  .pagebreak { break-before: page; }
}
</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p class="meta">{{ period }} · {{ generated }}</p>
</header>
<main>
<section aria-labelledby="summary">
<h2 id="summary">{{ t("Summary") }}</h2>
<ul>{% for line in headline %}<li>{{ line }}</li>{% endfor %}</ul>
<div class="note"><p>{{ about }}</p></div>
</section>

<section aria-labelledby="practice">
<h2 id="practice">{{ t("Practice") }}</h2>
<figure>{{ charts.calendar.svg | safe }}
<figcaption>{{ charts.calendar.description }}</figcaption></figure>
<table>
<caption>{{ t("Days with a completed session, per slot") }}</caption>
<thead><tr><th scope="col">{{ t("Slot") }}</th><th scope="col">{{ t("Days done") }}</th>
<th scope="col">{{ t("Days") }}</th><th scope="col">{{ t("Share") }}</th></tr></thead>
<tbody>{% for s in o.adherence.per_slot %}<tr><td>{{ t(slot_labels[s.slot]) }}</td>
<td>{{ s.days_done }}</td>
<td>{{ s.days }}</td><td>{{ pct(s.rate) }}</td></tr>{% endfor %}
<tr><td>{{ t("Any slot") }}</td><td>{{ o.adherence.days_done }}</td>
<td>{{ o.adherence.days_total }}</td><td>{{ pct(o.adherence.rate) }}</td></tr>
</tbody></table>
<figure>{{ charts.habit.svg | safe }}
<figcaption>{{ charts.habit.description }}</figcaption></figure>
<p class="small">{{ habit_note }}</p>
</section>

<section aria-labelledby="sleep" class="pagebreak">
<h2 id="sleep">{{ t("Sleep") }}</h2>
<figure>{{ charts.sleep.svg | safe }}<figcaption>{{ charts.sleep.description }}</figcaption>
</figure>
{% if weekly %}
<table>
<caption>{{ t("7-day means, one row per week (the week ending on the day shown)") }}</caption>
<thead><tr><th scope="col">{{ t("Week ending") }}</th><th scope="col">{{ t("Nights") }}</th>
<th scope="col">{{ t("Quality") }}</th><th scope="col">{{ t("Total sleep") }}</th>
<th scope="col">{{ t("Efficiency") }}</th><th scope="col">{{ t("To fall asleep") }}</th>
<th scope="col">{{ t("Awake in the night") }}</th></tr></thead>
<tbody>{% for p in weekly %}<tr><td>{{ date(p.day) }}</td><td>{{ p.nights }}</td>
<td>{{ num(p.means.quality, 1) }}</td><td>{{ hours(p.means.tst) }}</td>
<td>{{ num(p.means.se, 1, " %") }}</td><td>{{ num(p.means.sol, 0, " min") }}</td>
<td>{{ num(p.means.waso, 0, " min") }}</td></tr>{% endfor %}</tbody></table>
{% endif %}

<h3>{{ t("Nights after a bedtime session, and nights without") }}</h3>
<table>
<caption>{{ t("Difference = after a session minus without; 95 % bootstrap interval") }}</caption>
<thead><tr><th scope="col">{{ t("Measure") }}</th><th scope="col">{{ t("After a session") }}</th>
<th scope="col">{{ t("Without") }}</th><th scope="col">{{ t("Difference") }}</th>
<th scope="col">{{ t("95 % interval") }}</th></tr></thead>
<tbody>{% for c in o.association.comparisons %}<tr><td>{{ t(c.label) }}</td>
<td>{{ num(c.mean_after, c.decimals) }}</td><td>{{ num(c.mean_without, c.decimals) }}</td>
<td>{{ signed(c.difference, c.decimals) }}</td>
<td>{% if c.low is not none %}{{ signed(c.low, c.decimals) }} … {{ signed(c.high, c.decimals) }}
{% else %}—{% endif %}</td></tr>{% endfor %}</tbody></table>
<p>{{ o.association.summary }}</p>
<div class="warn"><p>{{ o.association.caveat }}</p></div>
</section>

<section aria-labelledby="symptoms">
<h2 id="symptoms">{{ t("Everyday complaints") }}</h2>
<figure>{{ charts.symptoms.svg | safe }}
<figcaption>{{ charts.symptoms.description }}</figcaption></figure>
{% if o.symptoms %}
<table>
<caption>{{ symptom_caption }}</caption>
<thead><tr><th scope="col">{{ t("Complaint") }}</th><th scope="col">{{ t("Latest") }}</th>
<th scope="col">{{ t("Last 28 days") }}</th><th scope="col">{{ t("28 days before") }}</th>
<th scope="col">{{ t("Change") }}</th><th scope="col">{{ t("Trend") }}</th></tr></thead>
<tbody>{% for s in o.symptoms %}<tr><td>{{ t(s.label) }}</td><td>{{ s.latest }}</td>
<td>{{ num(s.recent_mean, 1) }}</td><td>{{ num(s.earlier_mean, 1) }}</td>
<td>{{ signed(s.change, 1) }}</td>
<td class="l">{{ t(direction_labels[s.direction]) }}</td></tr>{% endfor %}
</tbody></table>
{% endif %}
</section>

{% if x %}
<section aria-labelledby="experiment" class="pagebreak">
<h2 id="experiment">{{ t("Personal experiment") }}</h2>
<p>{{ x_plan }}</p>
<figure>{{ charts.experiment.svg | safe }}
<figcaption>{{ x_caption }}</figcaption></figure>
<p><strong>{{ x.result.summary }}</strong></p>
{% if x.result.warnings %}<div class="warn"><ul>
{% for w in x.result.warnings %}<li>{{ w }}</li>{% endfor %}</ul></div>{% endif %}
<table>
<caption>{{ t("Blocks") }}</caption>
<thead><tr><th scope="col">{{ t("Block") }}</th><th scope="col">{{ t("Pair") }}</th>
<th scope="col">{{ t("Condition") }}</th><th scope="col">{{ t("Days") }}</th>
<th scope="col">{{ t("Nights used") }}</th><th scope="col">{{ t("Mean") }}</th></tr></thead>
<tbody>{% for b in x.result.blocks %}<tr><td>{{ b.block.number }}</td><td>{{ b.block.pair }}</td>
<td class="l">{{ t(b.block.condition) }}</td>
<td>{{ date(b.block.start) }} – {{ date(b.block.end) }}</td>
<td>{{ b.nights }}</td><td>{{ num(b.mean, x.result.decimals) }}</td></tr>{% endfor %}</tbody>
</table>
<table>
<caption>{{ t("Adherence so far") }}</caption>
<thead><tr><th scope="col">{{ t("Condition") }}</th><th scope="col">{{ t("Days over") }}</th>
<th scope="col">{{ t("Followed as asked") }}</th><th scope="col">{{ t("Diary nights") }}</th>
</tr></thead>
<tbody>{% for c in x.adherence.by_condition %}<tr><td>{{ t(c.condition) }}</td>
<td>{{ c.days }}</td><td>{{ c.followed }} ({{ pct(c.rate) }})</td>
<td>{{ c.nights }} ({{ pct(c.diary_rate) }})</td></tr>{% endfor %}</tbody></table>
{% if x.result.pairs_used >= 2 %}<p class="small">{{ x_method }}</p>{% endif %}
</section>
{% endif %}

{% if tracker %}
<section aria-labelledby="tracker">
<h2 id="tracker">{{ t("Diary and sleep tracker") }}</h2>
<table>
<caption>{{ tracker_caption }}</caption>
<thead><tr><th scope="col"></th><th scope="col">{{ t("diary") }}</th>
<th scope="col">{{ t("tracker") }}</th></tr></thead>
<tbody>
<tr><td class="l">{{ t("time asleep (min)") }}</td><td>{{ num(tracker.diary_means["tst"], 0) }}</td>
<td>{{ num(tracker.tracker_means["tst"], 0) }}</td></tr>
<tr><td class="l">{{ t("sleep efficiency (%)") }}</td>
<td>{{ num(tracker.diary_means["se"], 1) }}</td>
<td>{{ num(tracker.tracker_means["se"], 1) }}</td></tr>
</tbody></table>
{% for s in tracker_sentences %}<p>{{ s }}</p>{% endfor %}
{% for chart in charts.agreement %}<figure>{{ chart.svg | safe }}
<figcaption>{{ agreement_caption }}</figcaption></figure>{% endfor %}
</section>
{% endif %}

<section aria-labelledby="caveats">
<h2 id="caveats">{{ t("Caveats") }}</h2>
<ul>{% for c in caveats %}<li>{{ c }}</li>{% endfor %}</ul>
<h3>{{ t("Safety notes") }}</h3>
<ul>{% for n in safety %}<li>{{ n }}</li>{% endfor %}</ul>
</section>
</main>
<footer><p class="small">{{ footer }}</p></footer>
</body>
</html>
"""


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
    template = env.from_string(TEMPLATE)
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
