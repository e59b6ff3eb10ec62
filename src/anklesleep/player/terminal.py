"""The terminal player: a full-screen Rich view (or plain lines) driven by the Player and keys.

The loop waits for whichever comes first, the next cue's deadline, the next countdown change
or a key (termios cbreak + `select()`), then ticks the player. The terminal is put back as it
was on every way out: the end, `q`, Ctrl-C, a signal or an error.
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import signal
from collections.abc import Callable, Iterator
from typing import Any, Literal, Protocol, TextIO

from anklesleep.basics.i18n import Translate
from anklesleep.player.clock import SPIN_SECONDS, Clock
from anklesleep.player.live import CueStarted, Event, Player
from anklesleep.player.more import MoreCircles
from anklesleep.player.screen import plain_line, render, snapshot
from anklesleep.routine.definition import Routine

Key = Literal["space", "next", "previous", "more", "quit", "yes", "other"]
Outcome = Literal["finished", "stopped"]
#: the screen is redrawn at least this often (progress bar), and whenever the countdown changes
REDRAW_SECONDS = 0.5
#: while paused nothing moves; wake up now and then anyway
PAUSED_WAKE_SECONDS = 1.0


class KeySource(Protocol):
    """Where key presses come from. `wait` returns a key or None when `deadline` (clock time)
    passes."""

    def wait(self, deadline: float) -> Key | None: ...


def decode(data: bytes) -> list[Key]:
    """Keys in a chunk of terminal input (arrow keys arrive as escape sequences)."""
    keys: list[Key] = []
    i = 0
    while i < len(data):
        if data[i : i + 3] in (b"\x1b[C", b"\x1bOC"):
            keys.append("next")
            i += 3
            continue
        if data[i : i + 3] in (b"\x1b[D", b"\x1bOD"):
            keys.append("previous")
            i += 3
            continue
        if data[i : i + 1] == b"\x1b" and data[i + 1 : i + 2] in (b"[", b"O"):
            # another escape sequence (up arrow, F1...): skip it up to its final byte
            j = i + 2
            while j < len(data) and not 0x40 <= data[j] <= 0x7E:
                j += 1
            i = j + 1
            continue
        char = chr(data[i]).lower()
        i += 1
        if char == " ":
            keys.append("space")
        elif char == "n":
            keys.append("next")
        elif char == "p":
            keys.append("previous")
        elif char == "m":
            keys.append("more")
        elif char in ("q", "\x1b"):
            keys.append("quit")
        elif char == "y":
            keys.append("yes")
        else:
            keys.append("other")
    return keys


class TerminalKeys:
    """Keys from a terminal file descriptor in cbreak mode, waited for with `select()`."""

    def __init__(self, fd: int, clock: Clock) -> None:
        self.fd = fd
        self.clock = clock
        self._pending: list[Key] = []

    def wait(self, deadline: float) -> Key | None:
        if self._pending:
            return self._pending.pop(0)
        # select() until just short of the deadline, then let the clock finish the wait
        # exactly (a key pressed in those last milliseconds is read on the next wait).
        timeout = max(0.0, deadline - self.clock.now() - SPIN_SECONDS)
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
        except InterruptedError:  # a signal (window resize): just look again
            return None
        if not ready:
            self.clock.sleep_until(deadline)
            return None
        data = os.read(self.fd, 64)
        if not data:  # end of input: no more keys, keep time by sleeping
            self.clock.sleep_until(deadline)
            return None
        self._pending.extend(decode(data))
        return self._pending.pop(0) if self._pending else None


class NoKeys:
    """No keyboard (input is not a terminal): just wait for the deadline."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def wait(self, deadline: float) -> Key | None:
        self.clock.sleep_until(deadline)
        return None


