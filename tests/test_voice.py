"""Speech engines and the clip cache: trimmed, normalized, keyed, shared and safe."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile

from anklesleep.audio import voices as voice
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.routine.options import validate
from anklesleep.testing.speech import FakeEngine

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def rms_db(x: np.ndarray) -> float:
    frames = x[: x.size // 240 * 240].reshape(-1, 240).astype(np.float64)
    levels = 10 * np.log10(np.maximum(np.mean(frames**2, axis=1), 1e-20))
    active = levels[levels > levels.max() - 30]
    return float(10 * np.log10(np.mean(10 ** (active / 10))))


def test_engines_follow_the_protocol() -> None:
    assert isinstance(voice.EspeakEngine(), voice.SpeechEngine)
    assert isinstance(voice.SilentEngine(), voice.SpeechEngine)
    assert isinstance(FakeEngine(), voice.SpeechEngine)


def test_default_engine_is_the_most_natural_one_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(voice.ENV_VOICE)
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: True)
    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: True)
    assert voice.get_engine(None).name == "festival"
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: False)
    assert voice.get_engine(None).name == "espeak-ng"
    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: False)
    assert voice.get_engine(None).name == "none"


def test_the_environment_can_name_the_default_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: True)
    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: True)
    monkeypatch.setenv(voice.ENV_VOICE, "espeak-ng")
    assert voice.get_engine(None).name == "espeak-ng"
    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: False)
    assert voice.get_engine(None).name == "festival"  # named but missing: the next best


def test_the_rate_reaches_the_engine_and_is_checked() -> None:
    assert voice.get_engine("espeak-ng", 110).rate == 110
    assert voice.get_engine("none", 110).name == "none"
    for bad in (79, 221, "fast", True, float("nan")):
        with pytest.raises(AnkleSleepError) as error:
            voice.get_engine("espeak-ng", bad)  # type: ignore[arg-type]
        assert error.value.field == "speech_rate"
        assert "80" in error.value.message and "220" in error.value.message


def test_a_stored_choice_that_is_gone_falls_back_without_failing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: False)
    engine = voice.engine_for(validate(speaker="festival", speech_rate=120))
    assert (engine.name, engine.rate) == ("espeak-ng", 120)
    assert voice.engine_for(validate(speaker="no-such-engine")).name == "espeak-ng"
    with pytest.raises(AnkleSleepError):  # asked for by name: a clear error instead
        voice.engine_for(validate(), "festival")


@pytest.mark.skipif(not voice.FestivalEngine().available(), reason="needs festvox-us-slt-hts")
def test_festival_speaks_at_the_chosen_rate(tmp_path: Path) -> None:
    text = "Put both hands around your left ankle, and breathe out slowly."
    lengths = {}
    for rate in (110, 160):
        cache = voice.ClipCache(voice.FestivalEngine(rate=rate), tmp_path)
        samples, clip_rate = cache.clip(text)
        assert clip_rate == voice.CLIP_RATE
        assert abs(rms_db(samples) - voice.SPEECH_RMS_DBFS) < 1.0  # normalized like any clip
        assert np.max(np.abs(samples)) <= 10 ** (voice.SPEECH_PEAK_DBFS / 20) + 1e-4
        lengths[rate] = samples.size / clip_rate
    # a slower rate speaks longer, roughly in proportion
    assert 1.2 < lengths[110] / lengths[160] < 1.8
    words = len(text.split())
    assert 90 < words * 60 / lengths[110] < 150


def test_festival_reports_a_broken_voice_in_one_line() -> None:
    engine = voice.FestivalEngine(voice="no_such_voice_hts")
    assert not engine.available()
    if shutil.which("text2wave") is None:
        pytest.skip("needs festival")
    with pytest.raises(AnkleSleepError) as error:
        engine.synthesize("Hello.")
    assert "\n" not in error.value.message and "no_such_voice_hts" in error.value.message


def test_a_missing_engine_asked_for_by_name_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: False)
    with pytest.raises(AnkleSleepError) as error:
        voice.get_engine("espeak-ng")
    message = error.value.message
    assert "\n" not in message
    assert "espeak-ng" in message and "apt install espeak-ng" in message
    assert "--voice none" in message


def test_an_unknown_engine_lists_the_choices() -> None:
    with pytest.raises(AnkleSleepError, match=r"--voice: got 'festivals'; choose one of"):
        voice.get_engine("festivals")
    assert voice.get_engine("None").name == "none"


def test_clip_is_trimmed_and_normalized(tmp_path: Path) -> None:
    engine = FakeEngine()
    cache = voice.ClipCache(engine, tmp_path)
    text = "Hold the big toe."
    samples, rate = cache.clip(text)
    assert rate == voice.CLIP_RATE
    # the 0.3 s of silence before and 0.5 s after are gone; the burst itself stays
    assert samples.size / rate == pytest.approx(engine.burst_seconds(text), abs=0.011)
    assert rms_db(samples) == pytest.approx(voice.SPEECH_RMS_DBFS, abs=1.0)
    assert np.max(np.abs(samples)) <= 10 ** (voice.SPEECH_PEAK_DBFS / 20) + 1e-4
    assert cache.speech_seconds(text) == samples.size / rate


def test_loud_clips_are_limited_below_full_scale(tmp_path: Path) -> None:
    engine = FakeEngine(level=1.0)
    samples, _ = voice.ClipCache(engine, tmp_path).clip("Loud.")
    assert np.max(np.abs(samples)) <= 10 ** (voice.SPEECH_PEAK_DBFS / 20) + 1e-4


def test_clips_are_synthesized_once_and_shared_through_the_disk(tmp_path: Path) -> None:
    engine = FakeEngine()
    first = voice.ClipCache(engine, tmp_path)
    a, _ = first.clip("Circle inward.")
    first.clip("Circle inward.")
    assert engine.calls == ["Circle inward."]
    second = voice.ClipCache(engine, tmp_path)  # another process, the same folder
    b, _ = second.clip("Circle inward.")
    assert engine.calls == ["Circle inward."]
    np.testing.assert_array_equal(a, b)


def test_the_key_covers_engine_voice_rate_and_text(tmp_path: Path) -> None:
    base = FakeEngine()
    keys = {
        voice.ClipCache(base, tmp_path).key("Hello."),
        voice.ClipCache(base, tmp_path).key("Hello!"),
        voice.ClipCache(FakeEngine(voice="other"), tmp_path).key("Hello."),
        voice.ClipCache(FakeEngine(rate=120), tmp_path).key("Hello."),
        voice.ClipCache(FakeEngine(name="fake2"), tmp_path).key("Hello."),
    }
    assert len(keys) == 5
    slower = FakeEngine(rate=120)
    voice.ClipCache(base, tmp_path).clip("Hello.")
    voice.ClipCache(slower, tmp_path).clip("Hello.")
    assert slower.calls == ["Hello."]


def test_wav_path_holds_the_processed_clip(tmp_path: Path) -> None:
    cache = voice.ClipCache(FakeEngine(), tmp_path)
    path = cache.wav_path("Tilt out and in.")
    data, rate = soundfile.read(str(path), dtype="float32")
    assert rate == voice.CLIP_RATE
    np.testing.assert_array_equal(data, cache.clip("Tilt out and in.")[0])
    path.unlink()  # removed behind our back: made again
    assert cache.wav_path("Tilt out and in.").exists()


def test_the_silent_engine_has_no_speech(tmp_path: Path) -> None:
    cache = voice.ClipCache(voice.SilentEngine(), tmp_path)
    assert cache.speech_seconds("Anything at all.") == 0.0
    assert cache.clip("Anything at all.")[0].size == 0
    assert soundfile.info(str(cache.wav_path("Anything"))).frames > 0


def test_a_damaged_cache_file_is_replaced(tmp_path: Path) -> None:
    engine = FakeEngine()
    cache = voice.ClipCache(engine, tmp_path)
    path = cache.wav_path("Now outward.")
    path.write_bytes(b"not a wav")
    fresh = voice.ClipCache(engine, tmp_path)
    samples, _ = fresh.clip("Now outward.")
    assert samples.size > 0 and len(engine.calls) == 2


def test_concurrent_use_leaves_whole_files_only(tmp_path: Path) -> None:
    engine = FakeEngine()
    texts = [f"Step number {i}." for i in range(6)]
    caches = [voice.ClipCache(engine, tmp_path) for _ in range(4)]
    results: dict[tuple[int, str], float] = {}

    def work(i: int) -> None:
        for text in texts:
            results[i, text] = caches[i].speech_seconds(text)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for text in texts:
        assert len({results[i, text] for i in range(4)}) == 1
    files = list((tmp_path / "fake").iterdir())
    assert len(files) == len(texts)
    assert all(f.suffix == ".wav" for f in files)


def test_prepare_synthesizes_every_missing_clip(tmp_path: Path) -> None:
    engine = FakeEngine()
    cache = voice.ClipCache(engine, tmp_path)
    cache.prepare(["One.", "Two.", "One.", "", "Three."], workers=2)
    assert sorted(engine.calls) == ["One.", "Three.", "Two."]
    cache.prepare(["One.", "Two."])
    assert len(engine.calls) == 3


def test_many_requests_measuring_on_a_cold_cache_load_no_samples(tmp_path: Path) -> None:
    # A web server's first burst of Today pages: every request measures the same session at
    # once. Each clip is made once, and none is read into memory to be measured.
    engine = FakeEngine()
    texts = [f"Step number {i}." for i in range(8)]
    cache = voice.ClipCache(engine, tmp_path)
    lengths: list[list[float]] = []

    def request() -> None:
        cache.prepare(texts, workers=2)
        lengths.append([cache.speech_seconds(text) for text in texts])

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(engine.calls) == sorted(texts)  # one synthesis per clip
    assert cache._memory == {}  # nothing loaded to measure
    assert len(lengths) == 8 and all(row == lengths[0] for row in lengths)
    assert lengths[0] == [cache.clip(text)[0].size / voice.CLIP_RATE for text in texts]


def test_a_made_clip_is_measured_from_its_header_without_loading_it(tmp_path: Path) -> None:
    engine = FakeEngine()
    texts = ["Hold the big toe.", "Circle inward, slowly.", "Rest."]
    made = voice.ClipCache(engine, tmp_path)
    lengths = {text: made.clip(text)[0].size / voice.CLIP_RATE for text in texts}
    fresh = voice.ClipCache(engine, tmp_path)  # another process: the clips are on disk
    fresh.prepare(texts)
    assert {text: fresh.speech_seconds(text) for text in texts} == lengths
    assert len(engine.calls) == len(texts)  # nothing synthesized again...
    assert fresh._memory == {}  # ...and no samples loaded to measure them


def test_stored_frames_count_what_soundfile_reads(tmp_path: Path) -> None:
    cache = voice.ClipCache(FakeEngine(), tmp_path)
    path = cache.wav_path("Tilt out and in.")
    frames = voice.stored_frames(path)
    assert frames == soundfile.info(str(path)).frames > 0
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 1001])  # cut short: fewer samples than the header says
    assert voice.stored_frames(path) == frames - 501 == soundfile.read(str(path))[0].size


def test_stored_frames_refuse_what_is_not_a_clip(tmp_path: Path) -> None:
    missing = tmp_path / "missing.wav"
    assert voice.stored_frames(missing) is None
    damaged = tmp_path / "damaged.wav"
    damaged.write_bytes(b"not a wav")
    assert voice.stored_frames(damaged) is None
    stereo = tmp_path / "stereo.wav"
    soundfile.write(str(stereo), np.zeros((100, 2), np.float32), voice.CLIP_RATE, "PCM_16")
    assert voice.stored_frames(stereo) is None
    other_rate = tmp_path / "other_rate.wav"
    soundfile.write(str(other_rate), np.zeros(100, np.float32), 22050, "PCM_16")
    assert voice.stored_frames(other_rate) is None


def test_process_clip_of_silence_is_empty() -> None:
    assert voice.process_clip(np.zeros(1000, np.float32), 22050).size == 0
    assert voice.process_clip(np.zeros(0, np.float32), 22050).size == 0


def test_resample_keeps_pitch_and_length() -> None:
    t = np.arange(22050) / 22050
    x = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    y = voice.resample(x, 22050, 24000)
    assert y.size == 24000
    spectrum = np.abs(np.fft.rfft(y))
    assert np.argmax(spectrum) == 1000  # 1 Hz bins over one second
    assert np.max(np.abs(y[2000:-2000])) == pytest.approx(0.5, rel=0.01)


@needs_espeak
def test_espeak_speaks_calmly_and_safely(tmp_path: Path) -> None:
    engine = voice.get_engine("espeak-ng")
    assert engine.rate < 175  # slower than espeak-ng's default
    raw, rate = engine.synthesize("-v is not an option here, just words.")
    assert rate == 22050 and raw.size > rate  # over a second of speech
    cache = voice.ClipCache(engine, tmp_path)
    clip, _ = cache.clip("Rest your feet.")
    assert 0.5 < clip.size / voice.CLIP_RATE < 3.0
    assert rms_db(clip) == pytest.approx(voice.SPEECH_RMS_DBFS, abs=1.5)


@needs_espeak
def test_espeak_with_an_unknown_voice_fails_in_one_line() -> None:
    engine = voice.EspeakEngine(voice="xx-nonexistent")
    with pytest.raises(AnkleSleepError) as error:
        engine.synthesize("Hello.")
    assert "\n" not in error.value.message and "xx-nonexistent" in error.value.message


def test_the_voice_variable_may_name_one_engine_per_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from anklesleep.audio import voices

    monkeypatch.setenv(voices.ENV_VOICE, "espeak-ng,none")
    if voices.EspeakEngine().available():
        assert voices.default_engine(language="en").name == "espeak-ng"
    # espeak-ng is never given Japanese: the next name that reads it, "none", is used
    assert voices.default_engine(language="ja").name == "none"
    monkeypatch.setenv(voices.ENV_VOICE, "no-such-engine, none")
    assert voices.default_engine(language="en").name == "none"


def test_many_requests_for_one_clip_synthesize_it_once_and_never_more_than_a_core_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixteen threads (as sixteen web requests would, each with its own cache object) want the
    same four clips: each clip is synthesized once, and no more syntheses run at once than the
    process has slots."""
    monkeypatch.setattr(voice, "_SYNTHESIS_SLOTS", threading.BoundedSemaphore(2))
    engine = FakeEngine()
    running = 0
    most = 0
    count_lock = threading.Lock()
    release = threading.Event()
    real = engine.synthesize

    def slow_synthesize(text: str) -> tuple[np.ndarray, int]:
        nonlocal running, most
        with count_lock:
            running += 1
            most = max(most, running)
        release.wait(timeout=0.05)  # hold the slot a moment so that others pile up
        try:
            return real(text)
        finally:
            with count_lock:
                running -= 1

    monkeypatch.setattr(engine, "synthesize", slow_synthesize)
    texts = [f"Clip number {i}." for i in range(4)]
    start = threading.Barrier(16)

    def ask(n: int) -> None:
        start.wait()
        cache = voice.ClipCache(engine, tmp_path)
        for text in texts[n % 4 :] + texts[: n % 4]:
            cache.clip(text)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(engine.calls) == sorted(texts)  # each clip once
    assert most <= 2


