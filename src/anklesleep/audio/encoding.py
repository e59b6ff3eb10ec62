"""Audio files: the formats we write, encoding, and writing without ever leaving half a file.

Everything is written through `basics.files`: under a temporary name in the target folder, then
renamed into place, so a failed or interrupted write never replaces a good file with a bad one.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from anklesleep.basics import files
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

Samples = npt.NDArray[np.float32]
#: the tags we write (names as libsndfile and ffmpeg both know them)
TAGS = ("title", "artist", "album", "comment")


@dataclass(frozen=True)
class Format:
    """An output format: its name, libsndfile container and codec, and file extension."""

    name: str
    container: str
    subtype: str
    extension: str
    media_type: str
    label: str


FORMATS: dict[str, Format] = {
    "opus": Format("opus", "OGG", "OPUS", ".opus", "audio/ogg; codecs=opus", "Opus"),
    "mp3": Format("mp3", "MP3", "MPEG_LAYER_III", ".mp3", "audio/mpeg", "MP3"),
    "wav": Format("wav", "WAV", "PCM_16", ".wav", "audio/wav", "WAV"),
}
#: accepted names and extensions -> format
_ALIASES = {"opus": "opus", "ogg": "opus", "oga": "opus", "mp3": "mp3", "wav": "wav"}
#: libsndfile's compression level (0 best quality .. 1 smallest) per format. Opus (used only
#: without ffmpeg): about 1.5 MB for the full routine. MP3: 23 to 32 kbit/s on average here; at
#: level 0.8 the attack of the soft ticks smeared by more than a millisecond.
_COMPRESSION = {"opus": 0.85, "mp3": 0.3}
#: ffmpeg/libopus settings: 24 kbit/s VBR (plenty for one voice in mono; the bells fill what
#: was silence, so 32 kbit/s came to 2.4 MB) in 60 ms frames at complexity 3 of 10. Measured on
#: the full routine (12 min): about 1.9 MB, and half the CPU time of complexity 10 with 20 ms
#: frames; the tone onsets stay within 1 ms after decoding (tests/test_loudness.py).
OPUS_BITRATE = "24k"
OPUS_FRAME_MS = "60"
OPUS_COMPLEXITY = 3


def format_named(name: str) -> Format:
    """The format called `name` (opus, ogg, mp3, wav), else one clear error."""
    key = name.strip().lower().lstrip(".")
    if key not in _ALIASES:
        raise AnkleSleepError(
            _("format: got {name!r}; use opus (or ogg), mp3 or wav").format(name=name),
            field="format",
        )
    return FORMATS[_ALIASES[key]]


def format_for(path: Path) -> Format:
    """The format of an output file, from its extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in _ALIASES:
        shown = path.suffix or "(none)"
        raise AnkleSleepError(
            _(
                "--output: extension {shown!r} of {path!r} is not an audio format we "
                "write; end the name with .opus, .ogg, .mp3 or .wav"
            ).format(shown=shown, path=str(path)),
            field="output",
        )
    return FORMATS[_ALIASES[suffix]]


def encode(
    samples: Samples,
    path: Path,
    fmt: Format,
    rate: int,
    tags: Mapping[str, str] | None = None,
    field: str = "--output",
) -> int:
    """Write `samples` to `path` in `fmt` (temporary name, then rename); returns its size.

    Opus goes through ffmpeg's libopus when ffmpeg is installed (measured on the full routine:
    1.8 s of CPU against libsndfile's 15.7 s, which cannot lower libopus's complexity), else
    through libsndfile. MP3 is written by LAME through libsndfile, with its Xing/LAME header
    recording the encoder delay and padding, so gapless decoders (ffmpeg, libsndfile) keep the
    timing.
    `tags` (title, artist, album, comment) are what phones show on the lock screen.
    """
    tags = {k: v for k, v in (tags or {}).items() if k in TAGS and v}
    with files.replacing(path, field=field) as temp:
        if not (fmt.name == "opus" and _ffmpeg_opus(samples, temp, rate, tags)):
            _soundfile_encode(samples, temp, fmt, rate, tags)
        return temp.stat().st_size


def _soundfile_encode(
    samples: Samples, path: Path, fmt: Format, rate: int, tags: Mapping[str, str]
) -> None:
    import soundfile

    with soundfile.SoundFile(
        str(path),
        "w",
        samplerate=rate,
        channels=1,
        format=fmt.container,
        subtype=fmt.subtype,
        compression_level=_COMPRESSION.get(fmt.name),
    ) as out:
        for key, value in tags.items():
            with contextlib.suppress(RuntimeError):  # a format without that field: skip it
                setattr(out, key, value)
        out.write(samples)


def _ffmpeg_opus(samples: Samples, path: Path, rate: int, tags: Mapping[str, str]) -> bool:
    """Encode Ogg Opus with ffmpeg; False (nothing written) when ffmpeg is missing or fails."""
    program = shutil.which("ffmpeg")
    if program is None:
        return False
    command = [
        program,
        "-nostats",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "f32le",
        "-ar",
        str(rate),
        "-ac",
        "1",
        "-i",
        "pipe:0",
        "-map_metadata",
        "-1",
        *(arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")),
        "-c:a",
        "libopus",
        "-b:a",
        OPUS_BITRATE,
        "-compression_level",
        str(OPUS_COMPLEXITY),
        "-frame_duration",
        OPUS_FRAME_MS,
        "-f",
        "ogg",
        str(path),
    ]
    data = np.ascontiguousarray(samples, dtype="<f4")
    step = 1 << 18  # samples per write: the track is never copied whole
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
            )
        except OSError:
            return False
        assert process.stdin is not None
        try:
            for start in range(0, data.size, step):
                process.stdin.write(data[start : start + step].tobytes())
            process.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg stopped early: its exit status tells
        finally:
            code = process.wait()
    return code == 0 and path.exists() and path.stat().st_size > 0
