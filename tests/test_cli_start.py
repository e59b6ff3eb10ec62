"""`anklesleep start`: in-process with a manual clock, and a real process killed mid-session."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from anklesleep.player.stream import Samples, TrackStream
from anklesleep.store import open_database
from anklesleep.testing.player import BrokenDevice, FakeDevice, ManualClock
from tests.cli_helpers import run_cli
from tests.session_helpers import stored_sessions


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    manual = ManualClock()
    monkeypatch.setattr("anklesleep.cli.start.make_clock", lambda: manual)
    return manual


@pytest.fixture
def device(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> FakeDevice:
    """A sound card on the manual clock: the stream's clock and what it played are checked."""
    fake = FakeDevice(latency=0.04, clock=clock)
    streams: list[TrackStream] = []

    def make_stream(dev: FakeDevice, samples: Samples, rate: int) -> TrackStream:
        stream = TrackStream(dev, samples, rate, monotonic=clock.now, wait=dev.run_until)
        streams.append(stream)
        return stream

    monkeypatch.setattr("anklesleep.cli.start.make_device", lambda: fake)
    monkeypatch.setattr("anklesleep.cli.start.make_stream", make_stream)
    return fake


def test_a_plain_session_runs_to_the_end_and_is_recorded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clock: ManualClock
) -> None:
    db = tmp_path / "a.sqlite3"
    events = tmp_path / "events.jsonl"
    result = run_cli(
        capsys,
        "--db",
        str(db),
        "start",
        "quick",
        "--no-sound",
        "--events",
        str(events),
        "--slot",
        "home",
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    # not a terminal: the safety notes are printed and the session goes on
    assert "Before you start" in lines[0]
    assert any("clinician" in line for line in lines)
    cue_lines = [line for line in lines if line.startswith("[")]
    assert cue_lines[0].startswith("[0:00] get ready (2 s)")  # the lead-in before any word
    assert cue_lines[1].startswith("[0:02] Ankle, left foot, A0: take the grip")
    assert any("circle 5 of 5" in line for line in cue_lines)
    assert "\x1b" not in result.out  # plain: no escape codes
    assert "Session complete" in lines[-2]
    assert lines[-1].startswith("Today: morning ") and "home done" in lines[-1]
    records = (
        json.loads(events.read_text())
        if False
        else [json.loads(line) for line in events.read_text().splitlines()]
    )
    assert len(records) == len(cue_lines)
    assert {"step", "kind", "rep", "scheduled", "actual"} <= set(records[0])
    assert all(r["actual"] == pytest.approx(r["scheduled"]) for r in records)
    assert records[3]["kind"] == "circle" and records[3]["rep"] == 1  # after lead-in, grip, words
    engine = open_database(db)
    [session] = stored_sessions(engine)
    engine.dispose()
    assert session.completed and session.slot == "home" and session.routine == "quick"
    assert session.source == "terminal"
    assert "H1:right" in session.steps_done and len(session.steps_done) == 10
    assert session.options["voice"] is False
    assert session.completed_seconds == pytest.approx(session.planned_seconds)


def test_safety_notes_are_shown_until_acknowledged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clock: ManualClock
) -> None:
    import datetime as dt

    from anklesleep.store import settings

    db = tmp_path / "b.sqlite3"
    assert (
        "Before you start" in run_cli(capsys, "--db", str(db), "start", "quick", "--no-sound").out
    )
    engine = open_database(db)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        settings.put(conn, "safety_acknowledged_at", now.isoformat(), now)
    engine.dispose()
    again = run_cli(capsys, "--db", str(db), "start", "quick", "--no-sound")
    assert again.code == 0
    assert "Before you start" not in again.out


def _rendered(tmp_home_routine: str, *, voice: bool) -> tuple[Samples, object]:
    """The cached track `start` played (the same render call, a cache hit now)."""
    import soundfile

    from anklesleep.audio import mixing as track
    from anklesleep.audio import voices
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate

    engine = voices.get_engine(None if voice else "none")
    rendered = track.render_track(
        routines.load(tmp_home_routine), validate(voice=voice), engine=engine, fmt="wav"
    )
    samples, _ = soundfile.read(str(rendered.path), dtype="float32")
    return samples, rendered


def _played_at(played: Samples, samples: Samples) -> int:
    """The stream frame where the track starts in what the device played."""
    first_track = int(np.flatnonzero(samples)[0])
    first_played = int(np.flatnonzero(played)[0])
    return first_played - first_track


def test_the_track_plays_through_one_stream_that_is_the_clock(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, device: FakeDevice
) -> None:
    events = tmp_path / "events.jsonl"
    result = run_cli(
        capsys,
        "--db",
        str(tmp_path / "c.sqlite3"),
        "start",
        "quick",
        "--no-voice",
        "--events",
        str(events),
    )
    assert result.code == 0, result.err
    assert "Session complete" in result.out
    assert "Note:" not in result.err
    assert device.stream is not None and device.stream.closed
    samples, rendered = _rendered("quick", voice=False)
    played = device.played
    offset = _played_at(played, samples)
    # the whole track, sample for sample, once, in one piece
    assert np.array_equal(played[offset : offset + len(samples)], samples)
    assert not played[offset + len(samples) :].any()
    # every cue was shown when its sound was heard: the display follows the stream's clock,
    # the reported latency included
    rate = device.rate
    records = [json.loads(line) for line in events.read_text().splitlines()]
    assert len(records) == len(rendered.timeline.cues)  # type: ignore[attr-defined]
    heard_zero = offset / rate + device.latency
    for record in records:
        assert record["actual"] == pytest.approx(record["scheduled"], abs=1e-6)
    # the first cue is emitted when track sample 0 reaches the ear
    assert device.clock.waits, "the session never waited on the stream"
    assert heard_zero > 0


