"""`stats` and `report`: adherence, streaks, sleep trends and the printable HTML report."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, translator
from anklesleep.cli.common import database

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from anklesleep.insights.agreement import Comparison, Measure
    from anklesleep.insights.progress import Overview

DAYS_RANGE = (7, 3660)
WIDTH = 88


def parse_days(value: str) -> int:
    """`--days N`: a whole number of days, 7 to 3660 (ten years)."""
    low, high = DAYS_RANGE
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if not low <= days <= high:
        raise AnkleSleepError(
            _("--days: got {value!r}; give a whole number of days from {low} to {high}").format(
                value=value, low=low, high=high
            ),
            field="days",
        )
    return days


def local_today(engine: Engine) -> tuple[dt.datetime, dt.date]:
    """Now in the user's zone, and the day it counts as (a bedtime just after midnight still
    belongs to the evening before)."""
    from anklesleep.cli import localtime as local
    from anklesleep.schedule.slots import session_day

    settings, zone = local.slot_settings(engine)
    now = local.local_now(zone)
    return now, session_day(now, settings)


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _value(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{round(value, decimals) + 0.0:.{decimals}f}"


def _signed(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{round(value, decimals) + 0.0:+.{decimals}f}"


def _text(o: Overview, instruction: str | None) -> list[str]:
    from anklesleep.insights.progress import headline
    from anklesleep.schedule.slots import SLOT_LABELS

    t = translator()
    lines = [
        _("Last {n} days ({start} to {end})").format(
            n=o.adherence.days_total, start=o.start.isoformat(), end=o.end.isoformat()
        ),
        "",
    ]
    lines += [f"  {line}" for line in headline(o, t)]
    lines += ["", _("Days with a completed session, per slot:")]
    for s in o.adherence.per_slot:
        label = t(SLOT_LABELS[s.slot])
        lines.append(f"  {label:<32} {s.days_done:>4} / {s.days:<4} {s.rate:>5.0%}")
    last = o.rolling[-1] if o.rolling else None
    if last is not None and last.nights:
        lines += ["", _("Sleep, mean of the last 7 days ({n} nights):").format(n=last.nights)]
        from anklesleep.insights.association import METRIC_INFO, METRICS

        for metric in METRICS:
            info = METRIC_INFO[metric]
            value = last.means.get(metric)
            lines.append(f"  {t(info.label):<32} {_value(value, info.decimals):>7} {t(info.unit)}")
    a = o.association
    lines += ["", _("Nights after a bedtime session against nights without:")]
    if a.enough:
        after, without, diff = _("after"), _("without"), _("diff.")
        header = f"  {'':<32} {after:>8} {without:>8} {diff:>8}  " + _("95 % interval")
        lines.append(header)
        for c in a.comparisons:
            interval = (
                f"{_signed(c.low, c.decimals)} … {_signed(c.high, c.decimals)}"
                if c.low is not None
                else "—"
            )
            lines.append(
                f"  {t(c.label):<32} {_value(c.mean_after, c.decimals):>8} "
                f"{_value(c.mean_without, c.decimals):>8} {_signed(c.difference, c.decimals):>8}"
                f"  {interval} {t(c.unit)}"
            )
    lines += [_wrap(a.summary), _wrap(a.caveat)]
    if o.symptoms:
        lines += ["", _("Complaints (0 none - 10 worst), last 28 days against the 28 before:")]
        for trend in o.symptoms:
            latest = _("latest")
            lines.append(
                f"  {t(trend.label):<48} {latest} {trend.latest:>2}   "
                f"{_value(trend.recent_mean, 1):>4} / {_value(trend.earlier_mean, 1):>4}  "
                f"{t(trend.direction)}"
            )
    if instruction:
        lines += ["", instruction]
    return lines


def _tracker_text(c: Comparison) -> list[str]:
    """The diary and the sleep tracker side by side, and how well they agree."""
    t = translator()
    diary_head, tracker_head = _("diary"), _("tracker")
    lines = [
        "",
        _("Diary and sleep tracker, same days ({diary} diary nights, {tracked} tracked):").format(
            diary=c.diary_nights, tracked=c.tracked_nights
        ),
        f"  {'':<32} {diary_head:>8} {tracker_head:>8}",
    ]
    rows: tuple[tuple[str, Measure, int], ...] = (
        (_("time asleep (min)"), "tst", 0),
        (_("sleep efficiency (%)"), "se", 1),
    )
    for label, measure, decimals in rows:
        diary = c.diary_means[measure]
        tracker = c.tracker_means[measure]
        lines.append(f"  {label:<32} {_value(diary, decimals):>8} {_value(tracker, decimals):>8}")
    lines += [_wrap(s) for s in c.sentences(t)]
    return lines


@click.command(epilog="Example: anklesleep stats --days 30")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--days",
    default="90",
    metavar="N",
    show_default=True,
    help="How many days back to look (7-3660).",
)
@click.pass_context
def stats(ctx: click.Context, /, as_json: bool, days: str) -> None:
    """Show adherence, streaks, habit strength, sleep trends and complaint trends.

    Also compares nights after a bedtime session with nights without: an association, not
    proof. For a fair test, run a personal experiment (anklesleep experiment start).
    """
    from anklesleep.insights.progress import jsonable, overview_dict
    from anklesleep.services.evidence import experiment_today, load_overview
    from anklesleep.services.trackers import comparison

    n = parse_days(days)
    engine = database(ctx)
    _now, today = local_today(engine)
    t = translator()
    o = load_overview(engine, today, n, t)
    instruction = experiment_today(engine, today, t)
    tracked = comparison(engine, o.start, o.end)
    if as_json:
        data: dict[str, Any] = overview_dict(o)
        data["experiment_today"] = jsonable(instruction) if instruction else None
        data["tracker"] = jsonable(tracked) if tracked is not None else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    text = None
    if instruction is not None and instruction.phase not in ("complete", "stopped"):
        text = f"{instruction.headline}\n{_wrap(instruction.detail)}"
    lines = _text(o, text)
    if tracked is not None:
        lines += _tracker_text(tracked)
    click.echo("\n".join(lines))


@click.command(epilog="Example: anklesleep report -o report.html --png charts")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the HTML report to this file.",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    metavar="DIR",
    help="Also write each chart as a PNG image into this folder.",
)
@click.option(
    "--days",
    default="90",
    metavar="N",
    show_default=True,
    help="How many days back the report covers (7-3660).",
)
@click.pass_context
def report(ctx: click.Context, /, output: Path, png_dir: Path | None, days: str) -> None:
    """Write a printable, self-contained HTML report with every chart, its numbers and caveats.

    The file needs nothing else to open (charts are inline SVG), so it can be printed or sent
    as it is. Nothing is sent anywhere by anklesleep.
    """
    from anklesleep.basics.files import check_output
    from anklesleep.printouts import report as report_module
    from anklesleep.services.evidence import experiment_report, latest_experiment, load_overview
    from anklesleep.services.trackers import comparison

    n = parse_days(days)
    check_output(output, "--output", example="report.html")  # before the work, not after
    engine = database(ctx)
    now, today = local_today(engine)
    o = load_overview(engine, today, n, translator())
    experiment = latest_experiment(engine)
    x = (
        experiment_report(engine, experiment, today, translator())
        if experiment is not None
        else None
    )
    tracked = comparison(engine, o.start, o.end)
    charts = report_module.draw_charts(o, x, tracked)
    html = report_module.render(o, x, charts=charts, generated_at=now, tracker=tracked)
    written = report_module.write(output, html)
    pngs = report_module.write_pngs(png_dir, charts) if png_dir is not None else []
    click.echo(_("Wrote {path} ({n} charts).").format(path=written, n=len(charts.all())))
    if pngs:
        click.echo(_("Wrote {n} PNG images to {folder}.").format(n=len(pngs), folder=png_dir))
