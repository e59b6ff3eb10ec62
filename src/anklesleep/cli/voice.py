"""`voice list`: which speech engines are installed, and which one speaks."""

from __future__ import annotations

import click

from anklesleep.basics.i18n import _


@click.group(epilog="Example: anklesleep voice list")
def voice() -> None:
    """The voices that can speak the guided sessions."""


@voice.command("list", epilog="Example: anklesleep voice list")
def list_voices() -> None:
    """List the speech engines, whether each is installed, and which one is used.

    The first installed engine in this list speaks the sessions (the most natural first);
    "none" means tones and text only.
    """
    from anklesleep.audio import voices

    used = voices.get_engine(None)
    for name, factory in voices.ENGINES.items():
        engine = factory()
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
