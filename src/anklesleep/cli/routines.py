"""`routines`, `show` and `timeline`: look at a routine before doing it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import click

from anklesleep.basics import formats
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, _, translator
from anklesleep.cli.common import options_from, timeline_options
from anklesleep.cli.wrapping import display_width, left, right, wrap
from anklesleep.routine import catalog as library
from anklesleep.routine.definition import Routine
from anklesleep.routine.descriptions import rows
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import GET_SET_SECONDS, Timeline

_VOICE_HELP = N_(
    "Speech engine the times are measured with (default: the one `audio` uses), or none."
)


def to_play(routine: Routine, options: Options, voice_name: str | None = None) -> Timeline:
    """The timeline that will play (measured with the voice that will speak it)."""
    from anklesleep.audio import voices
    from anklesleep.audio.playing import timeline_to_play

    engine = voices.engine_for(options, voice_name)
    return timeline_to_play(routine, options, engine=engine, translate=translator())


@click.command(epilog="Example: anklesleep routines")
def routines() -> None:
    """List the routines you can follow, with their length."""
    t = translator()
    found = library.available()
    width = max(len(r) for r in found)
    names = {routine_id: t(routine.name) for routine_id, routine in found.items()}
    name_width = max(14, *(display_width(name) for name in names.values()))
    for routine_id, routine in found.items():
        options = options_from({})
        length = formats.duration(to_play(routine, options).total_seconds)
        click.echo(
            f"{routine_id:<{width}}  {left(names[routine_id], name_width)} {right(length, 6)}  "
            f"{t(routine.summary)}"
        )


@click.command(
    epilog="Examples: anklesleep show full --first-foot right --tempo 1.2\n\n"
    "anklesleep show full --html -o sheet.html\n\nanklesleep show quick --pdf -o quick.pdf"
)
@click.argument("routine", default="full")
@click.option(
    "--html",
    "as_html",
    is_flag=True,
    help="Write a printable sheet (one A4 page, a picture for every step) as one HTML file.",
)
@click.option(
    "--pdf", "as_pdf", is_flag=True, help="Write the printable sheet as PDF (needs Chromium)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    metavar="PATH",
    help="File for --html or --pdf (a name ending in .html or .pdf picks the format).",
)
@timeline_options
@click.option("--voice", "voice_name", default=None, metavar="ENGINE", help=_VOICE_HELP)
def show(
    routine: str,
    routine_file: Path | None,
    as_html: bool,
    as_pdf: bool,
    output: Path | None,
    **kwargs: Any,
) -> None:
    """Show ROUTINE step by step for both feet, with the time of each step and the total.

    Numbers marked * are anklesleep's own defaults; the others come from the article.
    With --html or --pdf, write the printable routine sheet instead (--html alone prints it).
    """
    t = translator()
    options = options_from(kwargs)
    chosen = library.load(routine, routine_file)
    timeline = to_play(chosen, options, kwargs.pop("voice_name", None))
    if as_html or as_pdf or output is not None:
        _write_sheet(chosen, timeline, as_html, as_pdf, output)
        return
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    click.echo(f"{t(chosen.name)} ({chosen.id}): {t(chosen.summary)}")
    click.echo(
        _("Total {total}, both feet.  * = our default, not from the article.").format(
            total=formats.duration(timeline.total_seconds)
        )
    )
    click.echo(
        _(
            "Each hold or movement starts {seconds} s* after the words end (get set); "
            "grips count their seconds once the words end."
        ).format(seconds=f"{GET_SET_SECONDS:g}")
    )
    click.echo()
    table = rows(chosen, timeline, t)
    total = formats.duration(timeline.total_seconds)
    # columns in terminal cells (kanji and kana take two); the English widths are the least,
    # and whatever a language's columns need beyond them comes out of "What to do"
    foot_width = max(6, display_width(_("Foot")), *(display_width(r.foot) for r in table))
    step_width = max(4, display_width(_("Step")))
    timing_width = max(
        32, display_width(_("Timing")) + 1, *(display_width(r.timing) + 1 for r in table)
    )
    time_width = max(
        6, display_width(total), *(display_width(formats.duration(r.seconds)) for r in table)
    )
    extra = (foot_width - 6) + (step_width - 4) + (timing_width - 32) + (time_width - 6)
    what_width = max(20, width - 50 - extra)
    header = f"{'#':>3}  {left(_('Foot'), foot_width)} {left(_('Step'), step_width)}  "
    header += f"{left(_('What to do'), what_width)}  "
    click.echo(header + f"{left(_('Timing'), timing_width)}{right(_('Time'), time_width)}")
    for row in table:
        lines = wrap(row.what, what_width)
        click.echo(
            f"{row.number:>3}  {left(row.foot, foot_width)} {left(row.step, step_width)}  "
            f"{left(lines[0], what_width)}  "
            f"{left(row.timing, timing_width)}{right(formats.duration(row.seconds), time_width)}"
        )
        for more in lines[1:]:
            click.echo(f"{'':>3}  {'':<{foot_width}} {'':<{step_width}}  {more}")
    line_width = 3 + 2 + foot_width + 1 + step_width + 2 + what_width + 2 + timing_width
    click.echo(f"{right(_('Total'), line_width)}{right(total, time_width)}")


def _write_sheet(
    chosen: Routine, timeline: Timeline, as_html: bool, as_pdf: bool, output: Path | None
) -> None:
    """`show --html/--pdf`: the printable sheet, to a file (or HTML to stdout)."""
    from anklesleep.basics import files as outfile
    from anklesleep.printouts import sheet

    if as_html and as_pdf:
        raise AnkleSleepError(_("--html/--pdf: got both; choose one format"), field="format")
    if not (as_html or as_pdf):
        suffix = output.suffix.lower() if output is not None else ""
        if suffix not in (".html", ".htm", ".pdf"):
            raise AnkleSleepError(
                _(
                    "-o: got {output!r}; add --html or --pdf, or end the name in .html or .pdf"
                ).format(output=str(output)),
                field="output",
            )
        as_pdf = suffix == ".pdf"
    if as_pdf and output is None:
        raise AnkleSleepError(
            _("-o: missing; --pdf needs a file to write, such as -o sheet.pdf"), field="output"
        )
    language = os.environ.get("ANKLESLEEP_LANG") or "en"
    page = sheet.sheet_html(chosen, timeline, translator(), language=language)
    if output is None:
        click.echo(page, nl=False)
        return
    outfile.check_output(output, example="sheet.pdf" if as_pdf else "sheet.html")
    if as_pdf:
        sheet.pdf_printer().print_pdf(page, output)
        click.echo(_("Wrote the routine sheet as PDF to {path}.").format(path=output))
    else:
        outfile.write_text(output, page, example="sheet.html")
        click.echo(
            _("Wrote the routine sheet to {path}: open it in a browser, or print it on A4.").format(
                path=output
            )
        )


@click.command(epilog="Example: anklesleep timeline quick --json --tempo 0.5")
@click.argument("routine", default="full")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the only format for now).")
@timeline_options
@click.option("--voice", "voice_name", default=None, metavar="ENGINE", help=_VOICE_HELP)
def timeline(
    routine: str, routine_file: Path | None, as_json: bool, voice_name: str | None, **kwargs: Any
) -> None:
    """Print every cue of a ROUTINE session: start, duration, kind, step, words and tone.

    Prints JSON: {"routine", "total_seconds", "options", "cues": [...]}.
    """
    options = options_from(kwargs)
    chosen = library.load(routine, routine_file)
    result = to_play(chosen, options, voice_name)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1 if not as_json else None))