def test_pause_plays_silence_and_resume_carries_on_in_the_track(device: FakeDevice) -> None:
    from anklesleep.player.live import Player
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate
    from anklesleep.routine.timeline import expand, no_speech

    rate = 1000
    samples = np.arange(1, 20_001, dtype=np.float32)  # 20 s, every sample different
    stream = TrackStream(device, samples, rate, monotonic=device.clock.now, wait=device.run_until)
    device.rate = rate
    player = Player(expand(routines.load("quick"), validate(), no_speech), stream)
    player.start(lead=0.1)
    stream.follow(player.heard_origin(), player.heard_from())
    stream.sleep_until(player.heard_origin() + 5.0)  # type: ignore[operator]
    player.pause()
    stream.follow(player.heard_origin(), player.heard_from())
    assert player.position() == pytest.approx(5.0, abs=1e-3)
    stream.sleep_until(stream.now() + 3.0)
    player.resume()
    stream.follow(player.heard_origin(), player.heard_from())
    stream.sleep_until(stream.now() + 2.0)
    played = device.played
    heard = played[played > 0]
    # the track went on from where it paused: one run with a single step back on resuming,
    # no longer than what was already handed to the card (one block and its delay)
    steps = np.diff(heard)
    jumps = np.flatnonzero(steps != 1.0)
    assert heard[0] == 1.0 and len(jumps) == 1
    assert -(device.block + device.latency * rate) <= steps[jumps[0]] <= 0
    # resumed where the ear was when paused
    assert heard[jumps[0] + 1] == pytest.approx(5.0 * rate + 1, abs=1)
    # the screen's position and the sample at the ear agree (to a block)
    at_ear = int(heard[-1]) - round(device.latency * rate)
    assert abs(player.position() * rate - at_ear) <= device.block


def test_a_failing_sound_device_gives_one_notice_then_silence(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = BrokenDevice()
    monkeypatch.setattr("anklesleep.cli.start.make_device", lambda: broken)
    result = run_cli(capsys, "--db", str(tmp_path / "e.sqlite3"), "start", "quick")
    assert result.code == 0
    assert broken.opened == 1
    assert result.err.count("no sound device could be opened") == 1
    assert "Error querying device -1" in result.err
    assert "Session complete" in result.out


def test_the_real_sound_device_without_a_card_falls_back_with_one_notice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clock: ManualClock
) -> None:
    from anklesleep.player.stream import DeviceError, SoundDevice

    try:
        SoundDevice().open(22050, lambda out, delay: None).close()
    except DeviceError:
        pass
    else:
        pytest.skip("this machine has a working sound device")
    result = run_cli(capsys, "--db", str(tmp_path / "g.sqlite3"), "start", "quick")
    assert result.code == 0
    assert result.err.count("no sound device could be opened") == 1
    assert "Session complete" in result.out


def test_no_sound_opens_no_device(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = BrokenDevice()
    monkeypatch.setattr("anklesleep.cli.start.make_device", lambda: broken)
    result = run_cli(capsys, "--db", str(tmp_path / "h.sqlite3"), "start", "quick", "--no-sound")
    assert result.code == 0 and broken.opened == 0
    assert "no sound device" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quick", "--slot", "noon"], "slot: got 'noon'"),
        (["quick", "--tempo", "9"], "--tempo: got '9'"),
        (["nosuchroutine"], "routine: got 'nosuchroutine'"),
        (["quick", "--events", "/nonexistent-dir/e.jsonl"], "--events: cannot write"),
    ],
)
def test_mistakes_get_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "f.sqlite3"), "start", *args)
    assert result.code == 2
    assert result.err.startswith("anklesleep: error: ")
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.slow
def test_sigkill_mid_session_leaves_a_partial_record(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    import anklesleep

    src = str(Path(anklesleep.__file__).resolve().parents[1])
    env = {**os.environ, "ANKLESLEEP_HOME": str(tmp_path / "home"), "PYTHONPATH": src}
    command = [
        sys.executable,
        "-m",
        "anklesleep",
        "--db",
        str(db),
        "start",
        "quick",
        "--tempo",
        "0.1",
        "--plain",
        "--no-sound",
    ]
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:  # wait until the ankle circles of the left foot
            if "A2: circle 1 of 5" in line:
                break
        else:
            pytest.fail("the session ended before it reached A2")
        time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=10)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT completed, ended_at, steps_done FROM sessions").fetchall()
    finally:
        conn.close()
    [(completed, ended_at, steps)] = rows
    assert completed == 0 and ended_at is None
    assert json.loads(steps)[:2] == ["A0:left", "A1:left"]
    # the app still opens it and lists the partial session
    engine = open_database(db)
    [record] = stored_sessions(engine)
    engine.dispose()
    assert not record.completed and record.steps_done[:2] == ("A0:left", "A1:left")
