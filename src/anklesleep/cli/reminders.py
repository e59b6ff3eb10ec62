"""`slots`, `calendar` and `remind`: when the three daily sessions are, and reminders for them."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _, translator
from anklesleep.cli import localtime as local
from anklesleep.cli.common import database
from anklesleep.schedule.slots import SLOT_LABELS, SlotName, SlotSettings, check_slot_name

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from anklesleep.routine.options import Options
    from anklesleep.schedule.reminders import Outcome


def _load(engine: Engine) -> SlotSettings:
    from anklesleep.store import slots as store

    with engine.connect() as conn:
        return store.load(conn)


def _update(engine: Engine, change: Callable[[SlotSettings], SlotSettings]) -> SlotSettings:
    """Apply `change` to the stored settings in one transaction (nothing saved if it fails)."""
    from anklesleep.store import slots as store

    with engine.begin() as conn:
        new = change(store.load(conn))
        store.save(conn, new, local.utc_now())
    return new


def _preferred_options(engine: Engine) -> Options | None:
    """The session options the user saved as defaults, so lengths match what they will play."""
    from anklesleep.store import preferences

    with engine.connect() as conn:
        return preferences.load(conn).options


def _zone(settings: SlotSettings) -> dt.tzinfo:
    from anklesleep.schedule.reminders import zone_of

    return zone_of(settings.timezone)


def _next(settings: SlotSettings, now: dt.datetime) -> tuple[SlotName, dt.datetime] | None:
    from anklesleep.schedule.reminders import next_reminder

    return next_reminder(settings, now)


def _when(local: dt.datetime, now_local: dt.datetime) -> str:
    if local.date() == now_local.date():
        return _("today at {time}").format(time=local.strftime("%H:%M"))
    if local.date() == now_local.date() + dt.timedelta(days=1):
        return _("tomorrow at {time}").format(time=local.strftime("%H:%M"))
    return local.strftime("%Y-%m-%d %H:%M")


def show_settings(settings: SlotSettings, now: dt.datetime, minutes: dict[str, int]) -> None:
    """Print the three slots, the zone and the next reminder."""
    t = translator()
    if settings.timezone_auto:
        click.echo(
            _(
                "Time zone: {zone} (this computer's; to choose: anklesleep slots timezone NAME)"
            ).format(zone=settings.timezone)
        )
    else:
        click.echo(_("Time zone: {zone}").format(zone=settings.timezone))
    click.echo()
    width = max(8, *(len(s.routine) for s in settings.slots))
    heads = (_("Slot"), _("Time"), _("Reminder"), _("Routine"), _("Length"))
    click.echo(
        f"{heads[0]:<9} {heads[1]:<6} {heads[2]:<9} {heads[3]:<{width}} {heads[4]:<8} " + _("When")
    )
    for slot in settings.slots:
        state = _("on") if slot.enabled else _("off")
        length = minutes.get(slot.routine)
        about = _("~{minutes} min").format(minutes=length) if length else ""
        click.echo(
            f"{slot.name:<9} {slot.time.strftime('%H:%M'):<6} {state:<9} {slot.routine:<{width}} "
            f"{about:<8} {t(SLOT_LABELS[slot.name])}"
        )
    click.echo()
    upcoming = _next(settings, now)
    if upcoming is None:
        click.echo(_("All reminders are off. Turn one on with: anklesleep slots on bedtime"))
    else:
        name, local = upcoming
        now_local = now.astimezone(local.tzinfo)
        click.echo(
            _("Next reminder: {slot} {when}.").format(slot=name, when=_when(local, now_local))
        )


def _minutes(settings: SlotSettings, options: Options | None) -> dict[str, int]:
    from anklesleep.schedule.calendar_file import routine_plans

    try:
        plans = routine_plans(settings, options)
    except AnkleSleepError:
        return {}  # a missing routine file is reported where it matters (calendar, start)
    return {rid: plan.about_minutes for rid, plan in plans.items()}


def _show(ctx: click.Context) -> None:
    engine = database(ctx)
    settings = _load(engine)
    show_settings(settings, local.utc_now(), _minutes(settings, _preferred_options(engine)))


#: Settings key: when a calendar file was last written (ISO time), to remind re-exporting.
EXPORTED_KEY = "calendar_exported_at"


def _recalendar_hint(engine: Engine) -> None:
    """After a change, remind people who imported a calendar file to export it again."""
    from anklesleep.store import settings

    with engine.connect() as conn:
        exported = settings.get(conn, EXPORTED_KEY)
    if exported:
        click.echo(
            _(
                "Using the calendar file? Write it again (anklesleep calendar -o FILE) and "
                "import it: your calendar app updates the same events."
            )
        )


@click.group(
    invoke_without_command=True,
    epilog="Examples: anklesleep slots | anklesleep slots set bedtime 22:30 | "
    "anklesleep slots off home | anklesleep slots timezone Europe/London",
)
@click.pass_context
def slots(ctx: click.Context) -> None:
    """Show or change the three daily sessions: morning, home and bedtime.

    Each slot has a time (24-hour, in your time zone), a reminder that is on or off, and the
    routine it uses (full or quick, or one of your own).
    """
    if ctx.invoked_subcommand is None:
        _show(ctx)


@slots.command("show")
@click.pass_context
def slots_show(ctx: click.Context) -> None:
    """Show the slots, the time zone and the next reminder."""
    _show(ctx)


@slots.command("set", epilog="Example: anklesleep slots set bedtime 22:30")
@click.argument("slot", metavar="SLOT")
@click.argument("time", metavar="HH:MM")
@click.pass_context
def slots_set(ctx: click.Context, slot: str, time: str) -> None:
    """Set the time of SLOT (morning, home or bedtime) to HH:MM, and turn its reminder on."""
    from anklesleep.schedule.slots import change

    name = check_slot_name(slot)
    new = _update(database(ctx), lambda s: change(s, name, time=time, enabled=True))
    chosen = new.slot(name)
    click.echo(
        _("{slot}: reminder at {time} ({zone}).").format(
            slot=name, time=chosen.time.strftime("%H:%M"), zone=new.timezone
        )
    )
    _recalendar_hint(database(ctx))


def _switch(ctx: click.Context, names: tuple[str, ...], enabled: bool) -> None:
    from anklesleep.schedule.slots import change

    if not names:
        raise AnkleSleepError(
            _("slot: none given; name one or more of morning, home, bedtime"), field="slot"
        )
    checked = [check_slot_name(n) for n in names]

    def apply(settings: SlotSettings) -> SlotSettings:
        for name in checked:
            settings = change(settings, name, enabled=enabled)
        return settings

    new = _update(database(ctx), apply)
    for name in checked:
        slot = new.slot(name)
        if enabled:
            click.echo(
                _("{slot}: reminder on, at {time}.").format(
                    slot=name, time=slot.time.strftime("%H:%M")
                )
            )
        else:
            click.echo(_("{slot}: reminder off.").format(slot=name))
    _recalendar_hint(database(ctx))


@slots.command("on", epilog="Example: anklesleep slots on home")
@click.argument("names", nargs=-1, metavar="SLOT...")
@click.pass_context
def slots_on(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Turn the reminder of one or more slots on."""
    _switch(ctx, names, True)


