"""Benchmark: render the full routine's guided track, cold and warm, as WAV and Opus.

Run: .venv/bin/python benchmarks/render.py [--routine full] [--repeat 2] [--engine NAME ...]
      [--bed LEVEL]

Every installed speech engine is measured (or those named with --engine), each in the language
it reads: the Japanese voice (kokoro) speaks a Japanese script of the full routine (ja_script.py,
beside this file). The goals apply to espeak-ng, the fallback every machine has, and to Kokoro's
cold render; a last table puts each engine's cold and warm real-time factors next to espeak-ng's
measured in the same run. --bed renders with the quiet bed at LEVEL dB; --formats picks the
formats (default: wav,opus).

Each measurement runs in a fresh Python process (so peak memory is that render's own):
- cold:   empty clip cache and empty track cache (every sentence is synthesized)
- warm:   clips already cached, track rendered again (plan + mix + encode)
- cached: the same request again (the track cache answers)
Printed next to the track's own duration (real-time factor = duration / render time), its size,
peak memory (tracemalloc peak of Python/numpy allocations, and the process's max RSS), and a
baseline measured in the same run: encoding the already mixed samples alone. Then the levels of
what was rendered (speech vs tones, peak, integrated loudness and true peak by ffmpeg's EBU R128
filter, against the -20 LUFS / -1 dBTP target the track is normalized to).

Goals on a 2-core machine: warm Opus >= 200x real time, cold >= 60x, full-routine Opus <= 2 MB,
peak memory <= 250 MB (espeak-ng); the Japanese Kokoro voice: cold Opus >= 3x real time. The CPU
seconds the render used are printed too: on a shared machine they vary less than the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

GOALS = {"warm": 200.0, "cold": 60.0}
#: goals of the other engines (Kokoro is a neural voice: it synthesizes about as fast as it speaks)
ENGINE_GOALS = {"espeak-ng": GOALS, "kokoro": {"cold": 3.0}}
TARGET_LUFS = -20.0
TRUE_PEAK_DBTP = -1.0
MAX_OPUS_BYTES = 2_000_000
MAX_MEMORY_MB = 250.0


def translate_for(language: str) -> Any:
    """The texts' translation for `language`: the benchmark's own Japanese script, else the
    app's catalog."""
    from anklesleep.basics.i18n import translator

    if language == "ja":
        from ja_script import translate_ja

        return translate_ja
    return translator(language)


def language_of(engine_name: str) -> str:
    """The language an engine reads ("en" for the English engines and "none")."""
    from anklesleep.audio import voices as voice

    spoken = voice.engine_language(voice.installed_engine(engine_name))
    return spoken or "en"


def one(
    routine_id: str,
    fmt: str,
    clips: Path,
    tracks: Path,
    engine_name: str,
    bed: float | None,
    language: str = "en",
) -> dict[str, Any]:
    """One render in this process; returns its figures."""
    import tracemalloc

    from anklesleep.audio import mixing as track
    from anklesleep.audio import voices as voice
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate

    chosen = routines.load(routine_id)
    options = validate(tempo=1.0, bed=bed)
    engine = voice.get_engine(engine_name, language=language)
    translate = translate_for(language)
    tracemalloc.start()
    cpu = cpu_seconds()
    started = time.perf_counter()
    rendered = track.render_track(
        chosen,
        options,
        engine=engine,
        fmt=fmt,
        cache_dir=tracks,
        clip_dir=clips,
        translate=translate,
    )
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "duration": rendered.duration,
        "bytes": rendered.bytes,
        "path": str(rendered.path),
        "traced_mb": peak / 1e6,
        "rss_mb": peak_rss_mb(),
        "engine": engine.name,
        "missing": sorted(getattr(sys.modules.get("ja_script"), "MISSING", ())),
    }


