"""`start`: the guided session in the terminal, recorded in the session log."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from anklesleep.basics.i18n import N_, Translate, _, translator
from anklesleep.cli.common import database, options_from, timeline_options
from anklesleep.routine import catalog as library
from anklesleep.schedule.slots import check_slot_name

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from anklesleep.player.clock import Clock
    from anklesleep.player.stream import AudioDevice, Samples, TrackStream
    from anklesleep.routine.definition import Routine
    from anklesleep.routine.options import Options
    from anklesleep.routine.timeline import Timeline
    from anklesleep.schedule.slots import SlotName


#: Shown on the first frame, while the track and the database are being loaded.
GETTING_READY = N_("Getting ready…")


def make_clock() -> Clock:
    """The clock of a silent session (tests replace this with a manual clock)."""
    from anklesleep.player.clock import MonotonicClock

    return MonotonicClock()


def make_device() -> AudioDevice:
    """The sound card (tests replace this with a fake device)."""
    from anklesleep.player.stream import SoundDevice

    return SoundDevice()


def make_stream(device: AudioDevice, samples: Samples, rate: int) -> TrackStream:
    """The one audio stream of a session (tests give it the fake device's clock)."""
    from anklesleep.player.stream import TrackStream

    return TrackStream(device, samples, rate)


def _notice(text: str) -> None:
    click.echo(_("Note: {text}").format(text=text), err=True)


def ensure_safety(
    open_engine: Callable[[], Engine], t: Translate, interactive: bool, url: str | None = None
) -> None:
    """Show the safety notes until they have been acknowledged once (in a pager when they do
    not fit the terminal, with the question always on screen).

    `open_engine` opens the database; with `url`, an up-to-date SQLite file is first read
    without SQLAlchemy, and the database is opened only when that does not settle it (the quick
    path of the player's start-up)."""
    import datetime as dt
    import shutil

    from anklesleep.routine import safety

    if url is not None:
        from anklesleep.store import peek

        known = peek.settings(url, [safety.SETTING])
        if known is not None and known.get(safety.SETTING):
            return
    engine = open_engine()
    from anklesleep.store import settings

    with engine.connect() as conn:
        if settings.get(conn, safety.SETTING):
            return
    size = shutil.get_terminal_size((80, 24))
    width = max(20, min(size.columns, 88) - 1)
    lines = safety_lines(t, width)
    if not interactive:
        click.echo("\n".join(lines))
        click.echo()
        return  # not a terminal: shown, and the session goes on; asked again next time
    from anklesleep.player.pager import ask_with_pager

    if not ask_with_pager(lines, t(safety.ACKNOWLEDGE), t, width=size.columns, height=size.lines):
        click.echo(t("Nothing started. The notes will be shown again next time."))
        raise click.exceptions.Exit(1)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        settings.put(conn, safety.SETTING, now.isoformat(), now)


def safety_lines(t: Translate, width: int) -> list[str]:
    """The safety notes wrapped to `width`: title, what they are about, one item per note."""
    from anklesleep.basics.textwidth import wrap
    from anklesleep.routine import safety

    lines = [click.style(t(safety.TITLE), bold=True), ""]
    lines += [*wrap(t(safety.ABOUT), width), ""]
    for note in safety.notes(t):
        lines += wrap(note, width, initial_indent="- ", subsequent_indent="  ")
    return lines


class Sound:
    """The session's sound: the rendered track in one stream, and how to render it again."""

    def __init__(
        self, stream: TrackStream, chosen: Routine, engine_name: str | None, t: Translate
    ) -> None:
        self.stream = stream
        self.chosen = chosen
        self.engine_name = engine_name
        self.t = t

    def render(self, options: Options) -> Timeline:
        """Render the track for `options` (cached), load it into the stream; its timeline."""
        import soundfile

        from anklesleep.audio import mixing as track
        from anklesleep.audio import voices as voice

        engine = voice.engine_for(options, self.engine_name)
        rendered = track.render_track(
            self.chosen, options, engine=engine, fmt="wav", translate=self.t
        )
        samples, _rate = soundfile.read(str(rendered.path), dtype="float32", always_2d=False)
        if samples.ndim > 1:
            samples = samples.mean(axis=1, dtype="float32")
        self.stream.load(samples)
        return rendered.timeline


def open_sound(chosen: Routine, t: Translate, *, no_sound: bool, no_voice: bool) -> Sound | None:
    """The sound stream, or None (silent) when asked for or when no device can play; then
    says so once."""
    if no_sound:
        return None
    import numpy as np

    from anklesleep.audio.mixing import SAMPLE_RATE
    from anklesleep.player.stream import DeviceError

    try:
        stream = make_stream(make_device(), np.zeros(0, dtype=np.float32), SAMPLE_RATE)
    except DeviceError as exc:
        _notice(
            t(
                "no sound device could be opened ({reason}); the session runs silently, "
                "follow the screen."
            ).format(reason=str(exc).strip().rstrip(".") or "?")
        )
        return None
    engine_name = "none" if no_voice else None
    if not no_voice:
        from anklesleep.audio import voices as voice
        from anklesleep.basics.i18n import language_of

        if voice.get_engine(None, language=language_of(t)).name == "none":
            _notice(
                t(
                    "no voice for this language is installed, so instructions are shown but "
                    "not spoken (tones still play). See `anklesleep voice list`."
                )
            )
    return Sound(stream, chosen, engine_name, t)


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
    from dataclasses import replace

    from anklesleep.cli.common import database_location

    t = translator()
    slot_name = check_slot_name(slot.strip().lower()) if slot else None
    options = options_from(kwargs)
    chosen = library.load(routine, routine_file)
    stdin_tty = sys.stdin.isatty()
    plain = plain or not sys.stdout.isatty()
    ensure_safety(partial(database, ctx), t, stdin_tty, url=database_location(ctx))

    events_file: TextIO | None = None
    if events_path is not None:
        try:
            events_file = events_path.open("w", encoding="utf-8")
        except OSError as exc:
            raise _events_error(events_path, exc) from None
    sound: Sound | None = None
    try:
        with _terminal(chosen, t, plain=plain, stdin_tty=stdin_tty) as screen:
            # The first frame comes before the database, the sound and the track are loaded
            # (what makes start-up slow): step one at 0:00, not yet playing. The session's
            # clock starts only when everything is ready, in `play`.
            silent = replace(options, voice=False)
            screen.first_frame(_silent_timeline(chosen, t, silent), make_clock())
            try:
                sound = open_sound(chosen, t, no_sound=no_sound, no_voice=no_voice)
                prepared = _prepare(ctx, chosen, options, sound, t, slot_name, no_voice=no_voice)
            except KeyboardInterrupt as interrupt:  # nothing started yet: nothing to record
                from anklesleep.player.terminal import exit_code

                raise click.exceptions.Exit(exit_code(interrupt)) from None
            _play(prepared, screen, t, events_file, sound)
    finally:
        if sound is not None:
            sound.stream.close()
        if events_file is not None:
            events_file.close()


class Prepared:
    """Everything a session needs once loaded: the database, player, record and re-rendering."""

    def __init__(self, engine: Engine, player: Any, record: Any, more: Any) -> None:
        self.engine = engine
        self.player = player
        self.record = record
        self.more = more


def _prepare(
    ctx: click.Context,
    chosen: Routine,
    options: Options,
    sound: Sound | None,
    t: Translate,
    slot_name: SlotName | None,
    *,
    no_voice: bool,
) -> Prepared:
    """Load the track (or the silent timeline), open the database and start the session record."""
    from dataclasses import replace

    from anklesleep.cli.localtime import local_now, slot_settings
    from anklesleep.player.live import Player
    from anklesleep.player.more import MoreCircles
    from anklesleep.services import sessions

    if sound is not None:
        if no_voice:
            options = replace(options, voice=False)
        timeline = sound.render(options)
        options = timeline.options
        build: Callable[[Options], Timeline] = sound.render
        clock: Clock = sound.stream
    else:
        options = replace(options, voice=False)
        timeline = _silent_timeline(chosen, t, options)
        build = partial(_silent_timeline, chosen, t)
        clock = make_clock()
    engine = database(ctx)
    settings_value, zone = slot_settings(engine)
    record = sessions.start(
        engine,
        routine=chosen.id,
        local_start=local_now(zone),
        planned_seconds=timeline.total_seconds,
        slots=settings_value,
        slot=slot_name,
        options=options.to_dict(),
        source="terminal",
    )
    player = Player(timeline, clock)
    more = MoreCircles(chosen, options, build)
    return Prepared(engine, player, record, more)


def _play(
    prepared: Prepared,
    screen: Screen,
    t: Translate,
    events_file: TextIO | None,
    sound: Sound | None,
) -> None:
    """Play the prepared session on `screen`; record how it ended and say so."""
    from anklesleep.services.playback import SessionHooks

    player, record, engine = prepared.player, prepared.record, prepared.engine
    hooks = SessionHooks(player, engine=engine, uuid=record.uuid, events_file=events_file)
    outcome = "stopped"
    try:
        outcome = screen.play(player, hooks, t, more=prepared.more, sound=sound)
    except KeyboardInterrupt as interrupt:
        from anklesleep.player.terminal import exit_code

        player.quit()
        hooks.close(completed=False)
        screen.close()
        with contextlib.suppress(OSError):  # after a hangup the terminal may be gone
            click.echo(_summary(player, t, completed=False))
        raise click.exceptions.Exit(exit_code(interrupt)) from None
    except BaseException:
        player.quit()
        hooks.close(completed=False)
        raise
    completed = outcome == "finished" and player.complete()
    hooks.close(completed=completed)
    screen.close()
    click.echo(_summary(player, t, completed=completed))
    if completed:
        click.echo(_day_line(engine, record.local_date, t))


def _silent_timeline(chosen: Routine, t: Translate, options: Options) -> Timeline:
    from anklesleep.routine.timeline import expand, no_speech

    return expand(chosen, options, no_speech, t)


def _events_error(path: Path, exc: OSError) -> Exception:
    from anklesleep.basics.errors import AnkleSleepError

    return AnkleSleepError(
        _("--events: cannot write {path!r} ({strerror}); give a writable file path").format(
            path=str(path), strerror=exc.strerror
        ),
        field="events",
    )


class Screen:
    """Where the session is shown: the full-screen view or plain lines, and the keyboard."""

    def __init__(self, view: Any, fd: int | None, close: Callable[[], None], t: Translate) -> None:
        self.view = view
        self.fd = fd
        self._close = close
        self.t = t

    def first_frame(self, timeline: Timeline, clock: Clock) -> None:
        """Show step one at 0:00 before the session is ready to play (full screen only)."""
        from anklesleep.player.live import Player
        from anklesleep.player.terminal import PlainView

        if not isinstance(self.view, PlainView):
            ready = Player(timeline, clock)
            self.view.show(ready, self.t(GETTING_READY), can_more=False, confirming=False)

    def play(self, player: Any, hooks: Any, t: Translate, *, more: Any, sound: Sound | None) -> str:
        """Run the session (see `anklesleep.player.terminal.play`); how it ended."""
        from anklesleep.player.terminal import NoKeys, TerminalKeys, play

        clock = player.clock
        playing: dict[str, Any] = {"more": more}
        if sound is not None:
            from anklesleep.player.stream import BLOCK_FRAMES

            # the first sample is heard after the stream's delay and the block being filled
            playing["audio"] = sound.stream
            playing["lead"] = sound.stream.latency + 2 * BLOCK_FRAMES / sound.stream.rate
        keys: Any = NoKeys(clock) if self.fd is None else TerminalKeys(self.fd, clock)
        return play(player, self.view, keys, hooks, t, **playing)

    def close(self) -> None:
        """Leave the full screen (before the summary is printed); the terminal is restored."""
        self._close()


@contextlib.contextmanager
def _terminal(chosen: Routine, t: Translate, *, plain: bool, stdin_tty: bool) -> Iterator[Screen]:
    """The screen for a session: signals as interrupts, keys in cbreak mode, the full-screen
    view (or plain lines); everything restored on the way out."""
    from anklesleep.player.terminal import LiveView, PlainView, cbreak, signals_as_interrupt

    with signals_as_interrupt(), contextlib.ExitStack() as stack:
        fd: int | None = None
        if stdin_tty:
            fd = sys.stdin.fileno()
            stack.enter_context(cbreak(fd))
        if plain:
            view: Any = PlainView(sys.stdout, chosen, t)
            if stdin_tty:
                view.note(t("Keys: space pause, n next step, p back, m more circles, q quit."))
            yield Screen(view, fd, lambda: None, t)
            return
        from rich.console import Console
        from rich.live import Live

        console = Console()
        live = Live(
            console=console,
            screen=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        live.start()
        stopped = False

        def close() -> None:
            nonlocal stopped
            if not stopped:
                stopped = True
                live.stop()

        stack.callback(close)
        yield Screen(LiveView(live, console, chosen, t), fd, close, t)


def _summary(player: Any, t: Translate, *, completed: bool) -> str:
    from anklesleep.basics import formats
    from anklesleep.basics.i18n import language_of, ngettext

    played = formats.duration(player.played_seconds(), language_of(t))
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
    from anklesleep.basics.wording import join_list
    from anklesleep.cli.today import STATUS_LABELS, _days
    from anklesleep.practice.records import current_streak, day_status
    from anklesleep.schedule.slots import slot_name
    from anklesleep.store.sessions import list_sessions

    with engine.connect() as conn:
        records = list_sessions(conn)
    status = day_status(records, day)
    slots = join_list(
        (
            t("{slot} {status}").format(slot=slot_name(name, t), status=t(STATUS_LABELS[value]))
            for name, value in status.items()
        ),
        t,
    )
    return t("Today: {slots}. Streak: {streak}.").format(
        slots=slots, streak=_days(current_streak(records, day))
    )
