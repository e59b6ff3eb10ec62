"""`audio`: render a guided track to play on any device, screen locked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from anklesleep.basics.i18n import _, translator
from anklesleep.cli.common import options_from, timeline_options
from anklesleep.routine.options import BED_SOFT, check_bed


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{max(1, round(count / 1000))} kB"


@click.command(epilog="Example: anklesleep audio full -o bedtime.opus --first-foot right")
@click.argument("routine", default="full")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    metavar="FILE",
    help="Where to write the track; .opus or .ogg (Opus, smallest), .mp3 or .wav.",
)
@timeline_options
@click.option(
    "--voice",
    "voice_name",
    default=None,
    metavar="ENGINE",
    help="Speech engine: festival, espeak-ng or none (tones only); default: the one chosen "
    "with `voice use`, else the most natural one installed.",
)
@click.option(
    "--rate",
    "speech_rate",
    default=None,
    metavar="WPM",
    help="How fast the voice speaks, in words a minute (80-220; default: `voice rate`, or 130).",
)
@click.option(
    "--bed",
    default=None,
    metavar="LEVEL",
    help="A quiet bed of room tone under the whole track, so phones and headsets stay awake in "
    "the pauses: off, soft (-48 dB), or a level in dB from -60 to -30 (default: the saved "
    "setting, else off).",
)
@click.option(
    "--no-ticks",
    is_flag=True,
    help="Leave out the soft ticks that keep the pace of circles and tilts.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Also write FILE.json: the timeline used, with the exact sample of every tone.",
)
def audio(
    routine: str,
    output: Path,
    routine_file: Path | None,
    voice_name: str | None,
    speech_rate: str | None,
    bed: str | None,
    no_ticks: bool,
    as_json: bool,
    **kwargs: Any,
) -> None:
    """Render a ROUTINE session as one audio track, spoken and timed, with chapters.

    Press play, lock the phone and follow the voice: a bright tone starts each hold, a lower
    one releases it. Beside FILE it writes FILE.vtt (bedtime.opus.vtt), one chapter per step
    and foot.
    """
    from anklesleep.audio import mixing as track
    from anklesleep.audio import voices as voice
    from anklesleep.basics import files, formats
    from anklesleep.routine import catalog as library

    t = translator()
    target = files.check_output(output, "--output", example="routine.opus")
    fmt = track.format_for(target)
    options = options_from(kwargs)
    if speech_rate is not None:
        options = replace(options, speech_rate=voice.check_rate(speech_rate))
    if bed is not None:
        options = replace(options, bed=check_bed(BED_SOFT if bed == "soft" else bed))
    engine = voice.engine_for(options, voice_name)
    if voice_name is None and engine.name == "none":
        click.echo(
            _(
                "No speech engine is installed, so this track has tones only; install espeak-ng "
                "or festival for a voice."
            ),
            err=True,
        )
    options = replace(options, voice=engine.name != "none")
    chosen = library.load(routine, routine_file)
    rendered = track.render_track(
        chosen, options, engine=engine, fmt=fmt, translate=t, ticks=not no_ticks
    )
    vtt = target.with_name(target.name + ".vtt")  # bedtime.opus.vtt: never shared
    written = [target, vtt]
    files.copy(rendered.path, target, "--output")
    files.copy(rendered.vtt_path, vtt, "--output")
    if as_json:
        data = track.track_json(
            rendered.timeline, fmt=fmt, engine=engine, ticks=not no_ticks, rate=rendered.sample_rate
        )
        data["track"]["file"] = target.name
        data["track"]["chapters"] = vtt.name
        json_path = target.with_name(target.name + ".json")
        files.write_text(
            json_path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", "--output"
        )
        written.append(json_path)
    voice_text = (
        _("{engine} voice").format(engine=engine.name) if options.voice else _("tones only")
    )
    click.echo(
        _("Wrote {file}: {label}, {length}, {size}, {voice}.").format(
            file=target,
            label=fmt.label,
            length=formats.duration(rendered.duration),
            size=_size(rendered.bytes),
            voice=voice_text,
        )
    )
    chapters = len(rendered.timeline.chapters())
    click.echo(_("Chapters: {file} ({count}).").format(file=vtt, count=chapters))
    if as_json:
        click.echo(_("Timeline: {file}.").format(file=written[-1]))
