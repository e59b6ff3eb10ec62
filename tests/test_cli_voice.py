"""`voice list`, and the quick routine's length with the voice that speaks it."""

from __future__ import annotations

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
    used = voices.get_engine(None).name
    assert [line.split()[1] for line in lines if line.startswith("*") and "=" not in line] == [used]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_quick_routine_stays_within_90_seconds_with_a_voice() -> None:
    timeline = timeline_to_play(routines.load("quick"), validate(), engine=voices.get_engine(None))
    assert timeline.options.voice
    assert timeline.total_seconds <= 90.0
    assert timeline.cues[1].step == "A0"  # no introduction: the first word follows the lead-in
