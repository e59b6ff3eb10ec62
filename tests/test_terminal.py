"""The terminal player: keys, screen layout, the loop with scripted keys, and the real program
in tmux (keys act, the screen shows the step, the terminal is restored)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from anklesleep.player.live import Event, Player
from anklesleep.player.screen import big_digits, countdown_text, render, snapshot
from anklesleep.player.terminal import PlainView, decode, play
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import validate
from anklesleep.routine.timeline import expand, no_speech
from anklesleep.testing.player import ManualClock, ScriptedKeys
from tests.session_helpers import stored_sessions


def ident(text: str) -> str:
    return text


def test_decode_keys_and_arrows() -> None:
    assert decode(b" nmpq") == ["space", "next", "more", "previous", "quit"]
    assert decode(b"\x1b[C\x1b[D\x1bOC") == ["next", "previous", "next"]
    assert decode(b"\x1b[A") == []  # up arrow: ignored, not read as "quit"
    assert decode(b"Yx") == ["yes", "other"]
    assert decode(b"\x1b") == ["quit"]


def test_big_digits() -> None:
    rows = big_digits("10")
    assert len(rows) == 5
    assert len({len(r) for r in rows}) == 1
    assert rows[0].startswith("  ██")
    assert countdown_text(4.2) == "5"
    assert countdown_text(0.0) == "0"
    assert countdown_text(75) == "1:15"


def screen_text(width: int, height: int, advance: float = 9.0) -> str:  # 2 s lead-in + 7 s
    routine = routines.load("full")
    player = Player(expand(routine, validate(intro="none"), no_speech), ManualClock())
    clock = player.clock
    player.start()
    assert isinstance(clock, ManualClock)
    clock.advance(advance)
    player.tick()
    console = Console(width=width, height=height, record=True, file=io.StringIO())
    console.print(render(snapshot(player, routine, ident), width, height, ident))
    return console.export_text()


def test_screen_at_80x24_shows_everything() -> None:
    text = screen_text(80, 24)
    lines = text.splitlines()
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    assert "TOES · LEFT FOOT · T1" in text
    assert "Pull the big toe and the second toe apart." in text
    assert "HOLD" in text and "1 of 5" in text
    assert "██" in text  # the big countdown
    assert "left" in text and "step 1 of 28" in text
    assert "Next: release 1 of 5, 2 s" in text
    assert "●○○○○" in text
    assert "space" in text and "quit" in text
    assert "more circles" not in text  # not a circle step
    assert "quit" in lines[-1]  # the key bar is on the last row


def test_screen_at_40_columns_drops_the_big_digits_but_keeps_the_text() -> None:
    text = screen_text(40, 24)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert "██" not in text
    joined = " ".join(text.replace("│", " ").split())
    assert "Pull the big toe and the second toe apart." in joined
    assert "HOLD" in text and "1 of 5" in text


def run_scripted(script: list[tuple[float, str]]) -> tuple[Player, list[Event], str]:
    routine = routines.load("quick")
    clock = ManualClock(start=0.0)
    player = Player(expand(routine, validate(), no_speech), clock)
    out = io.StringIO()
    events: list[Event] = []
    keys = ScriptedKeys(clock, list(script))  # type: ignore[arg-type]
    outcome = play(player, PlainView(out, routine, ident), keys, events.extend, ident)
    assert outcome == ("finished" if player.state == "finished" else "stopped")
    return player, events, out.getvalue()


def test_loop_plays_to_the_end_without_keys() -> None:
    player, events, out = run_scripted([])
    assert player.state == "finished"
    assert type(events[-1]).__name__ == "Finished"
    assert out.count("\n") == len(player.timeline.cues)


def test_quit_asks_first_and_any_other_key_carries_on() -> None:
    player, _, out = run_scripted([(2.0, "quit"), (30.0, "other"), (40.0, "quit"), (41.0, "yes")])
    assert "Stop now?" in out
    assert player.state == "stopped"
    # paused while asking: 28 s of asking did not count as playing
    assert player.played_seconds() == pytest.approx(2.0 + 10.0)


def test_more_during_circles_and_pause_in_the_loop() -> None:
    routine = routines.load("quick")
    base = expand(routine, validate(), no_speech)
    a1 = next(c for c in base.chapters() if c.step == "A1")
    at = base.cues[a1.first + 1].start + 0.1
    player, _, out = run_scripted(
        [(0.5, "more"), (at, "more"), (at + 1, "space"), (at + 60, "space")]
    )
    assert "More circles can be added once, during the ankle circles." in out
    assert "Five more circles added." in out
    assert "Paused." in out and "Carrying on." in out
    assert len(player.timeline.cues) == len(base.cues) + 5
    assert player.state == "finished"
    assert player.played_seconds() == pytest.approx(player.total_seconds)


# --- the real program in tmux -----------------------------------------------------------------

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Pane:
    """One tmux session on a private server socket, killed at the end."""

    def __init__(self, socket: str, name: str) -> None:
        self.socket = socket
        self.name = name

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", self.name, "-p")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str, timeout: float = 8.0) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")


@pytest.fixture
def acknowledged_db(tmp_path: Path) -> Path:
    from anklesleep.store import open_database, settings

    db = tmp_path / "tmux.sqlite3"
    engine = open_database(db)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        settings.put(conn, "safety_acknowledged_at", now.isoformat(), now)
    engine.dispose()
    return db


@pytest.fixture
def pane(tmp_path: Path, acknowledged_db: Path, isolated_home: Path) -> Iterator[Pane]:
    import sys

    import anklesleep

    src = Path(anklesleep.__file__).resolve().parents[1]
    exe = f"PYTHONPATH={src} {sys.executable} -m anklesleep"  # this checkout's code
    socket = f"anklesleep-test-{uuid.uuid4().hex[:8]}"
    p = Pane(socket, "t")
    script = (
        f"cd {tmp_path} && stty -g > before && ANKLESLEEP_HOME={isolated_home} "
        f"{exe} --db {acknowledged_db} start full --no-sound --intro none; echo $? > rc; "
        "stty -g > after; sleep 60"
    )
    p.tmux("new-session", "-d", "-s", "t", "-x", "80", "-y", "24", script)
    try:
        yield p
    finally:
        p.tmux("kill-server")


def finished_rc(tmp_path: Path, timeout: float = 8.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rc = tmp_path / "rc"
        if rc.exists() and rc.read_text().strip():
            time.sleep(0.2)  # let `stty -g > after` run
            return rc.read_text().strip()
        time.sleep(0.05)
    raise AssertionError("the program did not exit")


@pytest.mark.slow
@needs_tmux
def test_real_terminal_keys_act_and_the_terminal_is_restored(
    pane: Pane, tmp_path: Path, acknowledged_db: Path
) -> None:
    screen = pane.wait_for("TOES · LEFT FOOT · T1")
    assert "Pull the big toe and the second toe apart." in screen
    assert "step 1 of 28" in screen and "██" in screen
    pane.keys("n")
    screen = pane.wait_for("TOES · LEFT FOOT · T2")
    assert "Pull the second toe and the middle toe apart." in screen
    pane.keys("Right")
    pane.wait_for("TOES · LEFT FOOT · T3")
    pane.keys("Left")
    pane.wait_for("TOES · LEFT FOOT · T2")
    pane.keys("Space")
    pane.wait_for("Paused. Press space to carry on.")
    pane.keys("Space")
    pane.keys("q")
    pane.wait_for("Stop now?")
    pane.keys("y")
    assert finished_rc(tmp_path) == "0"
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert "Kept as a partial session" in pane.screen()

    from anklesleep.store import open_database

    engine = open_database(acknowledged_db)
    [record] = stored_sessions(engine)
    engine.dispose()
    assert not record.completed and record.ended_at is not None


@pytest.mark.slow
@needs_tmux
def test_real_terminal_ctrl_c_restores_and_keeps_a_partial_session(
    pane: Pane, tmp_path: Path, acknowledged_db: Path
) -> None:
    pane.wait_for("TOES · LEFT FOOT · T1")
    pane.keys("C-c")
    assert finished_rc(tmp_path) == "130"
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    screen = pane.screen()
    assert "Kept as a partial session" in screen
    assert "TOES · LEFT FOOT" not in screen  # the full screen is gone

    from anklesleep.store import open_database

    engine = open_database(acknowledged_db)
    [record] = stored_sessions(engine)
    engine.dispose()
    assert not record.completed and record.ended_at is not None