@slots.command("off", epilog="Example: anklesleep slots off home")
@click.argument("names", nargs=-1, metavar="SLOT...")
@click.pass_context
def slots_off(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Turn the reminder of one or more slots off (the slot still counts sessions done then)."""
    _switch(ctx, names, False)


@slots.command("routine", epilog="Example: anklesleep slots routine home quick")
@click.argument("slot", metavar="SLOT")
@click.argument("routine", metavar="ROUTINE")
@click.pass_context
def slots_routine(ctx: click.Context, slot: str, routine: str) -> None:
    """Use ROUTINE (full, quick, or one of yours) for SLOT; it sets the calendar event's length."""
    from anklesleep.routine import catalog as routines
    from anklesleep.schedule.slots import change

    name = check_slot_name(slot)
    known = routines.available()
    new = _update(
        database(ctx), lambda s: change(s, name, routine=routine, known_routines=set(known))
    )
    minutes = _minutes(new, _preferred_options(database(ctx))).get(routine)
    if minutes:
        click.echo(
            _("{slot}: {routine} routine (about {minutes} min).").format(
                slot=name, routine=routine, minutes=minutes
            )
        )
    else:
        click.echo(_("{slot}: {routine} routine.").format(slot=name, routine=routine))
    _recalendar_hint(database(ctx))


@slots.command("timezone", epilog="Examples: anklesleep slots timezone Europe/London | auto")
@click.argument("zone", metavar="ZONE")
@click.pass_context
def slots_timezone(ctx: click.Context, zone: str) -> None:
    """Set your IANA time zone (like Europe/London); `auto` uses this computer's zone."""
    from anklesleep.schedule import timezones as timezone
    from anklesleep.schedule.slots import with_system_timezone, with_timezone

    if zone.strip().lower() in ("auto", "detect", "system"):
        new = _update(database(ctx), lambda s: with_system_timezone(s, timezone.detect()))
        click.echo(
            _("Time zone: {zone}, following this computer's zone.").format(zone=new.timezone)
        )
    else:
        new = _update(database(ctx), lambda s: with_timezone(s, zone))
        click.echo(_("Time zone: {zone}.").format(zone=new.timezone))
    _recalendar_hint(database(ctx))


def _mark_exported(engine: Engine) -> None:
    from anklesleep.store import settings

    now = local.utc_now()
    with engine.begin() as conn:
        settings.put(conn, EXPORTED_KEY, now.isoformat(), now)


def _check_link(link: str) -> str:
    value = link.strip()
    if not value.lower().startswith(("http://", "https://")) or len(value) < 10:
        raise AnkleSleepError(
            _("--link: got {link!r}; use a web address starting with http:// or https://").format(
                link=link
            ),
            field="link",
        )
    return value


@click.command(
    "calendar",
    epilog="Example: anklesleep calendar -o anklesleep.ics --link http://192.168.1.20:8000/",
)
@click.option(
    "-o",
    "--output",
    default="anklesleep.ics",
    show_default=True,
    metavar="FILE",
    help="Where to write the calendar; - prints it.",
)
@click.option(
    "--link",
    default=None,
    metavar="URL",
    help="The player address put in each event (default: this computer's web app). "
    "{slot} and {routine} in it are filled in.",
)
@click.pass_context
def calendar_cmd(ctx: click.Context, output: str, link: str | None) -> None:
    """Write a calendar file (.ics) with a daily event for each slot whose reminder is on.

    Each event starts at the slot's time in your time zone, lasts as long as its routine and
    carries an alarm. Importing the file again updates the same events instead of adding copies.
    """
    from anklesleep.schedule.calendar_file import DEFAULT_LINK, write
    from anklesleep.services.calendar import calendar_bytes

    chosen_link = _check_link(link) if link is not None else DEFAULT_LINK
    target = None if output == "-" else Path(output)
    engine = database(ctx)
    settings = _load(engine)
    data = calendar_bytes(
        engine,
        settings,
        now=local.utc_now(),
        link=chosen_link,
        options=_preferred_options(engine),
    )
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write(target, data, field="--output")
    _mark_exported(engine)
    enabled = [s for s in settings.slots if s.enabled]
    if not enabled:
        click.echo(
            _("Wrote {path}: all reminders are off, so it has no events.").format(path=output)
        )
        return
    times = ", ".join(f"{s.name} {s.time.strftime('%H:%M')}" for s in enabled)
    click.echo(
        _("Wrote {path}: daily {times} ({zone}).").format(
            path=output, times=times, zone=settings.timezone
        )
    )
    click.echo(_("Import it into your calendar app; importing it again updates the same events."))


def _whole(value: str | None, flag: str, low: int, high: int, unit: str = "") -> int | None:
    """A whole number in `low`..`high` from a flag's text, or one clear error."""
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise AnkleSleepError(
            _("{flag}: got {value!r}; use a whole number{unit} from {low} to {high}").format(
                flag=flag, value=value, unit=unit, low=low, high=high
            ),
            field=flag.lstrip("-"),
        )
    return number


def _report(zone_of: Callable[[], dt.tzinfo]) -> Callable[[Outcome], None]:
    def report(outcome: Outcome) -> None:
        local = outcome.at.astimezone(zone_of()).strftime("%H:%M")
        slot = outcome.reminder.slot
        if outcome.action == "sent":
            line = _("{time} {slot}: reminder sent.").format(time=local, slot=slot)
            if outcome.next_attempt is not None:
                again = outcome.next_attempt.astimezone(zone_of()).strftime("%H:%M")
                line += " " + _("Again at {time} unless done.").format(time=again)
        elif outcome.action == "done":
            line = _("{time} {slot}: already done, no reminder.").format(time=local, slot=slot)
        else:
            line = _("{time} {slot}: missed while this computer was asleep.").format(
                time=local, slot=slot
            )
        click.echo(line)

    return report


@click.command(epilog="Example: anklesleep remind --snooze 10")
@click.option(
    "--snooze",
    default=None,
    metavar="MIN",
    help="Remind again every MIN minutes (1-240) until the slot is done.",
)
@click.option(
    "--repeats",
    default=None,
    metavar="N",
    help="With --snooze: how many extra reminders at most (1-20, default 3).",
)
@click.option(
    "--terminal", is_flag=True, help="Ring the terminal bell instead of desktop notifications."
)
@click.pass_context
def remind(ctx: click.Context, snooze: str | None, repeats: str | None, terminal: bool) -> None:
    """Send a reminder at each slot's time unless that session is already done today.

    Runs in the foreground until stopped (Ctrl+C); slot changes apply within a minute. To start
    it at login, see docs/reminders.md (a systemd user unit).
    """
    from anklesleep.schedule import notify, reminders
    from anklesleep.schedule.reminders import DEFAULT_REPEATS, Reminders, Schedule, SystemClock
    from anklesleep.store.slot_status import done_checker

    snooze_minutes = _whole(snooze, "--snooze", 1, 240, " of minutes")
    repeat_count = _whole(repeats, "--repeats", 1, 20)
    if repeat_count is not None and snooze_minutes is None:
        raise AnkleSleepError(
            _("--repeats: got {repeats!r} without --snooze; add --snooze MIN").format(
                repeats=repeats
            ),
            field="repeats",
        )
    engine = database(ctx)
    settings = _load(engine)
    clock = SystemClock()
    notifier: notify.Notifier = notify.TerminalNotifier() if terminal else notify.default_notifier()
    schedule = Schedule(
        settings,
        start=clock.now(),
        snooze=dt.timedelta(minutes=snooze_minutes) if snooze_minutes else None,
        repeats=repeat_count or DEFAULT_REPEATS,
    )
    service = Reminders(schedule, done_checker(engine), notifier, translator())
    enabled = [f"{s.name} {s.time.strftime('%H:%M')}" for s in settings.slots if s.enabled]
    click.echo(
        _("Reminders for {slots} ({zone}), by {how}.").format(
            slots=", ".join(enabled) or _("no slot (all off)"),
            zone=settings.timezone,
            how=notify.describe(notifier),
        )
    )
    upcoming = _next(settings, clock.now())
    if upcoming is not None:
        name, local = upcoming
        now_local = clock.now().astimezone(local.tzinfo)
        click.echo(
            _("Next: {slot} {when}. Press Ctrl+C to stop.").format(
                slot=name, when=_when(local, now_local)
            )
        )

    def reload() -> SlotSettings:
        try:
            return _load(engine)
        except Exception:  # a locked or briefly unavailable database: keep the last settings
            return service.schedule.settings

    try:
        service.run(
            clock,
            load_settings=reload,
            report=_report(lambda: _zone(service.schedule.settings)),
            max_wait=reminders.MAX_WAIT,
        )
    except KeyboardInterrupt:
        click.echo(_("Reminders stopped."))
