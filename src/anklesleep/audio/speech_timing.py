"""How long a session's speech takes, and where in each cue it starts: the timeline to mix.

Light on purpose (no NumPy, no sound files read): the lengths come from the clip cache's WAV
headers (`ClipCache.speech_seconds`), so `slots`, Today and the calendar measure a session
without loading audio, and the mixer (`mixing`) places each clip where these lengths say.
"""

from __future__ import annotations

from dataclasses import replace

from anklesleep.audio.tones import sound_seconds
from anklesleep.audio.voices import ClipCache
from anklesleep.basics.i18n import Translate
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.script import builtin_script
from anklesleep.routine.timeline import (
    COUNT_DELAY,
    Cue,
    SpeechSeconds,
    Timeline,
    estimate_speech_seconds,
    expand,
)

#: Silence between a tone and speech in the same cue (the closing chime, then the words).
TONE_SPEECH_GAP = 0.25


def speech_lead(cue: Cue) -> float:
    """Seconds after a cue's start at which its speech begins: after its tone, if it has one.

    Spoken counts start at the timeline's `COUNT_DELAY` for their kind, after the sound.
    """
    if cue.say and cue.kind in COUNT_DELAY:
        return COUNT_DELAY[cue.kind]
    if cue.say and cue.tone_hz:
        return sound_seconds(cue.kind, None, cue.tone_hz) + TONE_SPEECH_GAP
    return 0.0


def measured_speech(
    routine: Routine, options: Options, clips: ClipCache, translate: Translate
) -> SpeechSeconds:
    """How long each text of a session takes to say in the voice of `clips`, measured.

    Every clip the session may speak that is not made yet is synthesized first, several at a
    time. A cue that both sounds a tone and speaks (the closing) gets room for the tone before
    its words.
    """
    draft = expand(routine, options, estimate_speech_seconds, translate)
    said = [c.say for c in draft if c.say]
    # counts fit inside their cue by construction; only a cue that lengthens for its words
    # (the closing, after its chime) needs room for its sound before them
    lead = {c.say: speech_lead(c) for c in draft if c.say and c.kind == "done"}
    script = builtin_script()
    clips.prepare([*said, *(translate(c) for c in (*script.counts, script.last))])

    def measured(text: str) -> float:
        seconds = clips.speech_seconds(text)
        return seconds + lead.get(text, 0.0) if seconds else 0.0

    return measured


def plan(routine: Routine, options: Options, clips: ClipCache, translate: Translate) -> Timeline:
    """The timeline to mix: expanded with the measured length of every clip (see
    `measured_speech`), or the silent timeline when nothing is spoken."""
    if not options.voice or clips.silent:
        return expand(routine, replace(options, voice=False), lambda _t: 0.0, translate)
    return expand(routine, options, measured_speech(routine, options, clips, translate), translate)