@contextlib.contextmanager
def cbreak(fd: int) -> Iterator[None]:
    """Keys arrive one at a time without echo; Ctrl-C still interrupts. Always restored."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, saved)


class Interrupted(KeyboardInterrupt):
    """The session was ended by a signal; exits with the conventional status 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def exit_code(interrupt: KeyboardInterrupt) -> int:
    """130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""
    return interrupt.exit_code if isinstance(interrupt, Interrupted) else 128 + signal.SIGINT


@contextlib.contextmanager
def signals_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP end the session like Ctrl-C, so cleanup and the partial record run;
    the exit status still names the signal."""

    def interrupt(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not in the main thread
            previous[sig] = signal.signal(sig, interrupt)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class View(Protocol):
    def show(self, player: Player, message: str, *, can_more: bool, confirming: bool) -> None: ...

    def events(self, player: Player, events: list[Event]) -> None: ...

    def note(self, text: str) -> None: ...


class Follower(Protocol):
    """An audio stream that plays the track as the player says (`TrackStream`)."""

    def follow(self, origin: float | None, start: float = 0.0) -> None: ...


class LiveView:
    """The full-screen Rich view, redrawn only when asked (`Live(auto_refresh=False)`)."""

    def __init__(self, live: Any, console: Any, routine: Routine, t: Translate) -> None:
        self.live = live
        self.console = console
        self.routine = routine
        self.t = t

    def show(self, player: Player, message: str, *, can_more: bool, confirming: bool) -> None:
        width, height = self.console.size
        snap = snapshot(
            player, self.routine, self.t, message, can_more=can_more, confirming=confirming
        )
        self.live.update(render(snap, width, height, self.t), refresh=True)

    def events(self, player: Player, events: list[Event]) -> None:
        return None

    def note(self, text: str) -> None:
        return None


class PlainView:
    """One line per cue, no escape codes: for logs, pipes and screen readers."""

    def __init__(self, out: TextIO, routine: Routine, t: Translate) -> None:
        self.out = out
        self.routine = routine
        self.t = t
        self._last_message = ""

    def show(self, player: Player, message: str, *, can_more: bool, confirming: bool) -> None:
        if message and message != self._last_message:
            self.note(message)
        self._last_message = message

    def events(self, player: Player, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CueStarted):
                self.note(plain_line(event.cue, self.routine, self.t, event.scheduled))

    def note(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _next_wake(player: Player, now: float) -> float:
    """When to look again: the next cue, the next countdown change, or a redraw tick."""
    if player.state == "paused":
        return now + PAUSED_WAKE_SECONDS
    remaining = player.cue_remaining()
    change = remaining - math.floor(remaining)
    if change <= 1e-4:
        change = 1.0
    wake = now + min(change + 1e-3, REDRAW_SECONDS)
    deadline = player.next_deadline()
    return wake if deadline is None else min(wake, deadline)


def play(
    player: Player,
    view: View,
    keys: KeySource,
    on_events: Callable[[list[Event]], None],
    t: Translate,
    *,
    more: MoreCircles | None = None,
    audio: Follower | None = None,
    lead: float = 0.0,
) -> Outcome:
    """Run the session until it ends or the user stops it; returns how it ended.

    `on_events` gets every batch of player events (the events file, checkpoints). `more` adds
    circles by rendering again (default: `Player.more`); `audio` is told after every change
    what to play; `lead` is how long the audio takes to be heard, so the session starts then.
    Ctrl-C (KeyboardInterrupt) is left to the caller, which records a partial session.
    """
    confirming = False
    was_playing = False
    message = ""

    def handle(events: list[Event]) -> None:
        if events:
            on_events(events)
            view.events(player, events)

    def can_more() -> bool:
        return more.available(player) if more is not None else player.can_add_circles()

    def show() -> None:
        if audio is not None:
            audio.follow(player.heard_origin(), player.heard_from())
        view.show(player, message, can_more=can_more() and not confirming, confirming=confirming)

    handle(player.start(lead))
    show()
    while player.state in ("playing", "paused"):
        key = keys.wait(_next_wake(player, player.clock.now()))
        if key is not None:
            if confirming:
                confirming = False
                message = ""
                if key in ("yes", "quit"):
                    player.quit()
                    break
                if was_playing:
                    player.resume()
            elif key == "space":
                player.toggle_pause()
                message = ""
                if isinstance(view, PlainView):
                    message = t("Paused.") if player.state == "paused" else t("Carrying on.")
            elif key == "next":
                player.next_step()
                message = ""
            elif key == "previous":
                player.previous_step()
                message = ""
            elif key == "more":
                added = more.add(player) if more is not None else player.more()
                if added:
                    message = t("Five more circles added.")
                else:
                    message = t("More circles can be added once, during the ankle circles.")
            elif key == "quit":
                was_playing = player.state == "playing"
                player.pause()
                confirming = True
                message = t(
                    "Stop now? Press y to stop (what you did is kept), any other key to carry on."
                )
        handle(player.tick())
        show()
    if audio is not None:
        audio.follow(None)
    return "finished" if player.state == "finished" else "stopped"
