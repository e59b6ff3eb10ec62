"""`voice`: which speech engines are installed and which one speaks; choose one and its pace;
add a Kokoro voice file.

The choice and the speaking rate are stored in the preferences (the same ones the web app's
settings page edits), so `audio`, `start`, `timeline`, the web player and Today all use them.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import click

from anklesleep.basics import textwidth as width
from anklesleep.basics.i18n import _, current_language
from anklesleep.cli.common import database, stored_voice

AUTO = "auto"


@click.group(epilog="Example: anklesleep voice list")
def voice() -> None:
    """The voices that can speak the guided sessions, and how fast they speak."""


@voice.command("list", epilog="Example: anklesleep voice list")
def list_voices() -> None:
    """List the speech engines and their voices, the language each reads, whether it is
    installed, and which one is used for each language.

    Unless you chose one with `voice use`, the first installed engine in this list that reads a
    session's language speaks it (the most natural first); "none" means tones and text only.
    """
    from anklesleep.audio import voices

    speaker, rate = stored_voice()
    pace = voices.DEFAULT_RATE if rate is None else rate
    used = {
        lang: voices.preferred_engine(speaker, rate, language=lang)
        for lang in voices.LANGUAGE_NAMES
    }
    used_ids = {voices.speaker_id(engine) for engine in used.values()}

    columns = max(60, shutil.get_terminal_size((80, 24)).columns)
    for name, factory in voices.ENGINES.items():
        engine = factory(pace)
        installed = engine.available()
        if name == "none":
            rows = [(name, voices.engine_language(engine), _("tones and text only"), installed)]
        elif installed and name in voices.VOICE_CHOICES:
            rows = []
            for v in voices.VOICE_CHOICES[name]():
                each = voices.VOICED[name](pace, v)
                rows.append(
                    (
                        f"{name}.{v}",
                        voices.engine_language(each),
                        _("voice {voice}, {rate} words a minute").format(voice=v, rate=pace),
                        each.available(),
                    )
                )
        else:
            rows = [
                (
                    name,
                    voices.engine_language(engine),
                    _("voice {voice}, {rate} words a minute").format(
                        voice=engine.voice, rate=engine.rate
                    ),
                    installed,
                )
            ]
        for shown, spoken, details, ready in rows:
            chosen = shown in used_ids or (shown == name and name in used_ids)
            mark = "*" if chosen else " "
            state = _("installed") if ready else _("not installed")
            language = voices.language_name(spoken)
            head = f"{mark} {width.ljust(shown, 22)} {width.ljust(language, 9)} "
            head += f"{width.ljust(state, 14)} "
            # the details wrap under themselves, so the columns stay readable at 80 columns
            click.echo(width.fill(details, columns, head, " " * width.width(head)))
            if not ready and installed:  # the engine works, this voice's language does not
                voiced = voices.VOICED[name](pace, shown.partition(".")[2])
                why = getattr(voiced, "reason", lambda: None)()
                if why:
                    click.echo(f"  {'':<22} {why}")
        if not installed:
            reason = getattr(engine, "reason", None)
            why = reason() if callable(reason) else None
            hint = why or voices.INSTALL_HINTS.get(name)
            if hint:
                click.echo(f"  {'':<22} {hint}")
    click.echo(_("* = used now (one for each language)"))
    for lang, engine in used.items():
        if speaker is not None and voices.speaker_id(engine) != speaker and engine.name != speaker:
            click.echo(
                _(
                    "For {language} text, {used} speaks (your choice {chosen} is not installed "
                    "or does not read it)."
                ).format(
                    language=voices.language_name(lang),
                    used=voices.speaker_id(engine),
                    chosen=speaker,
                )
            )


@voice.command("use", epilog="Example: anklesleep voice use kokoro.jf_nezumi")
@click.argument("engine")
@click.pass_context
def use_voice(ctx: click.Context, engine: str) -> None:
    """Speak every session with ENGINE, or ENGINE.VOICE (see `voice list`); `auto` picks the
    most natural one installed, `none` plays tones and text only. A voice is used only for the
    language it reads; other languages keep their own most natural voice."""
    from anklesleep.audio import voices

    name: str | None = None if engine.strip().lower() == AUTO else engine
    if name is not None:
        chosen_engine = voices.installed_engine(name)  # unknown or missing: one clear error
        name = voices.speaker_id(chosen_engine) if "." in name else chosen_engine.name
    _store(ctx, speaker=name)
    chosen = name or _("the most natural voice installed ({name})").format(
        name=voices.default_engine(language=current_language()).name
    )
    click.echo(_("Sessions will be spoken by {engine}.").format(engine=chosen))


@voice.command("add", epilog="Example: anklesleep voice add ~/Downloads/jf_mine.npy")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="The voice's name (default: the file's name).")
@click.option(
    "--language",
    default=None,
    help="The language the voice speaks, ja or en, when its name does not tell (Kokoro names "
    "do: jf_... is Japanese, af_... and bf_... English).",
)
def add_voice(path: Path, name: str | None, language: str | None) -> None:
    """Add a Kokoro voice file (.npy, or .bin of raw float32 numbers: 510 x 256 style vectors)
    to your voices, for Japanese or English. It is checked, then copied into your data folder;
    it then speaks its language (or choose it with `voice use kokoro.NAME`). English needs the
    kokoro-en extra."""
    from anklesleep.audio import kokoro

    added = kokoro.add_voice(path.expanduser(), name=name, language=language)
    click.echo(
        _(
            "Added the Kokoro voice {name} ({language}): {path}. Use it with `anklesleep voice "
            "use kokoro.{name}`."
        ).format(name=added.name, language=added.language, path=added.path)
    )
    reason = kokoro.missing(added.language)
    if reason is not None:
        click.echo(reason)


@voice.command("rate", epilog="Example: anklesleep voice rate 120")
@click.argument("words_a_minute")
@click.pass_context
def voice_rate(ctx: click.Context, words_a_minute: str) -> None:
    """Set how fast the voice speaks, in words a minute (80 to 220; calm: 130, the default)."""
    from anklesleep.audio import voices

    rate = voices.check_rate(words_a_minute)
    _store(ctx, speech_rate=rate)
    click.echo(_("The voice will speak {rate} words a minute.").format(rate=rate))


def _store(ctx: click.Context, **changes: object) -> None:
    from anklesleep.cli import localtime as local
    from anklesleep.store import preferences

    with database(ctx).begin() as conn:
        stored = preferences.load(conn)
        options = replace(stored.options, **changes)  # type: ignore[arg-type]
        preferences.save(conn, replace(stored, options=options), local.utc_now())
