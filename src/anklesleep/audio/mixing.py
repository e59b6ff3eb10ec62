"""The guided audio track: speech clips and tones mixed at exact sample offsets, then encoded.

The file is the clock: every cue's sound starts at sample `round(cue.start * SAMPLE_RATE)`, so a
player that follows the file's playback position (the web player, a phone with its screen
locked) is exactly in step with the timeline returned beside it. Timing comes from the measured
clips (`ClipCache.speech_seconds`), so speech never runs into a tone or the next speech.
`render_track` caches finished tracks by everything that shapes them; a repeated request only
checks that the files are still there.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from anklesleep import __version__
from anklesleep.audio.bed import room_tone
from anklesleep.audio.chapters import webvtt
from anklesleep.audio.encoding import FORMATS as FORMATS
from anklesleep.audio.encoding import Format as Format
from anklesleep.audio.encoding import encode as encode
from anklesleep.audio.encoding import format_for as format_for
from anklesleep.audio.encoding import format_named as format_named
from anklesleep.audio.loudness import TARGET_LUFS, TRUE_PEAK_DBTP, Gains, normalize_with
from anklesleep.audio.speech_timing import plan as plan
from anklesleep.audio.speech_timing import speech_lead as speech_lead
from anklesleep.audio.tones import MIN_SECONDS, cue_sound, sound_seconds
from anklesleep.audio.voices import CLIP_RATE, PROCESSING_VERSION, ClipCache, SpeechEngine
from anklesleep.basics import formats, paths
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.files import write_text
from anklesleep.basics.i18n import N_, Translate, _, language_of, translator
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.options import from_dict as options_from_dict
from anklesleep.routine.timeline import (
    Cue,
    Timeline,
    estimate_speech_seconds,
    expand,
)

Samples = npt.NDArray[np.float32]

SAMPLE_RATE = CLIP_RATE
#: Bump when mixing or encoding changes, so cached tracks are rendered again.
MIX_VERSION = 6
#: Silence kept between a tone's end and the next cue.
TONE_GUARD = 0.05
#: Kinds whose tones are the optional soft ticks.
TICK_KINDS = frozenset({"circle", "tilt"})
#: The track cache keeps at most this many bytes (least recently used tracks go first).
CACHE_BYTES = 400_000_000
#: how errors name the track cache folder
CACHE_FIELD = "cache folder"


@dataclass(frozen=True)
class RenderedTrack:
    """A finished track on disk, with the timeline it was mixed from (the exact one)."""

    path: Path
    vtt_path: Path
    timeline: Timeline
    duration: float
    bytes: int
    format: Format
    sample_rate: int
    engine: str
    ticks: bool


# --- mixing ----------------------------------------------------------------------------------


def sample_at(seconds: float, rate: int = SAMPLE_RATE) -> int:
    """The sample where something scheduled at `seconds` starts: the file is the clock."""
    return round(seconds * rate)


def tone_room(cue: Cue) -> float:
    """How long a cue's tone may ring without touching the next cue.

    A cue that also speaks (the closing) was lengthened by `speech_lead` for its tone, so its
    tone keeps its full length and ends `speech_timing.TONE_SPEECH_GAP` before the words.
    """
    return max(0.0, cue.duration - TONE_GUARD)


def sounds_tone(cue: Cue, ticks: bool) -> bool:
    """Whether a tone is heard at this cue: it has one, ticks are on for circles and tilts,
    and the cue leaves room for a sound long enough not to click (see `tones.MIN_SECONDS`)."""
    return (
        cue.tone_hz is not None
        and (ticks or cue.kind not in TICK_KINDS)
        and sound_seconds(cue.kind, tone_room(cue), cue.tone_hz) >= MIN_SECONDS
    )


def mix(
    timeline: Timeline,
    clips: ClipCache | None,
    *,
    ticks: bool = True,
    rate: int = SAMPLE_RATE,
) -> Samples:
    """One float32 buffer holding every clip and tone of `timeline` at its exact sample."""
    total = sample_at(timeline.total_seconds, rate)
    buffer = np.zeros(total, dtype=np.float32)
    sounds: dict[tuple[str, float, float], Samples] = {}

    def put(at: int, samples: Samples, what: str) -> None:
        end = at + samples.size
        if end > total:
            raise RuntimeError(f"{what} at sample {at} runs {end - total} samples past the end")
        buffer[at:end] += samples

    for cue in timeline:
        if sounds_tone(cue, ticks):
            assert cue.tone_hz is not None
            room = tone_room(cue)
            key = (cue.kind, cue.tone_hz, round(room, 6))
            if key not in sounds:
                sounds[key] = cue_sound(cue.kind, cue.tone_hz, rate, room)
            put(sample_at(cue.start, rate), sounds[key], f"{cue.kind} tone")
        if cue.say and clips is not None and not clips.silent and timeline.options.voice:
            clip, clip_rate = clips.clip(cue.say)
            if clip_rate != rate:
                raise RuntimeError(f"clip rate {clip_rate} differs from the track's {rate}")
            put(sample_at(cue.start + speech_lead(cue), rate), clip, "speech")
    np.clip(buffer, -1.0, 1.0, out=buffer)
    return buffer


# --- files -----------------------------------------------------------------------------------


def track_json(
    timeline: Timeline, *, fmt: Format, engine: SpeechEngine, ticks: bool, rate: int
) -> dict[str, Any]:
    """The timeline actually mixed, plus where each tone and clip sits in the file."""
    tones = []
    speech = []
    for index, cue in enumerate(timeline):
        if sounds_tone(cue, ticks):
            at = sample_at(cue.start, rate)
            tones.append(
                {
                    "cue": index,
                    "kind": cue.kind,
                    "tone_hz": cue.tone_hz,
                    "sample": at,
                    "start": at / rate,
                    "seconds": round(sound_seconds(cue.kind, tone_room(cue), cue.tone_hz), 6),
                }
            )
        if cue.say and timeline.options.voice and engine.name != "none":
            at = sample_at(cue.start + speech_lead(cue), rate)
            speech.append({"cue": index, "sample": at, "start": at / rate, "say": cue.say})
    data = timeline.to_dict()
    data["track"] = {
        "format": fmt.name,
        "media_type": fmt.media_type,
        "sample_rate": rate,
        "samples": sample_at(timeline.total_seconds, rate),
        "engine": engine.name,
        "voice": engine.voice,
        "rate": engine.rate,
        "ticks": ticks,
        "loudness_lufs": TARGET_LUFS,
        "true_peak_dbtp": TRUE_PEAK_DBTP,
        "app_version": __version__,
    }
    data["tones"] = tones
    data["speech"] = speech
    return data


# --- cached rendering ------------------------------------------------------------------------


def _cue_from(data: dict[str, Any]) -> Cue:
    return Cue(**data)


def _save_timeline(path: Path, timeline: Timeline) -> None:
    """Full-precision copy of the timeline, to hand back the exact one on a cache hit."""
    data = {
        "routine_id": timeline.routine_id,
        "options": timeline.options.to_dict(),
        "cues": [asdict(c) for c in timeline.cues],
    }
    write_text(path, json.dumps(data, ensure_ascii=False), field=CACHE_FIELD)


def _load_timeline(path: Path) -> Timeline | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        options = options_from_dict(data["options"])
        cues = tuple(_cue_from(c) for c in data["cues"])
        return Timeline(data["routine_id"], options, cues)
    except (OSError, ValueError, KeyError, TypeError, AnkleSleepError):
        return None


def cache_key(
    routine: Routine, options: Options, engine: SpeechEngine, fmt: Format, ticks: bool, draft: str
) -> str:
    """Everything that shapes a track, hashed: routine, options, voice, format, versions."""
    parts = {
        "routine": repr(routine),
        "options": options.to_dict(),
        "engine": [engine.name, engine.voice, engine.rate, str(getattr(engine, "tuning", ""))],
        "format": fmt.name,
        "ticks": ticks,
        "app": __version__,
        "mix": MIX_VERSION,
        "clips": PROCESSING_VERSION,
        "texts": draft,
        "language": options.language,
    }
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


#: Finished tracks remembered in this process, newest last (their files stay in the cache
#: folder, which `prune` bounds by size): at most this many, so a server asked for many
#: option sets keeps a fixed amount.
MAX_REMEMBERED = 16
_memo: OrderedDict[str, RenderedTrack] = OrderedDict()
_memo_guard = threading.Lock()
#: Renders of one track wait for each other; a key always takes the same one of these locks
#: (a fixed number, not one per track ever asked for).
_locks = tuple(threading.Lock() for _ in range(32))


#: Unfinished files (".<name>-XXXX.part") older than this are left over from a render that was
#: killed; younger ones may belong to a render running in another process right now.
STALE_PART_SECONDS = 3600.0


def clean_partial(folder: Path, older_than: float = STALE_PART_SECONDS) -> int:
    """Delete unfinished render files left in `folder` by a render that never finished.

    Returns how many were removed. Files still being written (younger than `older_than`
    seconds) are left alone.
    """
    import time

    removed = 0
    cutoff = time.time() - older_than
    for path in folder.iterdir() if folder.is_dir() else ():
        if not (path.name.startswith(".") and path.name.endswith(".part")):
            continue
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink()
                removed += 1
    return removed


def _track_key(name: str) -> str:
    """The track a cache file belongs to: "KEY.opus" and ".KEY.opus-abc.opus.part" -> KEY."""
    return name.lstrip(".").split(".", 1)[0]


def prune(folder: Path, keep_bytes: int = CACHE_BYTES, keep: frozenset[str] = frozenset()) -> int:
    """Delete the least recently used tracks until the folder holds at most `keep_bytes`.

    A track is its audio, chapters and timeline files (one key), and any unfinished file of
    its render; every file counts toward the size. `keep` names keys to spare. Returns how
    many tracks were removed.
    """
    groups: dict[str, list[Path]] = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.is_file():
            groups.setdefault(_track_key(path.name), []).append(path)

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    def used(key: str) -> float:
        times = []
        for p in groups[key]:
            with contextlib.suppress(OSError):
                times.append(p.stat().st_mtime)
        return max(times, default=0.0)

    total = sum(size(p) for files in groups.values() for p in files)
    removed = 0
    for key in sorted(groups, key=used):
        if total <= keep_bytes:
            break
        if key in keep:
            continue
        for path in groups[key]:
            total -= size(path)
            path.unlink(missing_ok=True)
        removed += 1
    return removed


def _touch(path: Path) -> None:
    """Mark a cached track as just used (for `prune`); harmless if it fails."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _lock_for(key: str) -> threading.Lock:
    return _locks[int(key[:8], 16) % len(_locks)]