def cpu_seconds() -> float:
    """CPU seconds this process used so far, every thread (speech engines' own programs run as
    child processes: their time is added once they have ended)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited on exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(routine_id: str, fmt: str, clips: Path, engine_name: str, language: str) -> float:
    """Seconds to encode the already mixed samples alone (the encoder's floor)."""
    from anklesleep.audio import mixing as track
    from anklesleep.audio import voices as voice
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate

    cache = voice.ClipCache(voice.get_engine(engine_name, language=language), clips)
    timeline = track.plan(routines.load(routine_id), validate(), cache, translate_for(language))
    samples = track.mix(timeline, cache)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        track.encode(samples, Path(folder) / f"b.{fmt}", track.FORMATS[fmt], track.SAMPLE_RATE)
        return time.perf_counter() - started


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def levels(wav: Path, routine_id: str, clips: Path, engine_name: str, language: str) -> list[str]:
    """Loudness of speech and of tones in a rendered WAV, and its peak."""
    import numpy as np
    import soundfile

    from anklesleep.audio import mixing as track
    from anklesleep.audio import voices as voice
    from anklesleep.audio.tones import sound_seconds
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate

    samples, rate = soundfile.read(str(wav), dtype="float64")
    cache = voice.ClipCache(voice.get_engine(engine_name, language=language), clips)
    timeline = track.plan(routines.load(routine_id), validate(), cache, translate_for(language))
    speech: list[float] = []
    speech_peak = 0.0
    tone_parts: dict[str, list[float]] = {}
    for cue in timeline:
        if cue.say:
            at = track.sample_at(cue.start + track.speech_lead(cue))
            clip = samples[at : at + round(cache.speech_seconds(cue.say) * rate)]
            frames = clip[: clip.size // 240 * 240].reshape(-1, 240)
            speech.extend(np.mean(frames**2, axis=1))
            speech_peak = max(speech_peak, float(np.max(np.abs(clip))))
        if cue.tone_hz and track.sounds_tone(cue, True):
            at = track.sample_at(cue.start)
            n = round(sound_seconds(cue.kind, track.tone_room(cue)) * rate)
            tone_parts.setdefault(cue.kind, []).append(float(np.max(np.abs(samples[at : at + n]))))
    energy = np.asarray(speech)
    voiced = energy[energy > energy.max() / 1000]  # 10 ms frames within 30 dB of the loudest

    def db(power: float) -> str:
        return f"{10 * np.log10(power):.1f}"

    lines = [
        f"  speech: RMS of voiced 10 ms frames {db(float(np.mean(voiced)))} dBFS, "
        f"peak {db(speech_peak**2)} dBFS"
    ]
    for kind, peaks in tone_parts.items():
        peak = max(peaks)
        lines.append(
            f"  {kind:<8} tone: peak {db(peak**2)} dBFS, RMS {db(peak**2 / 2)} dBFS (sine at peak)"
        )
    clipped = int(np.sum(np.abs(samples) >= 0.999))
    lines.append(f"  samples at full scale (clipping): {clipped}")
    if shutil.which("ffmpeg"):
        probe = subprocess.run(
            ["ffmpeg", "-nostats", "-i", str(wav), "-af", "ebur128=peak=true", "-f", "null", "-"],
            capture_output=True,
            text=True,
            check=False,
        ).stderr
        summary = probe[probe.rfind("Summary:") :].split()
        if "I:" in summary:
            i = summary.index("I:")
            lines.append(
                f"  integrated loudness (EBU R128): {summary[i + 1]} LUFS "
                f"(target {TARGET_LUFS:g} LUFS)"
            )
        if "Peak:" in summary:
            p = summary.index("Peak:")
            lines.append(f"  true peak: {summary[p + 1]} dBTP (limit {TRUE_PEAK_DBTP:g} dBTP)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routine", default="full")
    parser.add_argument("--repeat", type=int, default=2, help="warm renders per format (best)")
    parser.add_argument("--engine", action="append", help="a speech engine (default: each one)")
    parser.add_argument("--bed", default="off", help="the quiet bed's level in dB, or off")
    parser.add_argument("--formats", default="wav,opus", help="formats to render, e.g. opus")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        kind, routine_id, fmt, clips, tracks, engine_name, bed, language = args.child
        level = None if bed == "off" else float(bed)
        if kind == "render":
            figures = one(routine_id, fmt, Path(clips), Path(tracks), engine_name, level, language)
        else:
            figures = {"seconds": baseline(routine_id, fmt, Path(clips), engine_name, language)}
        print(json.dumps(figures))
        return
    from anklesleep.audio import voices as voice

    names = args.engine or [
        name for name, make in voice.ENGINES.items() if name != "none" and make(130).available()
    ]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    results = {name: measure(args.routine, args.repeat, name, args.bed, formats) for name in names}
    compare(results)


def compare(results: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Each engine's cold and warm real-time factors (Opus, else the last format) next to
    espeak-ng's from this run."""
    if len(results) < 2:
        return
    print("real-time factors, this run (track seconds / render seconds; CPU: / CPU seconds)")
    base = results.get("espeak-ng")
    for name, rows in results.items():
        cells = []
        for case in ("cold", "warm"):
            r = rows.get(case)
            if r is None:
                continue
            text = (
                f"{case} {r['duration'] / r['seconds']:.1f}x (CPU {r['duration'] / r['cpu']:.1f}x)"
            )
            if base and name != "espeak-ng" and case in base:
                b = base[case]
                text += f" vs espeak-ng {b['duration'] / b['seconds']:.0f}x"
            cells.append(text)
        print(f"  {name:<10} [{rows['cold'].get('language', 'en')}]  " + "; ".join(cells))
    print()


def measure(
    routine: str, repeat: int, engine_name: str, bed: str, formats: list[str]
) -> dict[str, dict[str, Any]]:
    """Every case for one engine, printed as a table, with its goals checked; returns the last
    format's rows (Opus by default) by case."""

    load = os.getloadavg()
    language = language_of(engine_name)
    print(f"anklesleep render benchmark: routine {routine!r}, {os.cpu_count()} cores, ")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work slows every figure)")
    goals = ENGINE_GOALS.get(engine_name, {})
    print(
        f"speech engine: {engine_name}, reading {language}; quiet bed: {bed}"
        + ("" if goals else " (no goals)")
    )
    print()
    header = (
        f"{'format':<6} {'case':<7} {'render s':>9} {'CPU s':>7} {'track':>8} {'x real':>8} "
        f"{'goal':>7} {'size':>9} {'traced MB':>10} {'RSS MB':>7}"
    )
    print(header)
    print("-" * len(header))
    failures: list[str] = []
    wav_path: Path | None = None
    extra = (engine_name, bed, language)
    last: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="anklesleep-bench-") as root:
        for fmt in formats:
            clips = Path(root) / f"clips-{fmt}"
            rows: list[tuple[str, dict[str, Any]]] = []
            cold_tracks = Path(root) / f"tracks-{fmt}-cold"
            rows.append(
                ("cold", run_child("render", routine, fmt, str(clips), str(cold_tracks), *extra))
            )
            warm: list[dict[str, Any]] = []
            for n in range(max(1, repeat)):
                tracks = Path(root) / f"tracks-{fmt}-warm{n}"
                warm.append(run_child("render", routine, fmt, str(clips), str(tracks), *extra))
            rows.append(("warm", min(warm, key=lambda r: r["seconds"])))
            rows.append(
                ("cached", run_child("render", routine, fmt, str(clips), str(tracks), *extra))
            )
            last = {case: {**r, "language": language} for case, r in rows}
            for case, r in rows:
                factor = r["duration"] / r["seconds"]
                goal = goals.get(case) if fmt == "opus" else None
                goal_text = f">={goal:.0f}x" if goal else ""
                print(
                    f"{fmt:<6} {case:<7} {r['seconds']:>9.3f} {r['cpu']:>7.2f} "
                    f"{r['duration']:>7.1f}s {factor:>7.1f}x {goal_text:>7} "
                    f"{r['bytes'] / 1e6:>7.2f}MB {r['traced_mb']:>10.1f} {r['rss_mb']:>7.1f}"
                )
                if goal and factor < goal:
                    failures.append(f"{fmt} {case}: {factor:.1f}x < {goal:g}x")
                if r["rss_mb"] > MAX_MEMORY_MB and engine_name == "espeak-ng":
                    failures.append(f"{fmt} {case}: peak RSS {r['rss_mb']:.0f} MB > 250 MB")
                if fmt == "opus" and r["bytes"] > MAX_OPUS_BYTES:
                    failures.append(f"opus size {r['bytes'] / 1e6:.2f} MB > 2 MB")
            base = run_child("baseline", routine, fmt, str(clips), "-", *extra)
            duration = rows[0][1]["duration"]
            print(
                f"{fmt:<6} {'baseline':<7} {base['seconds']:>9.3f} {'':>7} {duration:>7.1f}s "
                f"{duration / base['seconds']:>7.0f}x   (encoding the mixed samples alone)"
            )
            if fmt == "wav":
                wav_path = Path(rows[0][1]["path"])
                print()
                print("levels of the rendered track:")
                for line in levels(wav_path, routine, clips, engine_name, language):
                    print(line)
                print()
    if failures:
        print("below goal: " + "; ".join(failures))
    else:
        print("all goals met")
    missing = sorted({m for r in last.values() for m in r.get("missing", [])})
    if missing:
        print("texts without Japanese in ja_script.py (spoken as a pause): " + "; ".join(missing))
    print()
    return last


if __name__ == "__main__":
    main()
