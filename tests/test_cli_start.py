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

import pytest

from anklesleep.player.clock import ManualClock
from anklesleep.player.output import RecordingOutput
from anklesleep.store import open_database
from anklesleep.store.sessions import list_sessions
from tests.cli_helpers import run_cli


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    manual = ManualClock()
    monkeypatch.setattr("anklesleep.cli.start.make_clock", lambda: manual)
    return manual


@pytest.fixture
def output(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> RecordingOutput:
    recording = RecordingOutput(clock=clock.now)
    monkeypatch.setattr("anklesleep.cli.start.make_output", lambda: recording)
    return recording


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
    assert cue_lines[0].startswith("[0:00] Ankle, left foot, A0: take the grip")
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
    assert records[2]["kind"] == "circle" and records[2]["rep"] == 1
    engine = open_database(db)
    [session] = list_sessions(engine)
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


def test_tones_and_voice_play_at_their_cues(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    clock: ManualClock,
    output: RecordingOutput,
) -> None:
    import shutil

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (the test command installs it)")
    import soundfile

    from anklesleep.audio import voices as voice
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate
    from anklesleep.routine.timeline import expand

    result = run_cli(capsys, "--db", str(tmp_path / "c.sqlite3"), "start", "quick")
    assert result.code == 0, result.err
    assert output.closed
    played = [(at, path) for at, path in output.played]
    assert played, "nothing was played"
    assert all(path.exists() for _, path in played)
    # speech clips come from the shared clip cache, tones from the tone cache
    cache = voice.ClipCache(voice.get_engine(None))
    timeline = expand(routines.load("quick"), validate(), cache.speech_seconds)
    start = played[0][0]
    assert start is not None
    by_time: dict[float, list[Path]] = {}
    for at, path in played:
        assert at is not None
        by_time.setdefault(round(at - start, 6), []).append(path)
    for cue in timeline.cues:
        files = by_time.get(round(cue.start, 6), [])
        if cue.say:
            assert cache.wav_path(cue.say) in files
            # the announcement lasts at least as long as its spoken clip
            info = soundfile.info(str(cache.wav_path(cue.say)))
            assert cue.duration >= info.frames / info.samplerate
        if cue.tone_hz is not None:
            assert any("hz" in p.name for p in files)


def test_no_voice_keeps_tones_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, clock: ManualClock, output: RecordingOutput
) -> None:
    result = run_cli(capsys, "--db", str(tmp_path / "d.sqlite3"), "start", "quick", "--no-voice")
    assert result.code == 0, result.err
    assert output.played
    assert all("hz" in path.name for _, path in output.played)


def test_no_audio_player_gives_one_notice_then_silence(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("anklesleep.cli.start.make_output", lambda: None)
    result = run_cli(capsys, "--db", str(tmp_path / "e.sqlite3"), "start", "quick")
    assert result.code == 0
    assert result.err.count("no audio player found") == 1
    assert "Session complete" in result.out


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
    exe = Path(sys.executable).parent / "anklesleep"
    env = {**os.environ, "ANKLESLEEP_HOME": str(tmp_path / "home")}
    command = [
        str(exe),
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
    [record] = list_sessions(engine)
    engine.dispose()
    assert not record.completed and record.steps_done[:2] == ("A0:left", "A1:left")
