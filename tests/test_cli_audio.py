"""`anklesleep audio`: the files it writes, what it says, and one clear line for every mistake."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import soundfile

from anklesleep.audio import chapters as vtt
from tests.cli_helpers import run_cli

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder for the files a command writes (the isolated home is beside it)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("anklesleep: error: ")
    return lines[0]


@needs_espeak
def test_audio_writes_the_track_and_its_chapters(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out = folder / "bedtime.opus"
    result = run_cli(capsys, "audio", "quick", "-o", str(out), "--tempo", "0.5")
    assert result.code == 0, result.err
    assert "Opus" in result.out and "espeak-ng voice" in result.out
    assert str(out) in result.out
    info = soundfile.info(str(out))
    assert info.format == "OGG" and info.subtype == "OPUS"
    chapters = vtt.parse_chapters((folder / "bedtime.opus.vtt").read_text(encoding="utf-8"))
    assert len(chapters) == 12  # 5 steps a foot, one switch, the closing
    assert f"({len(chapters)})" in result.out
    assert sorted(p.name for p in folder.iterdir()) == ["bedtime.opus", "bedtime.opus.vtt"]


@needs_espeak
def test_json_holds_the_timeline_used_with_exact_tone_samples(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out = folder / "quick.wav"
    result = run_cli(capsys, "audio", "quick", "-o", str(out), "--json", "--first-foot", "right")
    assert result.code == 0, result.err
    data = json.loads((folder / "quick.wav.json").read_text(encoding="utf-8"))
    assert data["routine"] == "quick"
    assert data["options"]["first_foot"] == "right"
    assert data["track"]["file"] == "quick.wav" and data["track"]["sample_rate"] == 24000
    frames = soundfile.info(str(out)).frames
    assert frames == data["track"]["samples"]
    tone_cues = [c for c in data["cues"] if c["tone_hz"]]
    assert len(data["tones"]) == len(tone_cues)
    for tone in data["tones"]:
        cue = data["cues"][tone["cue"]]
        assert abs(tone["sample"] - cue["start"] * 24000) <= 0.5 + 1e-3
        assert tone["tone_hz"] == cue["tone_hz"]


def test_voice_none_makes_a_tones_only_track_without_ticks(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out = folder / "tones.mp3"
    result = run_cli(
        capsys, "audio", "quick", "-o", str(out), "--voice", "none", "--no-ticks", "--json"
    )
    assert result.code == 0, result.err
    assert "tones only" in result.out and "MP3" in result.out
    data = json.loads((folder / "tones.mp3.json").read_text(encoding="utf-8"))
    assert data["options"]["voice"] is False
    assert data["speech"] == []
    assert {t["kind"] for t in data["tones"]} == {"done"}
    assert soundfile.info(str(out)).format == "MP3"


def test_a_second_run_reuses_the_rendered_track(
    capsys: pytest.CaptureFixture[str], folder: Path, isolated_home: Path
) -> None:
    first = folder / "a.wav"
    second = folder / "b.wav"
    assert run_cli(capsys, "audio", "quick", "-o", str(first), "--voice", "none").code == 0
    cached = sorted((isolated_home / "cache" / "tracks").iterdir())
    assert run_cli(capsys, "audio", "quick", "-o", str(second), "--voice", "none").code == 0
    assert sorted((isolated_home / "cache" / "tracks").iterdir()) == cached
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("name", ["walk.flac", "walk", "walk.m4a"])
def test_an_unknown_extension_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, name: str
) -> None:
    result = run_cli(capsys, "audio", "quick", "-o", str(folder / name), "--voice", "none")
    assert result.code == 2
    line = one_line_error(result.err)
    assert "--output" in line and ".opus, .ogg, .mp3 or .wav" in line
    assert list(folder.iterdir()) == []


def test_an_unwritable_output_path_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    blocker = folder / "notes.txt"
    blocker.write_text("a file, not a folder")
    result = run_cli(capsys, "audio", "quick", "-o", str(blocker / "x.opus"), "--voice", "none")
    assert result.code == 2
    assert "cannot write in" in one_line_error(result.err)
    missing = run_cli(capsys, "audio", "-o", str(folder / "nope" / "x.opus"), "--voice", "none")
    assert missing.code == 2 and "does not exist" in one_line_error(missing.err)
    is_dir = run_cli(capsys, "audio", "-o", str(folder), "--voice", "none")
    assert is_dir.code == 2 and "is a folder" in one_line_error(is_dir.err)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_missing_engine_asked_for_by_name_is_one_line(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.audio import voices as voice

    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: False)
    result = run_cli(capsys, "audio", "quick", "-o", str(folder / "a.opus"), "--voice", "espeak-ng")
    assert result.code == 2
    line = one_line_error(result.err)
    assert "espeak-ng" in line and "--voice none" in line
    assert list(folder.iterdir()) == []


def test_without_espeak_the_default_is_tones_only_and_says_so(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anklesleep.audio import voices as voice

    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: False)
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: False)
    result = run_cli(capsys, "audio", "quick", "-o", str(folder / "a.wav"))
    assert result.code == 0, result.err
    assert "No speech engine is installed" in result.err and "tones only" in result.out


def test_the_quiet_bed_and_the_rate_are_checked_in_one_line(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out = str(folder / "a.wav")
    for flag, value, name in (
        ("--bed", "-10", "--bed"),
        ("--bed", "loud", "--bed"),
        ("--rate", "400", "--rate"),
        ("--rate", "quick", "--rate"),
    ):
        result = run_cli(capsys, "audio", "quick", "-o", out, flag, value, "--voice", "none")
        assert result.code == 2
        assert name in one_line_error(result.err)
    assert list(folder.iterdir()) == []


def test_bad_options_and_routines_are_one_line(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    out = str(folder / "a.opus")
    tempo = run_cli(capsys, "audio", "quick", "-o", out, "--tempo", "9", "--voice", "none")
    assert tempo.code == 2 and "tempo" in one_line_error(tempo.err)
    unknown = run_cli(capsys, "audio", "nosuch", "-o", out, "--voice", "none")
    assert unknown.code == 2 and "routine" in one_line_error(unknown.err)
    bad_voice = run_cli(capsys, "audio", "quick", "-o", out, "--voice", "robot")
    assert bad_voice.code == 2 and "--voice" in one_line_error(bad_voice.err)
    assert list(folder.iterdir()) == []


def test_output_is_required_and_help_explains_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = run_cli(capsys, "audio", "quick")
    assert missing.code == 2 and "--output" in missing.err
    shown = run_cli(capsys, "audio", "--help")
    assert shown.code == 0
    for flag in ("--output", "--voice", "--no-ticks", "--json", "--tempo", "--first-foot"):
        assert flag in shown.out


def test_written_files_get_the_usual_permissions(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    import os

    old = os.umask(0o022)
    try:
        result = run_cli(capsys, "audio", "quick", "-o", str(folder / "a.wav"), "--voice", "none")
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    assert (folder / "a.wav").stat().st_mode & 0o777 == 0o644
    assert (folder / "a.wav.vtt").stat().st_mode & 0o777 == 0o644


def test_two_formats_of_one_name_keep_their_own_chapters(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    spoken = run_cli(capsys, "audio", "quick", "-o", str(folder / "q.wav"), "--voice", "none")
    faster = run_cli(
        capsys, "audio", "quick", "-o", str(folder / "q.mp3"), "--voice", "none", "--tempo", "0.5"
    )
    assert spoken.code == 0 and faster.code == 0
    slow_end = vtt.parse_chapters((folder / "q.wav.vtt").read_text(encoding="utf-8"))[-1][1]
    fast_end = vtt.parse_chapters((folder / "q.mp3.vtt").read_text(encoding="utf-8"))[-1][1]
    assert fast_end < slow_end
