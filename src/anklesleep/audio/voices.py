"""Speech engines behind one small Protocol, and an on-disk cache of processed speech clips.

An engine turns text into float32 mono samples. `ClipCache` trims each clip's leading and
trailing silence, normalizes its loudness, resamples it to `CLIP_RATE` and keeps it on disk keyed
by engine, voice, rate and text, so the audio track, the terminal player and the web app share
one set of clips and measure speech from the very samples they play. A new engine (a neural voice)
only needs `name`, `voice`, `rate`, `available()` and `synthesize()`, plus a line in `ENGINES`;
nothing downstream changes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from anklesleep.audio import kokoro
from anklesleep.audio.kokoro import KokoroEngine
from anklesleep.basics import files, paths
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _
from anklesleep.routine.options import Options, check_speech_rate

if TYPE_CHECKING:  # NumPy loads with the first clip made or read: a clip's length needs none
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]

#: Sample rate of processed clips and rendered tracks: one that Opus accepts (8/12/16/24/48 kHz)
#: and above espeak-ng's 22.05 kHz, so nothing of the voice is lost.
CLIP_RATE = 24000
#: Loudness of processed speech: RMS over its voiced frames (dBFS) and the peak ceiling (dBFS).
SPEECH_RMS_DBFS = -20.0
SPEECH_PEAK_DBFS = -1.0
#: Frames quieter than this below the clip's loudest frame count as silence when trimming.
SILENCE_BELOW_PEAK_DB = 45.0
#: Bump when clip processing changes, so old cached clips are not reused.
PROCESSING_VERSION = 1
#: The default speaking rate in words a minute: calm (speech engines default to about 175).
DEFAULT_RATE = 130


@runtime_checkable
class SpeechEngine(Protocol):
    """Turns text into speech samples. `name`, `voice` and `rate` key the clip cache."""

    @property
    def name(self) -> str: ...

    @property
    def voice(self) -> str: ...

    @property
    def rate(self) -> int: ...

    def available(self) -> bool:
        """Whether this engine can speak on this machine (its program or model is installed)."""
        ...

    def synthesize(self, text: str) -> tuple[Samples, int]:
        """Speak `text`: float32 mono samples in -1..1 and their sample rate."""
        ...


@dataclass(frozen=True)
class EspeakEngine:
    """The espeak-ng program: robotic but offline, small and fast. Slow and a little low: calm."""

    voice: str = "en-us"
    rate: int = DEFAULT_RATE  # words a minute: calm (espeak-ng's default is 175)
    pitch: int = 42  # 0-99, default 50
    program: str = "espeak-ng"
    name: str = "espeak-ng"
    language: str = "en"  # the language it reads (its voice is English)

    def available(self) -> bool:
        return shutil.which(self.program) is not None

    def synthesize(self, text: str) -> tuple[Samples, int]:
        with tempfile.TemporaryDirectory(prefix="anklesleep-espeak-") as folder:
            out = Path(folder) / "clip.wav"
            command = [
                self.program,
                "-v",
                self.voice,
                "-s",
                str(self.rate),
                "-p",
                str(self.pitch),
                "-z",  # no final sentence pause: trailing silence is trimmed anyway
                "-b",
                "1",  # UTF-8 input
                "-w",
                str(out),
                "--stdin",  # text on stdin: safe for any characters, including a leading "-"
            ]
            try:
                done = subprocess.run(
                    command, input=text.encode("utf-8"), capture_output=True, check=False
                )
            except OSError as exc:
                raise AnkleSleepError(
                    _(
                        "voice: cannot run {program!r} ({exc}); install espeak-ng or choose "
                        "--voice none"
                    ).format(program=self.program, exc=exc),
                    field="voice",
                ) from None
            if done.returncode != 0 or not out.exists():
                raise AnkleSleepError(
                    _(
                        "voice: espeak-ng voice {voice!r} failed ({detail}); check `espeak-ng "
                        "--voices` or choose --voice none"
                    ).format(
                        voice=self.voice,
                        detail=_failure(done),
                    ),
                    field="voice",
                )
            return _mono(out)


def _failure(done: subprocess.CompletedProcess[bytes]) -> str:
    """The last line a speech program wrote on stderr, or its exit status."""
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def _mono(path: Path) -> tuple[Samples, int]:
    """A WAV file a speech program wrote, as mono float32 samples and their rate."""
    import numpy as np
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return np.ascontiguousarray(data.mean(axis=1), dtype=np.float32), int(rate)


@dataclass(frozen=True)
class FestivalEngine:
    """Festival with the CMU SLT HTS voice: a statistical (HMM) US English voice, smoother and
    more natural than espeak-ng, offline, about 2 MB of voice data. Driven through `text2wave`.
    """

    voice: str = "cmu_us_slt_arctic_hts"
    rate: int = DEFAULT_RATE
    program: str = "text2wave"
    name: str = "festival"
    language: str = "en"  # the language it reads (an English voice)
    #: the speed factor given to the HTS engine is `rate / NATURAL_RATE`. Calibrated so that a
    #: rate means the same pace as espeak-ng's: measured on the full routine's sentences of six
    #: words or more (trimmed), espeak-ng at 130 speaks 151 words a minute and this voice at
    #: speed 1.0 speaks 197, so 130 -> 197 / (151 / 130) = 170.
    NATURAL_RATE = 170.0

    @property
    def tuning(self) -> str:
        """What else shapes the clips (part of the clip cache's key)."""
        return f"r/{self.NATURAL_RATE:g}"

    def _voice_folder(self) -> Path | None:
        for root in ("/usr/share/festival/voices", "/usr/local/share/festival/voices"):
            found = sorted(Path(root).glob(f"*/{self.voice}"))
            if found:
                return found[0]
        return None

    def available(self) -> bool:
        return shutil.which(self.program) is not None and self._voice_folder() is not None

    def synthesize(self, text: str) -> tuple[Samples, int]:
        speed = max(0.3, min(3.0, self.rate / self.NATURAL_RATE))
        with tempfile.TemporaryDirectory(prefix="anklesleep-festival-") as folder:
            source = Path(folder) / "say.txt"
            out = Path(folder) / "clip.wav"
            source.write_text(text, encoding="utf-8")
            command = [
                self.program,
                "-eval",
                f"(voice_{self.voice})",
                "-eval",
                # the HTS engine's speed: below 1 speaks more slowly
                "(set! hts_engine_params (append hts_engine_params "
                f'(list (list "-r" {speed:.4f}))))',
                "-o",
                str(out),
                str(source),  # text from a file: safe for any characters, even a leading "-"
            ]
            try:
                done = subprocess.run(command, capture_output=True, check=False)
            except OSError as exc:
                raise AnkleSleepError(
                    _(
                        "voice: cannot run {program!r} ({exc}); install festival or choose "
                        "--voice espeak-ng"
                    ).format(program=self.program, exc=exc),
                    field="voice",
                ) from None
            if done.returncode != 0 or not out.exists() or out.stat().st_size <= 44:
                raise AnkleSleepError(
                    _(
                        "voice: Festival voice {voice!r} failed ({detail}); reinstall "
                        "festvox-us-slt-hts or choose --voice espeak-ng"
                    ).format(
                        voice=self.voice,
                        detail=_failure(done),
                    ),
                    field="voice",
                )
            return _mono(out)


@dataclass(frozen=True)
class SilentEngine:
    """No voice: tones only. Every clip is empty, so announcements take their minimum time."""

    voice: str = "none"
    rate: int = 0
    name: str = "none"

    def available(self) -> bool:
        return True

    def synthesize(self, text: str) -> tuple[Samples, int]:
        import numpy as np

        return np.zeros(0, dtype=np.float32), CLIP_RATE


#: engine name -> factory (given the speaking rate). Order matters: the most natural first; the
#: first available one that reads the session's language is the default.
ENGINES: dict[str, Callable[[int], SpeechEngine]] = {
    "kokoro": lambda rate: KokoroEngine(rate=rate),
    "festival": lambda rate: FestivalEngine(rate=rate),
    "espeak-ng": lambda rate: EspeakEngine(rate=rate),
    "none": lambda rate: SilentEngine(),
}
#: what to install for each engine, for the error when it is asked for but missing
INSTALL_HINTS: dict[str, str] = {
    "kokoro": kokoro.INSTALL_HINT,
    "festival": "install festival and festvox-us-slt-hts (Debian/Ubuntu: sudo apt install "
    "festival festvox-us-slt-hts)",
    "espeak-ng": "install espeak-ng (Debian/Ubuntu: sudo apt install espeak-ng)",
}
#: engines with voices to choose from: engine name -> the voices installed. A stored choice
#: `kokoro.jf_nezumi` means that engine with that voice (a bare name: its default voice).
VOICE_CHOICES: dict[str, Callable[[], list[str]]] = {"kokoro": kokoro.voice_names}
#: engine name -> factory given the rate and a voice, for the engines in `VOICE_CHOICES`
VOICED: dict[str, Callable[[int, str], SpeechEngine]] = {
    "kokoro": lambda rate, voice: KokoroEngine(voice=voice, rate=rate),
}
#: language names for listings (the language codes an engine reads)
LANGUAGE_NAMES: dict[str, str] = {"en": N_("English"), "ja": N_("Japanese")}


def language_name(code: str | None) -> str:
    """The translated name of a language an engine reads ("English"); "any" for None (the
    silent engine)."""
    if code is None:
        return _("any")
    return _(LANGUAGE_NAMES.get(code, code))


def base_language(language: str | None) -> str:
    """The language part of a code: "ja_JP" and "ja-JP" -> "ja"; none or empty -> "en"."""
    code = (language or "en").strip().lower().replace("-", "_")
    return code.split("_", 1)[0] or "en"


def engine_language(engine: SpeechEngine) -> str | None:
    """The language an engine reads (None: any, as the silent engine reads nothing aloud)."""
    if engine.name == "none":
        return None
    return str(getattr(engine, "language", "en"))


def reads(engine: SpeechEngine, language: str) -> bool:
    """Whether `engine` can read text in `language` (the silent engine fits every language)."""
    spoken = engine_language(engine)
    return spoken is None or spoken == base_language(language)


def speaker_id(engine: SpeechEngine) -> str:
    """The name that chooses exactly this engine and voice: "espeak-ng", "kokoro.jm_kumo"."""
    if engine.name in VOICE_CHOICES:
        return f"{engine.name}.{engine.voice}"
    return engine.name


def installed_speakers() -> list[str]:
    """Every engine and voice installed here that can be chosen, the most natural first
    ("kokoro.jf_alpha", ..., "festival", "espeak-ng"; not "none", the voice switch)."""
    found: list[str] = []
    for key, make in ENGINES.items():
        if key == "none" or not make(DEFAULT_RATE).available():
            continue
        if key in VOICE_CHOICES:
            found.extend(f"{key}.{voice}" for voice in VOICE_CHOICES[key]())
        else:
            found.append(key)
    return found


def check_rate(rate: object) -> int:
    """A speaking rate in words a minute, or `AnkleSleepError` naming the range."""
    checked = check_speech_rate(rate)
    return DEFAULT_RATE if checked is None else checked


#: An environment variable naming the engine to use when none is chosen (if it is installed).
ENV_VOICE = "ANKLESLEEP_VOICE"

_logger = logging.getLogger(__name__)
_told_silent: set[str] = set()


def _say_silent_once(language: str) -> None:
    """Tell once per process (on the log, shown on stderr) that `language` will not be spoken."""
    if language in _told_silent:
        return
    _told_silent.add(language)
    hint = kokoro.INSTALL_HINT if language in kokoro.READS else _("no engine reads it yet")
    _logger.warning(
        _(
            "No voice that reads {language} is installed, so sessions play tones and text "
            "only; for a voice: {hint}"
        ).format(language=language_name(language), hint=hint)
    )


def _candidates(rate: int) -> Iterator[SpeechEngine]:
    """Every engine and voice that could speak, the most natural first ("none" left out): an
    engine with voices to choose offers each of them (its packaged ones first), so a voice a
    person added for a language speaks it when no other voice of that engine reads it."""
    for key, factory in ENGINES.items():
        if key == "none":
            continue
        engine = factory(rate)
        yield engine
        if key in VOICED and engine.available():
            for voice in VOICE_CHOICES[key]():
                if voice != engine.voice:
                    yield VOICED[key](rate, voice)


def default_engine(rate: int = DEFAULT_RATE, *, language: str = "en") -> SpeechEngine:
    """The engine `$ANKLESLEEP_VOICE` names (the first of a comma-separated list) when it is
    installed and reads `language`, else the
    most natural installed engine that reads it, else "none" (tones and text only; said once
    for a language other than English). English text is never given to a Japanese voice, nor
    Japanese text to an English one."""
    lang = base_language(language)
    # "$ANKLESLEEP_VOICE" may name several engines, "espeak-ng,none": the first one installed
    # that reads the language speaks it ("none", tones and text, fits every language)
    for named in os.environ.get(ENV_VOICE, "").lower().split(","):
        if not named.strip():
            continue
        try:
            engine = installed_engine(named.strip(), rate)
        except AnkleSleepError:
            continue
        if reads(engine, lang):
            return engine
    for engine in _candidates(rate):
        if reads(engine, lang) and engine.available():
            return engine
    if lang != "en":
        _say_silent_once(lang)
    return SilentEngine()


def _parse(name: str) -> tuple[str, str | None]:
    """A speaker name as (engine, voice): "kokoro.jm_kumo" -> ("kokoro", "jm_kumo")."""
    key = name.strip().lower()
    engine, dot, voice = key.partition(".")
    if dot and engine in VOICE_CHOICES:
        return engine, voice
    return key, None


def installed_engine(name: str, rate: int | None = None) -> SpeechEngine:
    """The engine (and voice) `name` names, at `rate`, whatever it reads; `AnkleSleepError`
    when it is unknown or not installed."""
    pace = DEFAULT_RATE if rate is None else check_rate(rate)
    key, voice = _parse(name)
    if key not in ENGINES:
        raise AnkleSleepError(
            _("--voice: got {name!r}; choose one of {engines}").format(
                name=name, engines=", ".join(ENGINES)
            ),
            field="voice",
        )
    engine = ENGINES[key](pace)
    if voice is not None:
        choices = VOICE_CHOICES[key]()
        if voice not in choices:
            raise AnkleSleepError(
                _("--voice: {key} has no voice {voice!r}; choose one of {voices}").format(
                    key=key, voice=voice, voices=", ".join(f"{key}.{v}" for v in choices)
                ),
                field="voice",
            )
        engine = VOICED[key](pace, voice)
    if not engine.available():
        hint = INSTALL_HINTS.get(key, "install it")
        raise AnkleSleepError(
            _(
                "--voice: the speech engine {key!r} is not installed; {hint}, or "
                "choose --voice none for tones only"
            ).format(key=key, hint=hint),
            field="voice",
        )
    return engine


def get_engine(
    name: str | None = None, rate: int | None = None, *, language: str = "en"
) -> SpeechEngine:
    """The engine called `name` speaking `rate` words a minute (default `DEFAULT_RATE`) text in
    `language`; `None` means the most natural one installed that reads it, else "none".

    A named engine that is unknown, not installed or cannot read `language` raises
    `AnkleSleepError`.
    """
    pace = DEFAULT_RATE if rate is None else check_rate(rate)
    if name is None:
        return default_engine(pace, language=language)
    engine = installed_engine(name, pace)
    lang = base_language(language)
    if not reads(engine, lang):
        fitting = [
            key
            for key, make in ENGINES.items()
            if reads(make(pace), lang) and make(pace).available()
        ]
        raise AnkleSleepError(
            _("--voice: {name} cannot read {language} text; choose one of {engines}").format(
                name=name, language=lang, engines=", ".join(fitting)
            ),
            field="voice",
        )
    return engine


def preferred_engine(
    name: str | None, rate: int | None = None, *, language: str = "en"
) -> SpeechEngine:
    """The engine a stored preference names, at its rate; when that engine is no longer
    installed, the name is unknown or it cannot read `language`, the most natural one present
    for `language` instead, never an error."""
    try:
        return get_engine(name, rate, language=language)
    except AnkleSleepError:
        try:
            pace = DEFAULT_RATE if rate is None else check_rate(rate)
        except AnkleSleepError:
            pace = DEFAULT_RATE
        return default_engine(pace, language=language)


def engine_for(
    options: Options, name: str | None = None, *, language: str | None = None
) -> SpeechEngine:
    """The engine that speaks a session with `options` in `language` (default:
    `options.language`): `name` when given (an explicit choice, which must be installed and read
    that language), else the stored choice `options.speaker` (falling back to the most natural
    engine present for the language when it is gone or reads another one), at
    `options.speech_rate`."""
    lang = options.language if language is None else language
    if name is not None:
        return get_engine(name, options.speech_rate, language=lang)
    return preferred_engine(options.speaker, options.speech_rate, language=lang)


# --- clip processing -------------------------------------------------------------------------


def resample(samples: Samples, from_rate: int, to_rate: int) -> Samples:
    """Band-limited resampling by FFT (exact for a clip padded with silence at both ends)."""
    import numpy as np

    if from_rate == to_rate or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    pad = int(from_rate * 0.05)  # silence on both sides keeps the FFT's wrap-around inaudible
    padded = np.concatenate([np.zeros(pad, np.float32), samples, np.zeros(pad, np.float32)])
    n = padded.size
    m = round(n * to_rate / from_rate)
    spectrum = np.fft.rfft(padded.astype(np.float64))
    bins = m // 2 + 1
    if bins <= spectrum.size:
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - spectrum.size, complex)])
    out = np.fft.irfft(spectrum, m) * (m / n)
    cut = round(pad * to_rate / from_rate)
    size = round(samples.size * to_rate / from_rate)
    return np.ascontiguousarray(out[cut : cut + size], dtype=np.float32)


