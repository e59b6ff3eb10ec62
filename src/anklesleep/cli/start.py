"""`start`: the guided session in the terminal, recorded in the session log."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from anklesleep.basics.i18n import Translate, _, translator
from anklesleep.cli.common import database, options_from, timeline_options
from anklesleep.routine import catalog as library
from anklesleep.schedule.slots import check_slot_name

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from anklesleep.player.clock import Clock
    from anklesleep.player.output import AudioOutput, CueSounds
    from anklesleep.routine.definition import Routine
    from anklesleep.routine.options import Options
    from anklesleep.routine.timeline import SpeechSeconds


def make_clock() -> Clock:
    """The session clock (tests replace this with a manual clock)."""
    from anklesleep.player.clock import MonotonicClock

    return MonotonicClock()


def make_output() -> AudioOutput | None:
    """The audio output, or None when no player program is installed (tests replace this)."""
    from anklesleep.player.output import open_output

    return open_output()


def _notice(text: str) -> None:
    click.echo(_("Note: {text}").format(text=text), err=True)


def ensure_safety(engine: Engine, t: Translate, interactive: bool) -> None:
    """Show the safety notes until they have been acknowledged once."""
    import datetime as dt
    import shutil
    import textwrap

    from anklesleep.routine import safety
    from anklesleep.store import settings

    with engine.connect() as conn:
        if settings.get(conn, safety.SETTING):
            return
    width = max(30, min(shutil.get_terminal_size((80, 24)).columns, 88) - 1)
    click.echo(click.style(t(safety.TITLE), bold=True))
    click.echo()
    click.echo(textwrap.fill(t(safety.ABOUT), width))
    click.echo()
    for note in safety.notes(t):
        click.echo(textwrap.fill(note, width, initial_indent="- ", subsequent_indent="  "))
    click.echo()
    if not interactive:
        return  # not a terminal: shown, and the session goes on; asked again next time
    if not click.confirm(t(safety.ACKNOWLEDGE), default=False):
        click.echo(t("Nothing started. The notes will be shown again next time."))
        raise click.exceptions.Exit(1)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        settings.put(conn, safety.SETTING, now.isoformat(), now)


def prepare_sound(
    chosen: Routine, options: Options, t: Translate, *, no_sound: bool, no_voice: bool
) -> tuple[Options, SpeechSeconds, AudioOutput | None, CueSounds | None]:
    """The options (voice off when it cannot be heard), speech lengths, output and files."""
    from dataclasses import replace

    from anklesleep.basics.errors import AnkleSleepError
    from anklesleep.player.output import CueSounds
    from anklesleep.routine.timeline import Cue, no_speech

    if no_sound:
        return replace(options, voice=False), no_speech, None, None
    output = make_output()
    if output is None:
        _notice(
            t(
                "no audio player found (paplay, aplay or ffplay); the session runs silently, "
                "follow the screen."
            )
        )
        return replace(options, voice=False), no_speech, None, None
    from anklesleep.audio import tones
    from anklesleep.audio import voices as voice

    def tone(cue: Cue) -> Path | None:
        assert cue.tone_hz is not None
        return tones.cue_sound_wav(cue.kind, cue.tone_hz, room=cue.duration)

    if no_voice or not options.voice:
        return replace(options, voice=False), no_speech, output, CueSounds(None, tone)
    engine = voice.get_engine(None)
    if engine.name == "none":
        _notice(
            t(
                "espeak-ng is not installed, so instructions are shown but not spoken "
                "(tones still play). Install espeak-ng for a voice."
            )
        )
        return replace(options, voice=False), no_speech, output, CueSounds(None, tone)
    from anklesleep.audio.playing import clip_cache, speech_to_play

    cache = clip_cache(engine)
    click.echo(t("Preparing the spoken instructions…"), err=True)
    try:
        # the same measured speech as every other front end: one truth for time
        options, speech = speech_to_play(chosen, options, engine=engine, translate=t)
    except AnkleSleepError as exc:
        _notice(
            t("the voice could not speak ({error}); carrying on with tones.").format(
                error=exc.message
            )
        )
        return replace(options, voice=False), no_speech, output, CueSounds(None, tone)
    return options, speech, output, CueSounds(cache.wav_path, tone)


@click.command(epilog="Example: anklesleep start quick --first-foot right")
@click.argument("routine", default="full")
@timeline_options
@click.option(
    "--plain",
    is_flag=True,
    help="One line per cue, no full screen (automatic when output is not a terminal).",
)
@click.option(
    "--events",
    "events_path",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Write every cue's scheduled and actual time to FILE as JSON Lines.",
)
@click.option("--no-voice", is_flag=True, help="Tones only, no spoken instructions.")
@click.option("--no-sound", is_flag=True, help="No sound at all: follow the screen.")
@click.option(
    "--slot",
    default=None,
    metavar="SLOT",
    help="Count this session as morning, home or bedtime (default: from the time of day).",
)
@click.pass_context
def start(
    ctx: click.Context,
    /,
    routine: str,
    routine_file: Path | None,
    plain: bool,
    events_path: Path | None,
    no_voice: bool,
    no_sound: bool,
    slot: str | None,
    **kwargs: Any,
) -> None:
    """Start a guided session of ROUTINE (default: full) in the terminal.

    Keys: space pause/resume, n or → next step, p or ← back, m five more circles (during ankle
    circles), q quit (asks first; what you did is kept). Every session is kept in your log,
    with its slot (morning, home or bedtime).
    """
    from anklesleep.cli.localtime import local_now, slot_settings
    from anklesleep.player.live import Player
    from anklesleep.practice.records import new_record
    from anklesleep.routine.timeline import expand
    from anklesleep.services.playback import SessionHooks
    from anklesleep.store import sessions

    t = translator()
    slot_name = check_slot_name(slot.strip().lower()) if slot else None
    options = options_from(kwargs)
    chosen = library.load(routine, routine_file)
    engine = database(ctx)
    stdin_tty = sys.stdin.isatty()
    plain = plain or not sys.stdout.isatty()
    ensure_safety(engine, t, stdin_tty)

    events_file: TextIO | None = None
    if events_path is not None:
        try:
            events_file = events_path.open("w", encoding="utf-8")
        except OSError as exc:
            raise _events_error(events_path, exc) from None
    options, speech_seconds, output, sounds = prepare_sound(
        chosen, options, t, no_sound=no_sound, no_voice=no_voice
    )
    try:
        timeline = expand(chosen, options, speech_seconds, t)
        if sounds is not None:
            sounds.prepare(timeline.cues)
        settings_value, zone = slot_settings(engine)
        record = new_record(
            routine=chosen.id,
            local_start=local_now(zone),
            planned_seconds=timeline.total_seconds,
            slots=settings_value,
            slot=slot_name,
            options=options.to_dict(),
            source="terminal",
        )
        clock = make_clock()
        player = Player(timeline, clock)
        sessions.start_session(engine, record)
        hooks = SessionHooks(
            player,
            engine=engine,
            uuid=record.uuid,
            output=output,
            sounds=sounds,
            events_file=events_file,
        )
        outcome = "stopped"
        try:
            outcome = _run(player, chosen, hooks, t, plain=plain, stdin_tty=stdin_tty)
        except KeyboardInterrupt:
            player.quit()
            hooks.close(completed=False)
            click.echo(_summary(player, t, completed=False))
            raise click.exceptions.Exit(130) from None
        except BaseException:
            player.quit()
            hooks.close(completed=False)
            raise
        completed = outcome == "finished" and player.complete()
        hooks.close(completed=completed)
        click.echo(_summary(player, t, completed=completed))
        if completed:
            click.echo(_day_line(engine, record.local_date, t))
    finally:
        if output is not None:
            output.close()
        if events_file is not None:
            events_file.close()


def _events_error(path: Path, exc: OSError) -> Exception:
    from anklesleep.basics.errors import AnkleSleepError

    return AnkleSleepError(
        f"--events: cannot write {str(path)!r} ({exc.strerror}); give a writable file path",
        field="events",
    )


def _run(
    player: Any, chosen: Routine, hooks: Any, t: Translate, *, plain: bool, stdin_tty: bool
) -> str:
    from anklesleep.player.terminal import (
        LiveView,
        NoKeys,
        PlainView,
        TerminalKeys,
        cbreak,
        play,
        signals_as_interrupt,
    )

    clock = player.clock
    with signals_as_interrupt(), contextlib.ExitStack() as stack:
        keys: Any = NoKeys(clock)
        if stdin_tty:
            fd = sys.stdin.fileno()
            stack.enter_context(cbreak(fd))
            keys = TerminalKeys(fd, clock)
        if plain:
            view: Any = PlainView(sys.stdout, chosen, t)
            if stdin_tty:
                view.note(t("Keys: space pause, n next step, p back, m more circles, q quit."))
            return play(player, view, keys, hooks, t)
        from rich.console import Console
        from rich.live import Live

        console = Console()
        live = stack.enter_context(
            Live(
                console=console,
                screen=True,
                auto_refresh=False,
                redirect_stdout=False,
                redirect_stderr=False,
            )
        )
        return play(player, LiveView(live, console, chosen, t), keys, hooks, t)


def _summary(player: Any, t: Translate, *, completed: bool) -> str:
    from anklesleep.basics.i18n import ngettext
    from anklesleep.routine.descriptions import clock

    played = clock(player.played_seconds())
    if completed:
        return t("Session complete ({played}). Rest your feet and sleep well.").format(
            played=played
        )
    if player.state == "finished":
        count = len(player.skipped_steps())
        skipped = ngettext("{n} step skipped", "{n} steps skipped", count).format(n=count)
        return t("Reached the end in {played}, with {skipped}. Kept as a partial session.").format(
            played=played, skipped=skipped
        )
    steps = len(player.steps_done)
    done = ngettext("{n} step done", "{n} steps done", steps).format(n=steps)
    return t("Stopped after {played}; {done}. Kept as a partial session.").format(
        played=played, done=done
    )


def _day_line(engine: Engine, day: Any, t: Translate) -> str:
    """e.g. "Today: morning done, home not yet, bedtime done. Streak: 4 days."."""
    from anklesleep.cli.today import STATUS_LABELS, _days
    from anklesleep.practice.records import current_streak, day_status
    from anklesleep.store.sessions import list_sessions

    records = list_sessions(engine)
    status = day_status(records, day)
    slots = ", ".join(f"{t(name)} {t(STATUS_LABELS[value])}" for name, value in status.items())
    return t("Today: {slots}. Streak: {streak}.").format(
        slots=slots, streak=_days(current_streak(records, day))
    )
