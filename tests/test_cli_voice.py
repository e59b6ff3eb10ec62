"""`voice list`, and the quick routine's length with the voice that speaks it."""

from __future__ import annotations

import json
import shutil

import pytest

from anklesleep.audio import voices
from anklesleep.audio.playing import timeline_to_play
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import validate
from tests.cli_helpers import run_cli


def test_voice_list_names_every_engine_and_marks_the_one_used(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run_cli(capsys, "voice", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    for name in voices.ENGINES:
        assert any(line[2:].startswith(name) for line in lines)
    # one mark for each language: the engine (and voice) that reads it
    used = {voices.speaker_id(voices.get_engine(None, language=lang)) for lang in ("en", "ja")}
    marked = [line.split() for line in lines if line.startswith("*") and "=" not in line]
    assert {row[1] for row in marked} == used
    assert all(row[2] in ("English", "Japanese", "any") for row in marked)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_quick_routine_stays_within_90_seconds_with_a_voice() -> None:
    timeline = timeline_to_play(routines.load("quick"), validate(), engine=voices.get_engine(None))
    assert timeline.options.voice
    assert timeline.total_seconds <= 90.0
    assert timeline.cues[1].step == "A0"  # no introduction: the first word follows the lead-in


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_the_chosen_voice_and_rate_are_stored_and_used_everywhere(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def quick_total(*extra: str) -> float:
        result = run_cli(capsys, "timeline", "quick", *extra)
        assert result.code == 0, result.err
        return float(json.loads(result.out)["total_seconds"])

    calm = quick_total()
    assert run_cli(capsys, "voice", "use", "espeak-ng").code == 0
    chosen = run_cli(capsys, "voice", "rate", "100")
    assert chosen.code == 0 and "100" in chosen.out
    listed = run_cli(capsys, "voice", "list").out
    # a row's details may wrap onto indented lines under themselves
    rows = " ".join(
        line.strip() if line.startswith("   ") else "\n" + line for line in listed.splitlines()
    ).splitlines()
    assert any(row.startswith("* espeak-ng") and "100 words a minute" in row for row in rows)
    slower = quick_total()
    assert slower > calm + 5  # the same words at 100 instead of 130 words a minute
    # the stored rate reaches the timeline that plays, and an explicit --voice keeps it
    engine = voices.get_engine("espeak-ng", 100)
    expected = timeline_to_play(routines.load("quick"), validate(speech_rate=100), engine=engine)
    assert abs(slower - expected.total_seconds) < 1e-3
    assert abs(quick_total("--voice", "espeak-ng") - expected.total_seconds) < 1e-3
    assert run_cli(capsys, "voice", "use", "auto").code == 0
    assert run_cli(capsys, "voice", "rate", "130").code == 0
    assert abs(quick_total() - calm) < 1e-3


def test_choosing_a_missing_or_unknown_voice_or_rate_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voices.FestivalEngine, "available", lambda self: False)
    for args, word in (
        (("use", "festival"), "festival"),
        (("use", "piper"), "piper"),
        (("rate", "30"), "80"),
        (("rate", "fast"), "fast"),
    ):
        result = run_cli(capsys, "voice", *args)
        assert result.code == 2
        assert word in result.err and len(result.err.strip().splitlines()) == 1
