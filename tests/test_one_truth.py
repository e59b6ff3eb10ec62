"""One truth for time: every front end shows the timeline that will play, to the millisecond."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from anklesleep.audio import mixing as track
from anklesleep.audio import voices
from anklesleep.audio.playing import speech_to_play, timeline_to_play
from anklesleep.basics.i18n import translator
from anklesleep.cli import start as start_command
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import validate
from anklesleep.routine.timeline import Timeline
from anklesleep.schedule import calendar
from anklesleep.schedule.calendar_file import routine_plans
from anklesleep.schedule.slots import SlotSettings
from anklesleep.store import preferences
from tests.cli_helpers import run_cli
from tests.web_helpers import client

pytestmark = [
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng"),
    pytest.mark.slow,
]
MS = 0.001
CASES = [
    (routine, tempo, voice)
    for routine in ("full", "quick")
    for tempo in (0.9, 1.0)
    for voice in ("espeak-ng", "none")
] + [  # the more natural voice, chosen in the stored preferences, when it is installed
    pytest.param(
        "quick",
        tempo,
        "festival",
        marks=pytest.mark.skipif(
            not voices.FestivalEngine().available(), reason="needs festvox-us-slt-hts"
        ),
    )
    for tempo in (0.9, 1.0)
]


class LoadedTrack:
    """Stands in for the terminal's audio stream: keeps the samples it is given."""

    samples: Any = None

    def load(self, samples: Any) -> None:
        self.samples = samples


def starts(cues: list[dict[str, object]]) -> list[float]:
    """The start of each chapter, from a timeline's cues as JSON."""
    seen: dict[object, float] = {}
    for cue in cues:
        seen.setdefault(cue["chapter"], float(cue["start"]))  # type: ignore[arg-type]
    return list(seen.values())


def chapter_starts(timeline: Timeline) -> list[float]:
    return [c.start for c in timeline.chapters()]


def agree(total: float, chapters: list[float], truth: Timeline) -> None:
    assert total == pytest.approx(truth.total_seconds, abs=MS)
    assert chapters == pytest.approx(chapter_starts(truth), abs=MS)


@pytest.mark.parametrize(("routine_id", "tempo", "voice"), CASES)
def test_every_front_end_shows_the_timeline_that_will_play(
    routine_id: str,
    tempo: float,
    voice: str,
    tmp_path: Path,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    routine = routines.load(routine_id)
    chosen = voice if voice == "festival" else None  # espeak-ng is the tests' default
    options = validate(tempo=tempo, speaker=chosen)
    speaker = voices.get_engine(voice)
    t = translator()
    truth = timeline_to_play(routine, options, engine=speaker, translate=t)
    if voice == "none":
        assert not truth.options.voice

    # `timeline --json --voice` (and `show`, which uses the same function)
    out = run_cli(capsys, "timeline", routine_id, "--json", "--tempo", str(tempo), "--voice", voice)
    assert out.code == 0, out.err
    data = json.loads(out.out)
    agree(data["total_seconds"], starts(data["cues"]), truth)

    # `audio`: the track and the timeline mixed into it
    rendered = track.render_track(
        routine, options, engine=speaker, fmt="wav", cache_dir=tmp_path / "tracks", translate=t
    )
    agree(rendered.duration, chapter_starts(rendered.timeline), truth)

    # `start`: the terminal plays the rendered track (voiced) or the silent timeline
    if voice == "none":
        live = start_command._silent_timeline(routine, t, replace(options, voice=False))
    else:
        loaded = LoadedTrack()
        live = start_command.Sound(loaded, routine, voice, t).render(options)  # type: ignore[arg-type]
        assert loaded.samples is not None and loaded.samples.size > 0
    agree(live.total_seconds, chapter_starts(live), truth)

    if voice != "none":  # the stored (or default) voice: what the web app and the calendar use
        if chosen:
            with engine.begin() as conn:
                preferences.save(conn, preferences.Preferences(options), dt.datetime.now(dt.UTC))
        plan = calendar.plan(routine, *speech_to_play(routine, options, translate=t), t)
        assert plan.seconds == pytest.approx(truth.total_seconds, abs=MS)
        if tempo == 1.0:
            plans = routine_plans(SlotSettings(), options, t)
            if routine_id in plans:
                assert plans[routine_id].seconds == pytest.approx(truth.total_seconds, abs=MS)
        web, _renderer = client(engine, tmp_path)
        got = web.get(f"/api/timeline?routine={routine_id}&tempo={tempo}").json()
        agree(got["total_seconds"], starts(got["cues"]), truth)
        listed = {r["id"]: r for r in web.get("/api/routines").json()["routines"]}
        if tempo == 1.0:
            assert listed[routine_id]["total_seconds"] == pytest.approx(truth.total_seconds, abs=MS)
