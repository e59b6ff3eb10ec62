"""The real program in tmux at 120x40, 80x24, 60x20 and 40x15: the panel, the key bar pinned
to the last row with whole hints, the safety pager, and exit statuses by signal.

Every screen looked at is saved under `test-artifacts/terminal/` (ignored by git).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import anklesleep
from tests.session_helpers import stored_sessions

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
SRC = Path(anklesleep.__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "terminal"
SIZES = [(120, 40), (80, 24), (60, 20), (40, 15)]


class Pane:
    """The program in a tmux pane of a given size, on a private server socket."""

    def __init__(self, tmp: Path, width: int, height: int, args: str) -> None:
        self.socket = f"anklesleep-size-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.width = width
        self.height = height
        script = (
            f"cd {tmp} && stty -g > before && PYTHONPATH={SRC} ANKLESLEEP_HOME={tmp / 'home'} "
            f"{sys.executable} -m anklesleep --db {tmp / 'db.sqlite3'} {args}; echo $? > rc; "
            "stty -g > after; sleep 60"
        )
        self.tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), script)

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "t", "-p")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def wait_playing(self, text: str, timeout: float = 15.0) -> str:
        """Wait for `text` once the session plays (the first frame, "Getting ready…", is drawn
        before the track and the database are loaded)."""
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen and "Getting ready" not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear while playing; the screen was:\n{screen}")

    def save(self, name: str, screen: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{self.width}x{self.height}-{name}.txt").write_text(screen)

    def program_pid(self) -> int:
        shell = self.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip()
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", shell], capture_output=True, text=True, check=False
        ).stdout.split()
        assert children, "the program is not running"
        return int(children[0])

    def rc(self, timeout: float = 15.0) -> str:
        end = time.monotonic() + timeout
        rc = self.tmp / "rc"
        while time.monotonic() < end:
            if rc.exists() and rc.read_text().strip():
                time.sleep(0.2)
                return rc.read_text().strip()
            time.sleep(0.05)
        raise AssertionError("the program did not exit")

    def close(self) -> None:
        self.tmux("kill-server")


def acknowledge(db: Path) -> None:
    from anklesleep.store import open_database, settings

    engine = open_database(db)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        settings.put(conn, "safety_acknowledged_at", now.isoformat(), now)
    engine.dispose()


@pytest.fixture
def make_pane(tmp_path: Path) -> Iterator[object]:
    panes: list[Pane] = []

    def make(width: int, height: int, args: str, *, acknowledged: bool = True) -> Pane:
        if acknowledged:
            acknowledge(tmp_path / "db.sqlite3")
        pane = Pane(tmp_path, width, height, args)
        panes.append(pane)
        return pane

    yield make
    for pane in panes:
        pane.close()


def check_layout(screen: str, width: int, height: int) -> list[str]:
    """What every screen must be: the panel whole, the key bar alone on the last row with
    every hint whole."""
    lines = screen.split("\n")
    lines = lines[:height]
    assert len(lines) == height
    assert all(len(line) <= width for line in lines)
    assert sum("╭" in line for line in lines) >= 1 and sum("╰" in line for line in lines) >= 1
    top = next(i for i, line in enumerate(lines) if "╭" in line)
    bottom = max(i for i, line in enumerate(lines) if "╰" in line)
    assert top < bottom < height - 1  # the panel ends above the key bar
    bar = lines[-1].rstrip()
    # the last hint is whole, so none before it was cut or wrapped
    assert bar.endswith(("quit", "carry on", "go on")), f"no whole key bar last:\n{screen}"
    return lines


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_size_has_the_panel_and_a_pinned_key_bar(
    make_pane: object, width: int, height: int
) -> None:
    pane = make_pane(width, height, "start full --no-sound --intro none")  # type: ignore[operator]
    screen = pane.wait_for("TOES · LEFT FOOT · T1")
    pane.keys("Space")
    screen = pane.wait_for("Paused")
    pane.save("T1-paused", screen)
    lines = check_layout(screen, width, height)
    assert "resume" in lines[-1]
    assert "more circles" not in screen and " m " not in lines[-1]  # not a circle step
    assert "●" in screen or "○" in screen or "GET READY" in screen
    if width >= 100 and height >= 30:
        assert "Steps" in screen and "▶ T1" in screen  # the list, the current step marked
    if width >= 50 and height >= 20:
        assert "██" in screen  # the big countdown
    # the steps that pushed the key bar off a small screen before: 12, 15, 16
    seen = 1
    for target in (12, 15, 16):
        while seen < target:
            pane.keys("n")
            seen += 1
            pane.wait_for(f"step {seen} of 28")
        screen = pane.screen()
        pane.save(f"step{target}-paused", screen)
        check_layout(screen, width, height)
    # an ankle-circle step shows the "more" key, and only there
    while "· A1" not in pane.screen():
        pane.keys("n")
        seen += 1
        pane.wait_for(f"step {seen} of 28")
        assert seen < 28
    screen = pane.screen()
    pane.save("circles-paused", screen)
    check_layout(screen, width, height)
    assert " m " in screen.split("\n")[height - 1]
    pane.keys("q")
    screen = pane.wait_for("Stop now?")
    pane.save("asking", screen)
    check_layout(screen, width, height)
    pane.keys("y")
    assert pane.rc() == "0"
    assert (pane.tmp / "before").read_text() == (pane.tmp / "after").read_text()


@pytest.mark.slow
@pytest.mark.parametrize(("signal_name", "code"), [("TERM", "143"), ("HUP", "129"), ("INT", "130")])
def test_signals_exit_by_convention_and_restore_the_terminal(
    make_pane: object, signal_name: str, code: str
) -> None:
    pane = make_pane(80, 24, "start quick --no-sound")  # type: ignore[operator]
    pane.wait_playing("step 1 of")
    os.kill(pane.program_pid(), getattr(__import__("signal"), f"SIG{signal_name}"))
    assert pane.rc() == code
    assert (pane.tmp / "before").read_text() == (pane.tmp / "after").read_text()
    screen = pane.screen()
    pane.save(f"after-SIG{signal_name}", screen)
    assert "╭" not in screen  # the full screen is gone
    from anklesleep.store import open_database

    engine = open_database(pane.tmp / "db.sqlite3")
    [record] = stored_sessions(engine)
    engine.dispose()
    assert not record.completed and record.ended_at is not None


@pytest.mark.slow
def test_the_safety_notes_page_at_40x15_with_the_question_always_visible(
    make_pane: object,
) -> None:
    pane = make_pane(40, 15, "start quick --no-sound", acknowledged=False)  # type: ignore[operator]
    screen = pane.wait_for("Before you start")
    pane.save("safety-page1", screen)
    lines = screen.split("\n")[:15]
    assert "y yes, n no" in "\n".join(lines[-3:])
    assert "space more" in screen
    pane.keys("Space")
    time.sleep(0.3)
    screen = pane.screen()
    pane.save("safety-page2", screen)
    assert "Before you start" not in screen  # scrolled on
    assert "y yes, n no" in screen
    pane.keys("y")
    screen = pane.wait_for("step 1 of")
    pane.save("after-safety", screen)
    pane.keys("q")
    pane.wait_for("Stop now?")
    pane.keys("y")
    assert pane.rc() == "0"
