"""`experiment start|status|result|stop`: a randomized personal experiment, from plan to answer."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import click

from anklesleep.basics import formats
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, translator
from anklesleep.basics.textwidth import fill, ljust, rjust, width
from anklesleep.basics.wording import join_sentences
from anklesleep.cli.common import database, json_words_in_english

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from anklesleep.experiment.design import Experiment
    from anklesleep.experiment.power import Detectable

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _int(value: str, field: str, allowed: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise AnkleSleepError(
            _("{field}: got {value!r}; {allowed}").format(
                field=field, value=value, allowed=allowed
            ),
            field=field,
        ) from None


def _settle(engine: Engine, now: dt.datetime, today: dt.date) -> Experiment | None:
    """The latest experiment, marking an active one finished once its last night is over."""
    from anklesleep.store import experiments as store

    with engine.begin() as conn:
        experiment = store.latest(conn)
        if experiment is not None and experiment.status == "active" and experiment.is_over(today):
            store.set_status(conn, experiment.uuid, "finished", now.astimezone(dt.UTC))
            experiment = store.get(conn, experiment.uuid)
    return experiment


def _plan_lines(e: Experiment) -> list[str]:
    from anklesleep.experiment.design import OUTCOME_LABELS, STATUS_LABELS

    t = translator()
    d = e.design
    lines = [
        _("Primary outcome: {outcome}   seed: {seed}   status: {status}").format(
            outcome=t(OUTCOME_LABELS[d.outcome]), seed=d.seed, status=t(STATUS_LABELS[e.status])
        ),
        (
            _("{pairs} pairs of {days}-day blocks, {start} to {end}, after a baseline week.")
            if d.baseline
            else _("{pairs} pairs of {days}-day blocks, {start} to {end}.")
        ).format(
            pairs=d.pairs,
            days=d.block_days,
            start=formats.date(e.start_date),
            end=formats.date(e.end_date),
        ),
        "",
    ]
    names = {"baseline": _("baseline"), "routine": _("ROUTINE"), "usual": _("usual")}
    starts = [formats.day(b.start) for b in e.blocks]
    ends = [formats.day(b.end) for b in e.blocks]
    start_width = max((width(day) for day in starts), default=0)
    end_width = max((width(day) for day in ends), default=0)
    for b, start, end in zip(e.blocks, starts, ends, strict=True):
        number = _("base") if b.condition == "baseline" else str(b.number)
        span = f"{ljust(start, start_width)} – {ljust(end, end_width)}"
        lines.append(f"  {rjust(number, 4)}  {span}  {names[b.condition]}")
    return lines


@click.group(epilog="Example: anklesleep experiment start --weeks 8 --outcome quality")
def experiment() -> None:
    """Find out whether the routine helps you: a randomized personal experiment.

    The weeks are split into pairs of blocks; in each pair a coin decides whether the routine
    block or the usual block (no routine) comes first. The plan and the outcome you will judge
    by are fixed before the first night, and the result says how sure it can be.
    """


@experiment.command(epilog="Example: anklesleep experiment start --weeks 8 --block-days 4")
@click.option(
    "--weeks",
    default="8",
    show_default=True,
    metavar="N",
    help="Length in weeks, an even number (without the baseline week).",
)
@click.option(
    "--block-days",
    default="4",
    show_default=True,
    metavar="N",
    help="Days per block; blocks come in pairs (7 pairs over 8 weeks by default).",
)
@click.option(
    "--outcome",
    default="quality",
    show_default=True,
    metavar="quality|sol|se|tst|tracker_tst|tracker_se",
    help="The primary outcome: sleep quality, time to fall asleep, efficiency or total sleep "
    "from your diary, or time asleep or efficiency from your sleep tracker (import-sleep).",
)
@click.option(
    "--seed", default=None, metavar="N", help="Seed for the block order (default: random)."
)
@click.option(
    "--baseline/--no-baseline",
    default=False,
    show_default=True,
    help="Start with a week of diary only, no routine.",
)
@click.option(
    "--start", "start", default=None, metavar="DATE", help="First day, YYYY-MM-DD (default today)."
)
@click.pass_context
def start(
    ctx: click.Context,
    /,
    weeks: str,
    block_days: str,
    outcome: str,
    seed: str | None,
    baseline: bool,
    start: str | None,
) -> None:
    """Plan a new experiment and fix it before any outcome is seen."""
    import secrets
    import uuid

    from anklesleep.cli.insights import local_today
    from anklesleep.diary.entries import parse_date
    from anklesleep.experiment.design import (
        ALPHA,
        SEED_MAX,
        design,
        new_experiment,
        suggest_block_days,
        today_instruction,
    )
    from anklesleep.store import experiments as store

    d = design(
        weeks=_int(weeks, "weeks", "use a whole number of weeks such as 8"),
        block_days=_int(block_days, "block-days", "use a whole number of days such as 7"),
        outcome=outcome.strip().lower(),
        seed=(
            _int(seed, "seed", f"use a whole number from 0 to {SEED_MAX}")
            if seed is not None
            else secrets.randbelow(SEED_MAX + 1)
        ),
        baseline=baseline,
    )
    engine = database(ctx)
    now, today = local_today(engine)
    first = parse_date(start, "start") if start else today
    running = _settle(engine, now, today)
    if running is not None and running.status == "active":
        raise AnkleSleepError(
            _(
                "experiment: one is already running ({start_date} to {end_date}); "
                "stop it first with: anklesleep experiment stop"
            ).format(
                start_date=running.start_date.isoformat(), end_date=running.end_date.isoformat()
            ),
            field="experiment",
        )
    e = new_experiment(
        d, first, today=today, uuid=str(uuid.uuid4()), created_at=now.astimezone(dt.UTC)
    )
    with engine.begin() as conn:
        store.save(conn, e)
    click.echo(_("Experiment planned and saved. It cannot be changed from now on."))
    click.echo()
    click.echo("\n".join(_plan_lines(e)))
    click.echo()
    if d.smallest_p > ALPHA:
        better = suggest_block_days(d.weeks, ALPHA)
        note = _(
            "Note: with {pairs} pairs, even a perfectly clear difference cannot reach the "
            "{alpha:.0%} level (smallest possible p = {p:.3g}); the result will still estimate "
            "the effect with an interval."
        ).format(pairs=d.pairs, alpha=ALPHA, p=d.smallest_p)
        if better is not None:
            firmer = _(
                "For a firmer answer, stop this plan now (no night has been recorded yet) and "
                "start again with --block-days {days}."
            ).format(days=better)
            note = join_sentences([note, firmer], _)
        click.echo(_wrap(note, ""))
        click.echo()
    from anklesleep.services.evidence import experiment_power

    _power(e, experiment_power(engine, e))
    click.echo(_("Keep a copy of the plan: anklesleep experiment plan -o experiment-plan.md"))
    click.echo()
    instruction = today_instruction(e, today, translator())
    click.echo(instruction.headline)
    click.echo(_wrap(instruction.detail))


def _power(e: Experiment, det: Detectable | None) -> None:
    """Print what this experiment can detect, or why that cannot be said yet."""
    from anklesleep.experiment.power import sentence

    if det is None:
        text = _(
            "What this experiment can detect depends on how much your nights vary; there are "
            "too few diary nights to say yet. Once the first pair of blocks is over, "
            "`anklesleep experiment status` will say."
        )
    else:
        text = sentence(det, e.outcome, e.design.weeks, translator())
    click.echo(_wrap(text, ""))
    click.echo()


@experiment.command(epilog="Example: anklesleep experiment plan -o experiment-plan.md")
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE",
    help="Write the plan to this file (Markdown text) instead of printing it.",
)
@click.pass_context
def plan(ctx: click.Context, /, output: str | None) -> None:
    """Print or save the latest experiment's plan, as it was fixed before the first night."""
    from pathlib import Path

    from anklesleep.basics import files
    from anklesleep.cli.insights import local_today
    from anklesleep.experiment.plan import plan_text
    from anklesleep.services.evidence import experiment_power

    engine = database(ctx)
    now, today = local_today(engine)
    e = _settle(engine, now, today)
    if e is None:
        raise AnkleSleepError(
            _("experiment: none found; start one with: anklesleep experiment start"),
            field="experiment",
        )
    text = plan_text(e, experiment_power(engine, e), translator())
    if output is None:
        click.echo(text, nl=False)
        return
    path = files.write_text(Path(output), text, field="output", example="experiment-plan.md")
    click.echo(_("Plan written to {path}").format(path=path))


