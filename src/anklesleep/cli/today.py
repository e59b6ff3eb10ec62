"""`today` and `history`: the day's three slots, the streak, and the sessions done."""

from __future__ import annotations

import datetime as dt
import json

import click

from anklesleep.basics.i18n import N_, _, ngettext, translator
from anklesleep.basics.textwidth import ljust, rjust, width
from anklesleep.cli.common import database, json_words_in_english

STATUS_LABELS = {"done": N_("done"), "partial": N_("partial"), "not yet": N_("not yet")}
STATUS_MARKS = {"done": "✓", "partial": "◐", "not yet": "·"}


def _check_days(days: int) -> int:
    from anklesleep.basics.errors import AnkleSleepError

    if not 1 <= days <= 36600:
        raise AnkleSleepError(
            _("--days: got {days!r}; give a number of days from 1 to 36600").format(days=days),
            field="days",
        )
    return days


@click.command(epilog="Example: anklesleep today --json")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def today(ctx: click.Context, /, as_json: bool) -> None:
    """Show today's three slots (done, partial or not yet) and your streak.

    A day counts for the streak when at least one session was completed; a bedtime session
    just after midnight counts for the evening before.
    """
    json_words_in_english(as_json)
    from anklesleep.cli.localtime import local_now, slot_settings
    from anklesleep.services.today import load_today

    t = translator()
    engine = database(ctx)
    settings, zone = slot_settings(engine)
    view = load_today(engine, local_now(zone), settings, t)
    if as_json:
        click.echo(json.dumps(view.to_dict(), ensure_ascii=False, indent=1))
        return
    day = view.day
    status = {s.name: s.status for s in view.slots}
    click.echo(_("Today, {day}").format(day=_long_date(day)))
    label_width = max([32, *(width(slot.label) for slot in view.slots)])
    for slot in view.slots:
        mark = STATUS_MARKS[slot.status]
        click.echo(
            f"  {mark} {slot.time}  {ljust(slot.label, label_width)} "
            f"{t(STATUS_LABELS[slot.status])}"
        )
    done = view.done_count
    click.echo()
    if done == 0 and any(v == "partial" for v in status.values()):
        click.echo(_("Started today but not finished yet. Even the quick routine counts."))
    elif done == 0:
        click.echo(_("Nothing done yet today. Even the quick routine counts."))
    elif done < 3:
        click.echo(
            _("{done} of 3 done today; three a day is the article's ideal.").format(done=done)
        )
    else:
        click.echo(_("All three done today."))
    click.echo(
        _("Streak: {streak} (longest {best}). A day counts with one completed session.").format(
            streak=_days(view.streak), best=_days(view.longest_streak)
        )
    )
    if view.experiment is not None:
        click.echo()
        click.echo(view.experiment.headline)
        click.echo(f"  {view.experiment.detail}")


def _days(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=n)


def _long_date(day: dt.date) -> str:
    from anklesleep.basics import formats

    return formats.long_date(day)


@click.command(epilog="Example: anklesleep history --days 30")
@click.option(
    "--days",
    type=int,
    default=14,
    show_default=True,
    metavar="N",
    help="How many days back to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def history(ctx: click.Context, /, days: int, as_json: bool) -> None:
    """List the sessions of the last N days, newest first: when, slot, routine, how much."""
    json_words_in_english(as_json)
    from anklesleep.basics import formats
    from anklesleep.cli.localtime import local_now, slot_settings
    from anklesleep.practice.records import current_streak
    from anklesleep.routine.names import short_name
    from anklesleep.schedule.slots import session_day, slot_name
    from anklesleep.store.sessions import list_sessions

    _check_days(days)
    t = translator()
    engine = database(ctx)
    settings, zone = slot_settings(engine)
    day = session_day(local_now(zone), settings)
    first = day - dt.timedelta(days=days - 1)
    with engine.connect() as conn:
        all_records = list_sessions(conn)
    recent = (r for r in all_records if r.local_date >= first)
    records = sorted(recent, key=lambda r: r.started_at, reverse=True)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "from": first.isoformat(),
                    "to": day.isoformat(),
                    "sessions": [r.to_dict() for r in records],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if not records:
        click.echo(
            _("No sessions in the last {days}. Start one with: anklesleep start").format(
                days=_days(days)
            )
        )
        return
    rows: list[tuple[str, ...]] = []
    for r in records:
        done = f"{formats.duration(r.completed_seconds)}/{formats.duration(r.planned_seconds)}"
        if r.completed:
            result = t("completed")
        else:
            n = len(r.steps_done)
            result = ngettext("partial, {n} step", "partial, {n} steps", n).format(n=n)
        rows.append(
            (
                formats.date(r.local_date),
                formats.time_of_day(r.local_start),
                slot_name(r.slot, t),
                short_name(r.routine, t),
                done,
                result,
            )
        )
    headers = (_("Day"), _("Start"), _("Slot"), _("Routine"), _("Done"), _("Result"))
    # the narrowest columns English had: day 10, start 5, slot 8, routine 8, done 11
    least = (10, 5, 8, 8, 11)
    widths = [max(n, *(width(row[i]) for row in [headers, *rows])) for i, n in enumerate(least)]
    for row in [headers, *rows]:
        click.echo(
            f"{ljust(row[0], widths[0])}  {ljust(row[1], widths[1])}  "
            f"{ljust(row[2], widths[2])} {ljust(row[3], widths[3])} "
            f"{rjust(row[4], widths[4])}  {row[5]}"
        )
    completed = sum(1 for r in records if r.completed)
    click.echo()
    click.echo(
        ngettext(
            "{count} session, {completed} completed. Current streak: {streak}.",
            "{count} sessions, {completed} completed. Current streak: {streak}.",
            len(records),
        ).format(
            count=len(records), completed=completed, streak=_days(current_streak(all_records, day))
        )
    )
