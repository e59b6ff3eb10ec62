"""Desktop notifications behind one small seam, with a terminal fallback.

`notify-send` (libnotify, on Linux desktops) or `osascript` (macOS) when present and a desktop
session is running; otherwise a terminal bell and a line. A desktop tool that fails (no
notification daemon, for instance) falls back to the terminal, so a reminder is never lost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TextIO

from anklesleep.basics.i18n import N_

APP_NAME = "anklesleep"
#: Command runner: argv in, exit status out (raises OSError when the program cannot start).
Runner = Callable[[Sequence[str]], int]


class Notifier(Protocol):
    """Something that can put a short message in front of the user."""

    def notify(self, title: str, body: str) -> None: ...


def run_quietly(argv: Sequence[str]) -> int:
    """Run a notification tool without a shell, its output discarded, for at most 10 seconds."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 124
    return done.returncode


class TerminalNotifier:
    """A terminal bell and one line, for when no desktop notification is possible."""

    def __init__(self, stream: TextIO | None = None, *, bell: bool = True) -> None:
        self._stream = stream
        self.bell = bell

    def notify(self, title: str, body: str) -> None:
        stream = self._stream or sys.stdout
        stream.write(("\a" if self.bell else "") + f"{title}: {body}\n")
        stream.flush()


class CommandNotifier:
    """A desktop notification through an external tool, falling back when the tool fails."""

    def __init__(
        self,
        argv: Callable[[str, str], list[str]],
        fallback: Notifier,
        run: Runner = run_quietly,
    ) -> None:
        self._argv = argv
        self._fallback = fallback
        self._run = run

    def notify(self, title: str, body: str) -> None:
        try:
            status = self._run(self._argv(title, body))
        except OSError:
            status = -1
        if status != 0:
            self._fallback.notify(title, body)


def notify_send_argv(program: str = "notify-send") -> Callable[[str, str], list[str]]:
    """The argv for libnotify's notify-send (the message is an argument, never shell text)."""

    def argv(title: str, body: str) -> list[str]:
        return [
            program,
            f"--app-name={APP_NAME}",
            "--urgency=normal",
            "--category=reminder",
            "--icon=appointment-soon",
            "--",
            title,
            body,
        ]

    return argv


def _applescript_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def osascript_argv(title: str, body: str) -> list[str]:
    """The argv for a macOS notification with a sound."""
    script = (
        f"display notification {_applescript_text(body)} "
        f'with title {_applescript_text(title)} sound name "Glass"'
    )
    return ["osascript", "-e", script]


def default_notifier(
    environ: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    platform: str = sys.platform,
    stream: TextIO | None = None,
    run: Runner = run_quietly,
) -> Notifier:
    """The best notifier on this machine: desktop when possible, else the terminal."""
    env = os.environ if environ is None else environ
    terminal = TerminalNotifier(stream)
    if platform == "darwin" and which("osascript"):
        return CommandNotifier(osascript_argv, terminal, run)
    program = which("notify-send")
    desktop = any(
        env.get(key) for key in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    )
    if program and desktop:
        return CommandNotifier(notify_send_argv(program), terminal, run)
    return terminal


def describe(notifier: Notifier) -> str:
    """How reminders will reach the user, for the daemon's first line (English; translate it
    where it is shown)."""
    if isinstance(notifier, CommandNotifier):
        return N_("desktop notifications")
    return N_("a terminal bell and a line here")
