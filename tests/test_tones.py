"""Cue sounds: soft struck bells and ticks with fades, distinct per cue, cached as WAV files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import given, settings
from hypothesis import strategies as st

from anklesleep.audio import tones
from anklesleep.routine.timeline import (
    TONE_CIRCLE,
    TONE_DONE,
    TONE_HOLD,
    TONE_LAST_CIRCLE,
    TONE_LAST_HOLD,
    TONE_LAST_TILT,
    TONE_RELEASE,
    TONE_STEP_END,
    TONE_TILT,
)

RATE = 24000


def level_at(samples: np.ndarray, hz: float, rate: int) -> float:
    """Share of the signal's energy within 40 Hz of `hz` (about 1.0 for a pure sine)."""
    power = np.abs(np.fft.rfft(samples.astype(np.float64), n=8 * samples.size)) ** 2
    freqs = np.fft.rfftfreq(8 * samples.size, 1 / rate)
    return float(power[np.abs(freqs - hz) < 40].sum() / power.sum())


def test_tone_has_the_length_peak_and_pitch_asked_for() -> None:
    x = tones.tone(660.0, 0.5, RATE)
    assert x.dtype == np.float32
    assert x.size == 12000
    assert np.max(np.abs(x)) == pytest.approx(tones.TONE_PEAK, rel=0.01)
    assert level_at(x, 660.0, RATE) > 0.95
    assert level_at(x, 440.0, RATE) < 0.01


def test_tone_fades_in_and_out_without_a_click() -> None:
    x = tones.tone(880.0, 0.3, RATE)
    fade = round(tones.FADE_SECONDS * RATE)
    assert abs(x[0]) < 0.001 and abs(x[-1]) < 0.005
    # the first and last millisecond stay far below the peak: no step at either end
    ms = RATE // 1000
    assert np.max(np.abs(x[:ms])) < 0.05 * tones.TONE_PEAK
    assert np.max(np.abs(x[-ms:])) < 0.05 * tones.TONE_PEAK
    # no jump between neighbouring samples larger than a smooth sine's steepest step
    steepest = 2 * np.pi * 880.0 / RATE * tones.TONE_PEAK
    assert np.max(np.abs(np.diff(x))) <= steepest * 1.01
    # the fade reaches the full level after FADE_SECONDS
    assert np.max(np.abs(x[fade : fade + 200])) == pytest.approx(tones.TONE_PEAK, rel=0.02)


def test_bells_are_struck_and_die_away() -> None:
    for kind, hz in (("hold", TONE_HOLD), ("release", TONE_RELEASE), ("done", TONE_DONE)):
        bell = tones.cue_sound(kind, hz, RATE)
        assert level_at(bell, hz, RATE) > 0.8  # mostly its own pitch…
        assert level_at(bell, hz * tones.PARTIALS[0][0], RATE) > 0.005  # …with a bell's partial
        peak = np.max(np.abs(bell))
        assert np.max(np.abs(bell[bell.size * 3 // 4 :])) < 0.3 * peak  # it decays


def test_the_last_repetition_and_the_end_of_a_step_sound_different() -> None:
    assert len({TONE_HOLD, TONE_LAST_HOLD, TONE_RELEASE, TONE_STEP_END}) == 4
    assert len({TONE_CIRCLE, TONE_LAST_CIRCLE, TONE_TILT, TONE_LAST_TILT}) == 4
    end = tones.cue_sound("release", TONE_STEP_END, RATE)
    second = TONE_STEP_END * tones.SECOND_NOTE_RATIO
    assert level_at(end, TONE_STEP_END, RATE) > 0.2 and level_at(end, second, RATE) > 0.2
    # the second note comes after the first
    at = round(tones.SECOND_NOTE_DELAY * RATE)
    assert level_at(end[:at], second, RATE) < 0.01


def test_ticks_are_short_and_soft_and_the_chime_is_long() -> None:
    for kind, hz in (("circle", TONE_CIRCLE), ("tilt", TONE_TILT)):
        tick = tones.cue_sound(kind, hz, RATE)
        assert tick.size / RATE == pytest.approx(tones.SOUNDS[kind].seconds)
        assert tick.size / RATE <= 0.12
        assert np.max(np.abs(tick)) <= tones.TONE_PEAK * 1.0001
    chime = tones.cue_sound("done", TONE_DONE, RATE)
    assert chime.size / RATE > 1.0


def test_a_sound_shrinks_to_fit_its_cue_and_vanishes_when_there_is_no_room() -> None:
    assert tones.cue_sound("hold", TONE_HOLD, RATE, room=0.2).size == round(0.2 * RATE)
    full = round(tones.SOUNDS["hold"].seconds * RATE)
    assert tones.cue_sound("hold", TONE_HOLD, RATE, room=10.0).size == full
    assert tones.cue_sound("hold", TONE_HOLD, RATE, room=tones.MIN_SECONDS / 2).size == 0
    assert tones.sound_seconds("release", room=0.1) == pytest.approx(0.1)


@settings(max_examples=40, deadline=None)
@given(
    hz=st.sampled_from([TONE_HOLD, TONE_RELEASE, TONE_STEP_END, TONE_DONE, TONE_CIRCLE, 1900.0]),
    seconds=st.floats(min_value=tones.MIN_SECONDS, max_value=2.0),
    kind=st.sampled_from(sorted(tones.SOUNDS)),
)
def test_every_sound_is_bounded_and_starts_and_ends_silent(
    hz: float, seconds: float, kind: str
) -> None:
    x = tones.cue_sound(kind, hz, RATE, room=seconds)
    assert x.size == round(tones.sound_seconds(kind, seconds, hz) * RATE)
    assert np.all(np.isfinite(x))
    peak = tones.SOUNDS[kind].peak
    assert np.max(np.abs(x)) <= peak * 1.0001
    assert abs(x[0]) < 0.01 * peak + 1e-6
    assert abs(x[-1]) < 0.02 * peak + 1e-6
    # no click: no step between samples steeper than the sound's highest partial allows
    highest = hz * max(r for r, _l, _d in tones.PARTIALS) * 1.6
    assert np.max(np.abs(np.diff(x))) <= 2 * np.pi * min(highest, RATE / 2) / RATE * peak * 1.5


def test_cue_sound_wav_defaults_to_the_user_cache(isolated_home: Path) -> None:
    path = tones.cue_sound_wav("release", TONE_RELEASE)
    assert path is not None and path.is_relative_to(isolated_home)
    assert soundfile.info(str(path)).duration == pytest.approx(0.6)
    assert tones.cue_sound_wav("tilt", TONE_TILT, room=0.01) is None
