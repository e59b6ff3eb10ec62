"""Rendered tracks as a listener gets them: decoded Opus and MP3 measured with real meters."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from anklesleep.audio import loudness
from anklesleep.audio import mixing as track
from anklesleep.audio.tones import SOUNDS, TONE_PEAK, sound_seconds
from anklesleep.audio.voices import SPEECH_RMS_DBFS, get_engine
from anklesleep.routine import catalog as routines
from anklesleep.routine.options import validate
from tests.test_track import check_onsets, decode

pytestmark = pytest.mark.slow
needs_tools = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None,
    reason="needs espeak-ng and ffmpeg",
)
RATE = 24000


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) of a file, by ffmpeg's EBU R 128 meter."""
    result = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = result.stderr[result.stderr.rindex("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary)
    assert integrated and peak, summary
    return float(integrated.group(1)), float(peak.group(1))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], track.RenderedTrack]:
    folder = tmp_path_factory.mktemp("tracks")
    clips = tmp_path_factory.mktemp("clips")

    def render(fmt: str) -> track.RenderedTrack:
        return track.render_track(
            routines.load("quick"),
            validate(),
            engine=get_engine(None),
            fmt=fmt,
            cache_dir=folder,
            clip_dir=clips,
        )

    return render


@needs_tools
@pytest.mark.parametrize("fmt", ["opus", "mp3"])
def test_decoded_tracks_meet_the_loudness_target_and_keep_every_cue(
    rendered: Callable[[str], track.RenderedTrack], fmt: str
) -> None:
    result = rendered(fmt)
    lufs, peak = ebur128(result.path)
    assert lufs == pytest.approx(loudness.TARGET_LUFS, abs=0.5)
    assert peak <= loudness.TRUE_PEAK_DBTP + 0.3  # the codec may add a little
    samples = decode(result.path, 48000)
    assert np.max(np.abs(samples)) < 1.0  # nothing clipped
    meter = pyloudnorm.Meter(48000).integrated_loudness(samples.astype(np.float64))
    assert meter == pytest.approx(loudness.TARGET_LUFS, abs=0.5)
    check_onsets(samples, 48000, result.timeline, tolerance=0.001)
    # the voice over the bells, measured in the decoded file: the loudest bell (its first
    # 100 ms) against the typical spoken sentence (RMS of its first 600 ms)
    data = track.track_json(
        result.timeline, fmt=result.format, engine=get_engine(None), ticks=True, rate=48000
    )

    def rms_db(start: float, seconds: float) -> float:
        part = samples[round(start * 48000) : round((start + seconds) * 48000)]
        return float(10 * np.log10(np.mean(part.astype(np.float64) ** 2)))

    bells = [rms_db(t["start"] + 0.02, 0.1) for t in data["tones"]]
    voice = [rms_db(s["start"], 0.6) for s in data["speech"] if len(s["say"].split()) > 2]
    assert float(np.median(voice)) - max(bells) >= 3.0


def test_own_meter_agrees_with_pyloudnorm() -> None:
    rng = np.random.default_rng(3)
    noise = (rng.standard_normal(RATE * 5) * 0.05).astype(np.float32)
    noise[RATE : 2 * RATE] = 0  # a silence, gated out
    expected = pyloudnorm.Meter(RATE).integrated_loudness(noise.astype(np.float64))
    # pyloudnorm rounds the filter's corner frequencies; ours are BS.1770's own (as libebur128)
    assert loudness.integrated_lufs(noise, RATE) == pytest.approx(expected, abs=0.1)


def test_normalize_reaches_the_target_without_clipping() -> None:
    rng = np.random.default_rng(4)
    loud = (np.clip(rng.standard_normal(RATE * 6) * 0.4, -0.99, 0.99)).astype(np.float32)
    out = loudness.normalize(loud, RATE)
    assert loudness.integrated_lufs(out, RATE) == pytest.approx(loudness.TARGET_LUFS, abs=0.2)
    assert loudness.true_peak_dbtp(out, RATE) <= loudness.TRUE_PEAK_DBTP + 1e-6
    silence = np.zeros(RATE, dtype=np.float32)
    assert np.array_equal(loudness.normalize(silence, RATE), silence)


