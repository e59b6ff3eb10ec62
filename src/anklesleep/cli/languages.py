"""`language`: show or choose the language of the app (the terminal and the web app alike)."""

from __future__ import annotations

import os

import click

from anklesleep.basics.i18n import _, available, current_language, using
from anklesleep.cli import language as choosing
from anklesleep.cli.common import database


def language_name(code: str) -> str:
    """A language named in itself: "English", "日本語"."""
    from babel import Locale

    return str(Locale.parse(code).get_display_name(code) or code)


def _source(ctx: click.Context) -> str:
    """Where this command's language came from, in words."""
    root = ctx.find_root()
    if root.params.get("lang"):
        return _("from --lang")
    if choosing.supported_env(os.environ):
        return _("from ${name}").format(name=choosing.ENV)
    db = (root.obj or {}).get("db") if isinstance(root.obj, dict) else None
    if choosing.stored_choice(db):
        return _("chosen with `anklesleep language`")
    if choosing.from_locale(os.environ):
        return _("from this computer's locale")
    return _("the default")


@click.command(epilog="Example: anklesleep language ja")
@click.argument("choice", required=False, metavar="[auto|" + "|".join(available()) + "]")
@click.pass_context
def language(ctx: click.Context, choice: str | None) -> None:
    """Show the language of messages, or choose it for the terminal and the web app alike.

    `auto` follows the browser in the web app and this computer's locale in the terminal.
    `--lang` and $ANKLESLEEP_LANG still win for one command.
    """
    from anklesleep.cli import localtime as local
    from anklesleep.store import language as language_store

    if choice is None:
        now = current_language()
        with database(ctx).connect() as conn:
            stored = language_store.load(conn)
        click.echo(
            _("Language: {name} ({code}), {source}.").format(
                name=language_name(now), code=now, source=_source(ctx)
            )
        )
        click.echo(
            _("Stored choice: {choice} (choices: {choices}).").format(
                choice=stored, choices=", ".join(language_store.choices())
            )
        )
        return
    value = language_store.check(choice.strip().lower())
    with database(ctx).begin() as conn:
        language_store.save(conn, value, local.utc_now())
    if value == language_store.AUTO:
        click.echo(_("The app will follow the browser and this computer's locale."))
        return
    with using(value):
        click.echo(_("Messages will be in {name}.").format(name=language_name(value)))