@experiment.command(epilog="Example: anklesleep experiment status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def status(ctx: click.Context, /, as_json: bool) -> None:
    """Show the plan, today's block and how closely it has been followed so far."""
    json_words_in_english(as_json)
    from anklesleep.cli.insights import local_today
    from anklesleep.experiment.design import to_dict, today_instruction
    from anklesleep.insights.progress import jsonable
    from anklesleep.services.evidence import experiment_report

    engine = database(ctx)
    now, today = local_today(engine)
    e = _settle(engine, now, today)
    if e is None:
        if as_json:
            click.echo(json.dumps({"experiment": None}))
            return
        click.echo(_("No experiment yet. Start one with: anklesleep experiment start"))
        return
    t = translator()
    report = experiment_report(engine, e, today, t)
    instruction = today_instruction(e, today, t)
    if as_json:
        data: dict[str, Any] = {
            "experiment": to_dict(e),
            "today": jsonable(instruction),
            "adherence": jsonable(report.adherence),
            "power": jsonable(report.power) if report.power else None,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    t = translator()
    click.echo(instruction.headline)
    click.echo(_wrap(instruction.detail))
    click.echo()
    click.echo("\n".join(_plan_lines(e)))
    click.echo()
    _power(e, report.power)
    a = report.adherence
    click.echo(
        _("So far ({over} of {total} days over):").format(over=a.days_over, total=a.days_total)
    )
    for c in a.by_condition:
        if c.days == 0:
            continue
        asked = _("with the routine") if c.condition == "routine" else _("without it")
        click.echo(
            "  "
            + _(
                "{condition}: {followed} of {days} days {asked} ({rate:.0%}), diary {nights} nights"
            ).format(
                condition=t(c.condition),
                followed=c.followed,
                days=c.days,
                asked=asked,
                rate=c.rate,
                nights=c.nights,
            )
        )


@experiment.command(epilog="Example: anklesleep experiment result --json")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def result(ctx: click.Context, /, as_json: bool) -> None:
    """Analyse the primary outcome: the effect, its uncertainty, and what it can't tell."""
    json_words_in_english(as_json)
    from anklesleep.cli.insights import local_today
    from anklesleep.experiment.design import to_dict
    from anklesleep.insights.progress import jsonable
    from anklesleep.services.evidence import experiment_report

    engine = database(ctx)
    now, today = local_today(engine)
    e = _settle(engine, now, today)
    if e is None:
        raise AnkleSleepError(
            _("experiment: none found; start one with: anklesleep experiment start"),
            field="experiment",
        )
    report = experiment_report(engine, e, today, translator())
    r = report.result
    if as_json:
        data = jsonable(r)
        data.pop("null_statistics", None)
        click.echo(
            json.dumps(
                {"experiment": to_dict(e), "result": data, "adherence": jsonable(report.adherence)},
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    click.echo(_("Result: {label}").format(label=translator()(r.label)))
    click.echo()
    click.echo(_wrap(r.summary, ""))
    if r.warnings:
        click.echo()
        click.echo(_("Read this with care:"))
        for w in r.warnings:
            click.echo(fill(w, WIDTH, initial_indent="  - ", subsequent_indent="    "))
    if r.pairs_used < 2:
        return
    click.echo()
    click.echo(
        _wrap(
            _(
                "Method: pairs of blocks compared within each pair ({used} of {planned} pairs "
                "usable), randomization test over {n} block orders, 95 % t interval over pairs. "
                "See docs/experiment.md."
            ).format(used=r.pairs_used, planned=r.pairs_planned, n=r.assignments),
            "",
        )
    )


@experiment.command(epilog="Example: anklesleep experiment stop --yes")
@click.option("--yes", is_flag=True, help="Stop without asking.")
@click.pass_context
def stop(ctx: click.Context, /, yes: bool) -> None:
    """Stop the running experiment early (its plan and data are kept)."""
    from anklesleep.cli.insights import local_today
    from anklesleep.store import experiments as store

    engine = database(ctx)
    now, today = local_today(engine)
    e = _settle(engine, now, today)
    if e is None or e.status != "active":
        raise AnkleSleepError(
            _("experiment: none is running; start one with: anklesleep experiment start"),
            field="experiment",
        )
    if not yes and not click.confirm(
        _("Stop the experiment that runs to {end}? The result will use what there is.").format(
            end=e.end_date.isoformat()
        )
    ):
        click.echo(_("Nothing changed."))
        return
    with engine.begin() as conn:
        store.set_status(conn, e.uuid, "stopped", now.astimezone(dt.UTC))
    click.echo(_("Experiment stopped. See what it shows with: anklesleep experiment result"))
