"""The timeline that will play: one truth for every duration and cue time anklesleep shows.

`timeline_to_play` expands a routine with the measured clips of the voice that will speak it (the
same clips the audio track, the terminal player and the web player use), or as a silent session
when nothing will speak. `routines`, `show`, `timeline`, `start`, `audio`, the web app and the
calendar all ask it, so they agree to the millisecond.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from anklesleep.audio.speech_timing import measured_speech, plan
from anklesleep.audio.voices import ClipCache, SpeechEngine, engine_for
from anklesleep.basics import paths
from anklesleep.basics.i18n import Translate, translator
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import SpeechSeconds, Timeline, no_speech

_caches: dict[tuple[str, str, int, str], ClipCache] = {}
_guard = threading.Lock()


def clip_cache(engine: SpeechEngine, folder: Path | None = None) -> ClipCache:
    """One clip cache per engine, voice, rate and folder in this process (clips stay in memory)."""
    where = folder if folder is not None else paths.cache_dir() / "clips"
    key = (engine.name, engine.voice, engine.rate, str(where))
    with _guard:
        if key not in _caches:
            _caches[key] = ClipCache(engine, where)
        return _caches[key]


def speaking(options: Options, engine: SpeechEngine) -> Options:
    """`options` with the voice off when nothing will speak."""
    return replace(options, voice=False) if engine.name == "none" else options


def speech_to_play(
    routine: Routine,
    options: Options,
    *,
    engine: SpeechEngine | None = None,
    translate: Translate | None = None,
    clip_dir: Path | None = None,
) -> tuple[Options, SpeechSeconds]:
    """The options and the speech lengths that `timeline_to_play` expands with."""
    voice = engine if engine is not None else engine_for(options)
    t = translate or translator(options.language)
    chosen = speaking(options, voice)
    clips = clip_cache(voice, clip_dir)
    if not chosen.voice or clips.silent:
        return replace(chosen, voice=False), no_speech
    return chosen, measured_speech(routine, chosen, clips, t)


def timeline_to_play(
    routine: Routine,
    options: Options,
    *,
    engine: SpeechEngine | None = None,
    translate: Translate | None = None,
    clip_dir: Path | None = None,
) -> Timeline:
    """The timeline a session of `routine` with `options` will play in voice `engine`
    (default: the one `options` chose — `speaker` at `speech_rate` —, else the most natural
    engine installed; "none": a silent session)."""
    voice = engine if engine is not None else engine_for(options)
    t = translate or translator(options.language)
    return plan(routine, speaking(options, voice), clip_cache(voice, clip_dir), t)