class _CountingEngine(FakeEngine):
    """A fake engine that notes every synthesis and how many ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[str] = []
        self.running = 0
        self.most = 0
        self.guard = threading.Lock()
        self.overlap = threading.Event()

    def synthesize(self, text: str) -> tuple[voice.Samples, int]:
        with self.guard:
            self.made.append(text)
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            self.overlap.wait(0.05)  # never set: only gives the other threads time to ask
            return super().synthesize(text)
        finally:
            with self.guard:
                self.running -= 1


def test_threads_asking_for_clips_at_once_share_each_synthesis(tmp_path: Path) -> None:
    """A busy server on a cold cache: many requests ask for the same words at once. Each text
    is synthesized once, and no more engines run at a time than the cores allow."""
    engine = _CountingEngine()
    cache = voice.ClipCache(engine, tmp_path)
    texts = ["the same words"] * 8 + [f"words {n}" for n in range(8)]
    barrier = threading.Barrier(len(texts))
    lengths: list[int] = []

    def ask(text: str) -> None:
        barrier.wait()
        lengths.append(cache.clip(text)[0].size)

    threads = [threading.Thread(target=ask, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(engine.made) == sorted(set(texts))
    assert engine.most <= voice.SYNTHESIS_AT_ONCE
    assert len(lengths) == len(texts) and all(lengths)
