"""The audio-output seam: choosing a player, playing without blocking, cue sounds."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from anklesleep.player.output import (
    CueSounds,
    NullOutput,
    ProcessOutput,
    RecordingOutput,
    find_player,
)
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import validate
from anklesleep.routine.timeline import Cue, expand, no_speech


def test_find_player_prefers_the_first_installed() -> None:
    installed = {"aplay": "/usr/bin/aplay", "ffplay": "/usr/bin/ffplay"}
    assert find_player(installed.get) == ["/usr/bin/aplay", "-q"]
    assert find_player({"ffplay": "/x/ffplay"}.get)[:2] == ["/x/ffplay", "-nodisp"]  # type: ignore[index]
    nothing: dict[str, str] = {}
    assert find_player(nothing.get) is None


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll `condition` (a generous limit, only so a broken build fails instead of hanging)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.01)


def _has_exited(pid: int) -> bool:
    """True once `pid` has ended: gone, or a zombie its parent has not collected yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_process_output_plays_in_the_background(tmp_path: Path) -> None:
    log, go = tmp_path / "log", tmp_path / "go"
    # Each player waits for `go` before it writes: if `play` waited for the player to finish,
    # it would never return.
    script = f'while [ ! -e {go} ]; do sleep 0.01; done; echo "$0" >> {log}'
    output = ProcessOutput(["/bin/sh", "-c", script])
    wav = tmp_path / "a.wav"
    output.play(wav)
    output.play(wav)
    assert not log.exists()  # both calls returned while the players still wait
    go.touch()
    _wait_for(lambda: log.exists() and len(log.read_text().split()) == 2, "both players")
    assert log.read_text().split() == [str(wav), str(wav)]
    output.close()


def test_stop_and_close_end_what_is_still_playing(tmp_path: Path) -> None:
    log, pid_file = tmp_path / "log", tmp_path / "pid"
    script = (
        f"echo $$ > {pid_file}.tmp; mv {pid_file}.tmp {pid_file}; "
        "trap 'kill $!; exit 143' TERM; sleep 30 & wait $!; "  # no sleep left behind
        f'echo "$0" >> {log}'
    )
    output = ProcessOutput(["/bin/sh", "-c", script])
    output.play(tmp_path / "long.wav")
    _wait_for(pid_file.exists, "the player to start")
    pid = int(pid_file.read_text())
    assert not _has_exited(pid)
    output.stop()
    _wait_for(lambda: _has_exited(pid), "the player to end after stop()")
    output.close()
    assert not Path(f"/proc/{pid}").exists()  # collected, not left as a zombie
    assert not log.exists()
    assert output.failures == 0


def test_a_missing_program_counts_as_a_failure(tmp_path: Path) -> None:
    output = ProcessOutput([str(tmp_path / "no-such-player")])
    output.play(tmp_path / "a.wav")
    output.close()
    assert output.failures == 1


def test_null_and_recording_outputs(tmp_path: Path) -> None:
    null = NullOutput()
    null.play(tmp_path / "x.wav")
    null.stop()
    null.close()
    recording = RecordingOutput(clock=lambda: 1.5)
    recording.play(tmp_path / "x.wav")
    recording.stop()
    recording.close()
    assert recording.played == [(1.5, tmp_path / "x.wav")] and recording.stops == 1
    assert recording.closed


def test_cue_sounds_pick_tone_then_words_and_cache(tmp_path: Path) -> None:
    timeline = expand(routines.load("full"), validate(), no_speech)
    asked: list[str] = []

    def speech(text: str) -> Path:
        asked.append(text)
        return tmp_path / f"say-{len(asked)}.wav"

    def tone(cue: Cue) -> Path:
        return tmp_path / f"{cue.kind}-{cue.tone_hz}hz.wav"

    sounds = CueSounds(speech, tone)
    sounds.prepare(timeline.cues)
    said = {c.say for c in timeline.cues if c.say}
    assert sorted(asked) == sorted(said)  # each text rendered once
    hold = next(c for c in timeline.cues if c.kind == "hold")
    assert sounds.files(hold) == [tmp_path / "hold-660.0hz.wav"]
    done = timeline.cues[-1]
    files = sounds.files(done)
    assert files[0].name.startswith("done-") and files[1].name.startswith("say-")
    assert CueSounds(None, None).files(done) == []