def _remembered(key: str) -> RenderedTrack | None:
    with _memo_guard:
        hit = _memo.get(key)
        if hit is not None:
            _memo.move_to_end(key)
        return hit


def _remember(key: str, result: RenderedTrack) -> None:
    with _memo_guard:
        _memo[key] = result
        _memo.move_to_end(key)
        while len(_memo) > MAX_REMEMBERED:
            _memo.popitem(last=False)


def _cache_key_of(
    routine: Routine,
    options: Options,
    engine: SpeechEngine,
    form: Format,
    ticks: bool,
    t: Translate,
) -> tuple[str, str]:
    """The cache key of a track, and the script's text it depends on."""
    draft = expand(routine, options, estimate_speech_seconds, t)
    draft_text = json.dumps([(c.say, c.text) for c in draft], ensure_ascii=False)
    return cache_key(routine, options, engine, form, ticks, draft_text), draft_text


@dataclass(frozen=True)
class _Place:
    """Where a track's files live in the cache, and what their key was made from."""

    form: Format
    t: Translate
    options: Options  # as rendered: the voice off when nothing speaks
    folder: Path
    key: str
    draft_text: str

    @property
    def audio(self) -> Path:
        return self.folder / f"{self.key}{self.form.extension}"

    @property
    def vtt(self) -> Path:
        return self.folder / f"{self.key}.vtt"

    @property
    def saved(self) -> Path:
        return self.folder / f"{self.key}.timeline.json"