def _frame_db(samples: Samples, frame: int) -> npt.NDArray[np.float64]:
    import numpy as np

    count = max(1, -(-samples.size // frame))
    padded = np.zeros(count * frame, dtype=np.float64)
    padded[: samples.size] = samples
    rms = np.sqrt(np.mean(padded.reshape(count, frame) ** 2, axis=1))
    return np.asarray(20 * np.log10(np.maximum(rms, 1e-9)), dtype=np.float64)


def process_clip(samples: Samples, rate: int) -> Samples:
    """Trim silence at both ends, resample to `CLIP_RATE` and normalize loudness.

    Loudness is the RMS of the voiced 10 ms frames, set to `SPEECH_RMS_DBFS`, with the peak kept
    under `SPEECH_PEAK_DBFS` so speech never clips when mixed.
    """
    import numpy as np

    if samples.size == 0 or not np.any(samples):
        return np.zeros(0, dtype=np.float32)
    frame = max(1, rate // 100)
    levels = _frame_db(samples, frame)
    voiced = np.flatnonzero(levels > levels.max() - SILENCE_BELOW_PEAK_DB)
    start = int(voiced[0]) * frame
    end = min(samples.size, (int(voiced[-1]) + 1) * frame)
    trimmed = resample(samples[start:end], rate, CLIP_RATE).astype(np.float64)
    # a 5 ms fade at each end, so a cut inside a breath never clicks
    fade = min(trimmed.size // 2, CLIP_RATE // 200)
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, fade))
        trimmed[:fade] *= ramp
        trimmed[-fade:] *= ramp[::-1]
    loud = _frame_db(trimmed.astype(np.float32), CLIP_RATE // 100)
    active = loud[loud > loud.max() - 30.0]
    rms_db = 10 * np.log10(np.mean(10 ** (active / 10)))
    gain = 10 ** ((SPEECH_RMS_DBFS - rms_db) / 20)
    peak = float(np.max(np.abs(trimmed))) * gain
    ceiling = 10 ** (SPEECH_PEAK_DBFS / 20)
    if peak > ceiling:
        gain *= ceiling / peak
    return np.ascontiguousarray(trimmed * gain, dtype=np.float32)


def write_wav_atomic(path: Path, samples: Samples, rate: int) -> None:
    """Write a 16-bit WAV to a temporary name beside `path`, then rename: never half a file."""
    import soundfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with files.opened(path, field="cache folder") as handle:
        soundfile.write(handle, samples, rate, format="WAV", subtype="PCM_16")


#: Speech engines running at once in this process, whatever asks (a speech engine is a child
#: process or a model using a core): more only queue for the same CPUs.
SYNTHESIS_AT_ONCE = max(1, min(4, os.cpu_count() or 1))
_SYNTHESIS_SLOTS = threading.BoundedSemaphore(SYNTHESIS_AT_ONCE)
#: Makers of one clip wait for each other; a clip's key always takes the same one of these
#: locks (a fixed number, not one per clip ever made, as for rendered tracks).
_clip_locks = tuple(threading.Lock() for _ in range(32))


def _clip_lock(key: str) -> threading.Lock:
    """The lock held while the clip with cache key `key` is being made."""
    return _clip_locks[int(key[:8], 16) % len(_clip_locks)]


def stored_frames(path: Path) -> int | None:
    """How many samples the clip stored at `path` holds, read from its WAV header alone (the
    standard library's `wave`; no samples loaded); None when it is missing, damaged or not a
    mono clip at `CLIP_RATE` (then `ClipCache` makes it again)."""
    try:
        with path.open("rb") as handle, wave.open(handle, "rb") as header:
            if header.getframerate() != CLIP_RATE or header.getnchannels() != 1:
                return None
            # `wave` stops at the start of the samples: a file cut short holds fewer than its
            # header says, and counts as soundfile reads it (what the file holds)
            room = os.fstat(handle.fileno()).st_size - handle.tell()
            return min(header.getnframes(), max(0, room) // header.getsampwidth())
    except (OSError, EOFError, wave.Error):
        return None


class ClipCache:
    """Processed speech clips of one engine, memoized in memory and kept on disk.

    Keyed by engine name, voice, rate and text (plus `PROCESSING_VERSION`). Safe to share
    between threads and processes: files are written under a temporary name and renamed.
    Threads asking for the same clip at once wait for one synthesis (so a busy server's
    requests on a cold cache do not each start the engine for the same words), and at most
    `SYNTHESIS_AT_ONCE` syntheses run at a time. A clip's length comes from its file's header
    (`stored_frames`), so measuring a session loads no samples.
    """

    def __init__(self, engine: SpeechEngine, folder: Path | None = None) -> None:
        self.engine = engine
        self.folder = folder if folder is not None else paths.cache_dir() / "clips"
        self._memory: dict[str, Samples] = {}
        self._frames: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def silent(self) -> bool:
        return self.engine.name == "none"

    def key(self, text: str) -> str:
        e = self.engine
        raw = f"{PROCESSING_VERSION}\0{e.name}\0{e.voice}\0{e.rate}\0{text}"
        tuning = str(getattr(e, "tuning", ""))  # an engine's own settings, when it has any
        if tuning:
            raw = f"{tuning}\0{raw}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def _path(self, text: str) -> Path:
        return self.folder / self.engine.name / f"{self.key(text)}.wav"

    def clip(self, text: str) -> tuple[Samples, int]:
        """The processed clip of `text`: trimmed, loudness-normalized, at `CLIP_RATE`."""
        import numpy as np

        if self.silent or not text.strip():
            return np.zeros(0, dtype=np.float32), CLIP_RATE
        key = self.key(text)
        with self._lock:
            found = self._memory.get(key)
        if found is not None:
            return found, CLIP_RATE
        path = self._path(text)
        samples = self._read(path)
        if samples is None:
            self._make(text, again=path.exists())  # missing, or damaged: made once more
            samples = self._read(path)
            assert samples is not None
        with self._lock:
            self._memory[key] = samples
            self._frames[key] = samples.size
        return samples, CLIP_RATE

    def _make(self, text: str, *, again: bool = False) -> int:
        """Synthesize the clip of `text` unless it is stored already (or, with `again`, was
        stored damaged), and return its length in samples. No samples stay in memory: many
        requests measuring a session at once on a cold cache cost one clip each, not one per
        request."""
        key = self.key(text)
        path = self._path(text)
        # one synthesis per clip however many requests want it, and no more at once in this
        # process than it has cores (a busy web server once ran 58 Festival processes)
        with _clip_lock(key):
            frames = None if again else stored_frames(path)  # made meanwhile by another?
            if frames is None:
                with _SYNTHESIS_SLOTS:
                    raw, rate = self.engine.synthesize(text)
                write_wav_atomic(path, process_clip(raw, rate), CLIP_RATE)
                frames = stored_frames(path)
                assert frames is not None
        with self._lock:
            self._frames[key] = frames
        return frames

    @staticmethod
    def _read(path: Path) -> Samples | None:
        import numpy as np
        import soundfile

        try:
            data, rate = soundfile.read(str(path), dtype="float32")
        except (OSError, RuntimeError, soundfile.LibsndfileError):
            return None  # missing, or damaged by someone else: synthesize again
        if rate != CLIP_RATE or data.ndim != 1:
            return None
        return np.ascontiguousarray(data, dtype=np.float32)

    def _made_frames(self, text: str) -> int | None:
        """The length in samples of the clip of `text` when it is made already (in memory or
        on disk), without loading it; None when it is still to make."""
        key = self.key(text)
        with self._lock:
            known = self._frames.get(key)
        if known is not None:
            return known
        frames = stored_frames(self._path(text))
        if frames is not None:
            with self._lock:
                self._frames.setdefault(key, frames)
        return frames

    def speech_seconds(self, text: str) -> float:
        """Length of the processed clip in seconds (0 for the "none" engine), the very samples
        `clip` gives: from the stored file's header when the clip is made, else made first."""
        if self.silent or not text.strip():
            return 0.0
        frames = self._made_frames(text)
        if frames is None:
            frames = self._make(text)
        return frames / CLIP_RATE

    def wav_path(self, text: str) -> Path:
        """The processed clip as a WAV file on disk (synthesized first if needed)."""
        if self.silent or not text.strip():
            path = self.folder / "none" / "silence.wav"
            if not path.exists():
                import numpy as np

                write_wav_atomic(path, np.zeros(CLIP_RATE // 10, np.float32), CLIP_RATE)
            return path
        path = self._path(text)
        if not path.exists():
            with self._lock:
                self._memory.pop(self.key(text), None)
                self._frames.pop(self.key(text), None)
            self.clip(text)
        return path

    def prepare(self, texts: Iterable[str], workers: int | None = None) -> None:
        """Synthesize every missing clip of `texts`, several at a time (one per core); clips
        already made are left on disk, not loaded."""
        if self.silent:
            return
        todo = sorted({t for t in texts if t.strip() and self._made_frames(t) is None})
        if not todo:
            return
        count = workers or max(1, min(4, os.cpu_count() or 1))
        if count == 1 or len(todo) == 1:
            for text in todo:
                self._make(text)
            return
        with ThreadPoolExecutor(max_workers=count) as pool:
            list(pool.map(self._make, todo))
