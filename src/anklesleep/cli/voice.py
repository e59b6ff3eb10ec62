"""`voice`: which speech engines are installed and which one speaks; choose one and its pace.

The choice and the speaking rate are stored in the preferences (the same ones the web app's
settings page edits), so `audio`, `start`, `timeline`, the web player and Today all use them.
"""

from __future__ import annotations

from dataclasses import replace

import click

from anklesleep.basics.i18n import _
from anklesleep.cli.common import database, stored_voice

AUTO = "auto"


@click.group(epilog="Example: anklesleep voice list")
def voice() -> None:
    """The voices that can speak the guided sessions, and how fast they speak."""


@voice.command("list", epilog="Example: anklesleep voice list")
def list_voices() -> None:
    """List the speech engines, whether each is installed, and which one is used.

    Unless you chose one with `voice use`, the first installed engine in this list speaks the
    sessions (the most natural first); "none" means tones and text only.
    """
    from anklesleep.audio import voices

    speaker, rate = stored_voice()
    used = voices.preferred_engine(speaker, rate)
    for name, factory in voices.ENGINES.items():
        engine = factory(used.rate if used.rate else voices.DEFAULT_RATE)
        installed = engine.available()
        state = _("installed") if installed else _("not installed")
        mark = "*" if name == used.name else " "
        details = (
            _("voice {voice}, {rate} words a minute").format(voice=engine.voice, rate=engine.rate)
            if name != "none"
            else _("tones and text only")
        )
        click.echo(f"{mark} {name:<10} {state:<14} {details}")
        if not installed and name in voices.INSTALL_HINTS:
            click.echo(f"  {'':<10} {voices.INSTALL_HINTS[name]}")
    click.echo(_("* = used now"))
    if speaker is not None and speaker != used.name:
        click.echo(
            _("You chose {chosen}, which is not installed now; {used} speaks instead.").format(
                chosen=speaker, used=used.name
            )
        )


@voice.command("use", epilog="Example: anklesleep voice use espeak-ng")
@click.argument("engine")
@click.pass_context
def use_voice(ctx: click.Context, engine: str) -> None:
    """Speak every session with ENGINE (see `voice list`); `auto` picks the most natural one
    installed, `none` plays tones and text only."""
    from anklesleep.audio import voices

    name: str | None = None if engine.strip().lower() == AUTO else engine
    if name is not None:
        name = voices.get_engine(name).name  # unknown or missing: one clear error, exit 2
    _store(ctx, speaker=name)
    chosen = name or _("the most natural voice installed ({name})").format(
        name=voices.default_engine().name
    )
    click.echo(_("Sessions will be spoken by {engine}.").format(engine=chosen))


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