def test_the_limiter_never_jumps() -> None:
    x = np.zeros(RATE, dtype=np.float32)
    x[RATE // 2 : RATE // 2 + 240] = 0.99  # a hard peak
    x[: RATE // 2] = 0.1
    out = loudness.limit(x, RATE, ceiling_dbfs=-6.0)
    assert np.max(np.abs(out)) <= 10 ** (-6 / 20) + 1e-6
    assert np.allclose(out[: RATE // 4], x[: RATE // 4])  # far from the peak: untouched


def test_every_bell_sits_at_least_3_db_under_the_voice() -> None:
    # the loudest sounding part of a bell (a sine at its peak: RMS 3 dB under it) against the
    # voice's RMS level; the track's normalization scales both alike
    for kind, sound in SOUNDS.items():
        bell_rms_db = 20 * np.log10(sound.peak / np.sqrt(2))
        assert SPEECH_RMS_DBFS - bell_rms_db >= 3.0, kind
    assert sound_seconds("hold") > 0 and TONE_PEAK < 10 ** (SPEECH_RMS_DBFS / 20)


@needs_tools
def test_the_quiet_bed_fills_every_silence_and_keeps_the_target(tmp_path: Path) -> None:
    def render(bed: float | None) -> track.RenderedTrack:
        return track.render_track(
            routines.load("quick"),
            validate(bed=bed),
            engine=get_engine(None),
            fmt="opus",
            cache_dir=tmp_path / "tracks",
            clip_dir=tmp_path / "clips",
        )

    def quietest_window_db(samples: np.ndarray, rate: int, start: float) -> float:
        """The quietest 100 ms (RMS) of the decoded track after `start` seconds."""
        part = samples[round(start * rate) :].astype(np.float64)
        frames = part[: part.size // (rate // 10) * (rate // 10)].reshape(-1, rate // 10)
        return float(10 * np.log10(max(np.min(np.mean(frames**2, axis=1)), 1e-20)))

    plain, bedded = render(None), render(-48.0)
    assert plain.path != bedded.path  # the bed is part of what a cached track is keyed by
    lufs, peak = ebur128(bedded.path)
    assert lufs == pytest.approx(loudness.TARGET_LUFS, abs=0.5)
    assert peak <= loudness.TRUE_PEAK_DBTP + 0.3
    samples = decode(bedded.path, 48000)
    assert np.max(np.abs(samples)) < 1.0
    check_onsets(samples, 48000, bedded.timeline, tolerance=0.001)  # the bells still stand out
    # without the bed the pauses are (nearly) digital silence; with it, never quieter than
    # about the bed's level, from the end of its fade-in to the start of its fade-out
    end = bedded.timeline.total_seconds - 1.6
    assert quietest_window_db(decode(plain.path, 48000), 48000, 1.6) < -80.0
    quiet = quietest_window_db(samples[: round(end * 48000)], 48000, 1.6)
    assert -54.0 < quiet < -44.0
    # in the lead-in, after the fade-in, the bed alone plays at its level (within 2 dB)
    lead = samples[round(1.55 * 48000) : round(1.95 * 48000)].astype(np.float64)
    assert 10 * np.log10(np.mean(lead**2)) == pytest.approx(-48.0, abs=2.0)


def test_a_mix_rendered_again_reuses_its_gains_and_matches_to_the_sample(tmp_path: Path) -> None:
    import soundfile

    from anklesleep.audio.voices import EspeakEngine

    engine = EspeakEngine() if EspeakEngine().available() else get_engine("none")

    def render(tracks: str) -> np.ndarray:
        result = track.render_track(
            routines.load("quick"),
            validate(bed=-50.0),
            engine=engine,
            fmt="wav",
            cache_dir=tmp_path / tracks,
            clip_dir=tmp_path / "clips",
        )
        data, _rate = soundfile.read(str(result.path), dtype="int16")
        return np.asarray(data)

    first = render("a")
    saved = list((tmp_path / "clips" / "loudness").glob("*.json"))
    assert len(saved) == 1
    again = render("b")  # a fresh track cache: mixed again, the meter skipped
    assert np.array_equal(first, again)
    # a damaged note of the gains is measured again, never trusted
    saved[0].write_text("{not json", encoding="utf-8")
    assert np.array_equal(render("c"), first)
    assert loudness.integrated_lufs(first.astype(np.float64) / 32768, RATE) == pytest.approx(
        loudness.TARGET_LUFS, abs=0.2
    )