def _place(
    routine: Routine,
    options: Options,
    engine: SpeechEngine,
    fmt: str | Format,
    cache_dir: Path | None,
    translate: Translate | None,
    ticks: bool,
) -> _Place:
    """The cache place of the track `render_track` makes from these arguments."""
    form = fmt if isinstance(fmt, Format) else format_named(fmt)
    t = translate or translator(options.language)
    if engine.name == "none" and options.voice:
        options = replace(options, voice=False)
    folder = cache_dir if cache_dir is not None else paths.cache_dir() / "tracks"
    key, draft_text = _cache_key_of(routine, options, engine, form, ticks, t)
    return _Place(form, t, options, folder, key, draft_text)


def is_cached(
    routine: Routine,
    options: Options,
    *,
    engine: SpeechEngine,
    fmt: str | Format,
    cache_dir: Path | None = None,
    translate: Translate | None = None,
    ticks: bool = True,
) -> bool:
    """Whether `render_track` with the same arguments would find its track in the cache (and
    so render nothing): lets a caller send the renders that remain elsewhere."""
    place = _place(routine, options, engine, fmt, cache_dir, translate, ticks)
    return all(path.exists() for path in (place.audio, place.vtt, place.saved))


def render_track(
    routine: Routine,
    options: Options,
    *,
    engine: SpeechEngine,
    fmt: str | Format,
    cache_dir: Path | None = None,
    translate: Translate | None = None,
    ticks: bool = True,
    clip_dir: Path | None = None,
) -> RenderedTrack:
    """The track of `routine` played with `options` in voice `engine` and format `fmt`.

    Rendered once into `cache_dir` (default: the user cache folder's `tracks/`) and reused
    while the routine, options, voice, format and app version stay the same. The returned
    timeline is the exact one that was mixed.
    """
    place = _place(routine, options, engine, fmt, cache_dir, translate, ticks)
    form, t, options, folder, key = place.form, place.t, place.options, place.folder, place.key
    audio, vtt, saved = place.audio, place.vtt, place.saved
    key_parts = (routine, options, engine, ticks, place.draft_text)

    clean_partial(folder)
    with _lock_for(key):
        hit = _remembered(key)
        if hit is not None and audio.exists() and vtt.exists():
            _touch(audio)
            return hit
        if audio.exists() and vtt.exists() and saved.exists():
            timeline = _load_timeline(saved)
            if timeline is not None:
                _touch(audio)
                result = _result(audio, vtt, timeline, form, engine, ticks)
                _remember(key, result)
                return result
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AnkleSleepError(
                _(
                    "cache folder: cannot create {folder!r} ({strerror}); set "
                    "ANKLESLEEP_HOME to a folder you can write to"
                ).format(folder=str(folder), strerror=exc.strerror),
                field="cache",
            ) from None
        clips = ClipCache(engine, clip_dir)
        timeline = plan(routine, options, clips, t)
        mixed = mix(timeline, clips, ticks=ticks)
        under = None if options.bed is None else room_tone(mixed.size, SAMPLE_RATE, options.bed)
        # the same mix in another format (or after the track cache was emptied): its gains are
        # known, so the meter does not run again (the mix is keyed like its WAV track)
        gains_path = (
            clips.folder
            / "loudness"
            / f"{cache_key(*key_parts[:3], FORMATS['wav'], *key_parts[3:])}.json"
        )
        samples, gains = normalize_with(
            mixed, SAMPLE_RATE, in_place=True, under=under, known=_read_gains(gains_path)
        )
        del mixed, under
        if gains is not None:
            _write_gains(gains_path, gains)
        length = formats.duration(timeline.total_seconds, language_of(t))
        tags = {
            "title": f"{t(routine.name)} ({length})",
            "artist": "anklesleep",
            "album": t(N_("Ankle-bone self-massage")),
            "comment": t(
                N_(
                    "Bells: bright = hold, lower = let go, deeper = the last one. "
                    "Chapters in the .vtt file."
                )
            ),
        }
        encode(samples, audio, form, SAMPLE_RATE, tags, field=CACHE_FIELD)
        del samples
        write_text(vtt, webvtt(timeline, t), field=CACHE_FIELD)
        _save_timeline(saved, timeline)
        result = _result(audio, vtt, timeline, form, engine, ticks)
        _remember(key, result)
        prune(folder, keep=frozenset({key}))
        return result


def _read_gains(path: Path) -> Gains | None:
    """Gains measured before for the same mix; None when unknown or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        gains = Gains(float(data["first"]), float(data["second"]), float(data["last"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    values = (gains.first, gains.second, gains.last)
    return gains if all(0 < v < 1000 and v == v for v in values) else None


def _write_gains(path: Path, gains: Gains) -> None:
    with contextlib.suppress(OSError, AnkleSleepError):  # only a shortcut: never fail a render
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(asdict(gains)), field=CACHE_FIELD)


def _result(
    audio: Path,
    vtt: Path,
    timeline: Timeline,
    form: Format,
    engine: SpeechEngine,
    ticks: bool,
) -> RenderedTrack:
    return RenderedTrack(
        path=audio,
        vtt_path=vtt,
        timeline=timeline,
        duration=sample_at(timeline.total_seconds) / SAMPLE_RATE,
        bytes=audio.stat().st_size,
        format=form,
        sample_rate=SAMPLE_RATE,
        engine=engine.name,
        ticks=ticks,
    )


def clear_memory() -> None:
    """Forget tracks remembered in this process (files on disk stay)."""
    with _memo_guard:
        _memo.clear()
