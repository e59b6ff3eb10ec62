"""Audio files: the formats we write, encoding, and writing without ever leaving half a file.

Everything is written under a temporary name in the target folder and renamed into place, so
a failed or interrupted write leaves nothing behind and never replaces a good file with a bad one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from anklesleep.basics.errors import AnkleSleepError

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
            f"format: got {name!r}; use opus (or ogg), mp3 or wav", field="format"
        )
    return FORMATS[_ALIASES[key]]


def format_for(path: Path) -> Format:
    """The format of an output file, from its extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in _ALIASES:
        shown = path.suffix or "(none)"
        raise AnkleSleepError(
            f"--output: extension {shown!r} of {str(path)!r} is not an audio format we write; "
            "end the name with .opus, .ogg, .mp3 or .wav",
            field="output",
        )
    return FORMATS[_ALIASES[suffix]]


def _file_mode() -> int:
    """The mode a new file gets from this process's umask (mkstemp's own is owner-only)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


def _temp_beside(path: Path, suffix: str, field: str = "--output") -> Path:
    """A new empty file in `path`'s folder, to be renamed onto `path` once complete."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=suffix, dir=path.parent)
    except FileNotFoundError:
        raise AnkleSleepError(
            f"{field}: folder {str(path.parent)!r} does not exist; create it or choose another",
            field=field.lstrip("-"),
        ) from None
    except OSError as exc:
        raise AnkleSleepError(
            f"{field}: cannot write in {str(path.parent)!r} ({exc.strerror}); "
            "choose a folder you can write to",
            field=field.lstrip("-"),
        ) from None
    os.close(fd)
    temp = Path(name)
    with contextlib.suppress(OSError):
        temp.chmod(_file_mode())  # an output file readable like any other the user makes
    return temp


def check_output(path: Path) -> Path:
    """Fail early, before rendering, when `path` cannot be written; returns it."""
    if path.is_dir():
        raise AnkleSleepError(
            f"--output: {str(path)!r} is a folder; give a file name such as "
            f"{str(path / 'routine.opus')!r}",
            field="output",
        )
    probe = _temp_beside(path, ".probe")
    probe.unlink(missing_ok=True)
    return path


def copy_atomic(source: Path, target: Path) -> None:
    """Copy a finished file to `target` under a temporary name, then rename."""
    temp = _temp_beside(target, ".part")
    try:
        shutil.copyfile(source, temp)
        temp.replace(target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise AnkleSleepError(
            f"--output: cannot write {str(target)!r} ({exc.strerror or exc}); "
            "check the free space and permissions, or choose another file",
            field="output",
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


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
    temp = _temp_beside(path, fmt.extension + ".part", field)
    try:
        if not (fmt.name == "opus" and _ffmpeg_opus(samples, temp, rate, tags)):
            _soundfile_encode(samples, temp, fmt, rate, tags)
        size = temp.stat().st_size
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return size


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


def write_text(path: Path, text: str, field: str = "--output") -> None:
    """Write a text file under a temporary name, then rename."""
    temp = _temp_beside(path, ".part", field)
    try:
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
