"""click's own words ("Usage:", "Options", "Show this message and exit.", its error sentences)
in the user's language.

click looks its words up with the standard library's `gettext`, which knows nothing of this
app's catalogs and of a per-command language. `install()` points click's lookups at ours
(`anklesleep.basics.i18n`), and `WORDS` marks click's messages for extraction, so they sit in
our catalogs beside every other message. `localize(command)` gives our commands' own help (the
docstrings and `help=` texts, English in the code) in the current language.
"""

from __future__ import annotations

import inspect
from types import ModuleType

import click

from anklesleep.basics.i18n import N_, Nn_, _, ngettext

#: click's user-facing messages (click 8), extracted into our catalog
WORDS: tuple[str | tuple[str, str], ...] = (
    N_("Aborted!"),
    N_("deprecated"),
    N_("Options"),
    N_("Positional arguments"),
    Nn_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_("DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    N_("Commands"),
    N_("Missing command."),
    Nn_("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."),
    N_("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("(dynamic)"),
    Nn_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Usage:"),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Option {name!r} does not take a value."),
    Nn_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_("Choose from:\n\t{choices}"),
    Nn_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    Nn_(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    Nn_(
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("%(prog)s, version %(version)s"),
    N_("Show the version and exit."),
    N_("Show this message and exit."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Press any key to continue..."),
)

#: the help of click's --help option
HELP_OPTION = N_("Show this message and exit.")

#: where click keeps its `_` and `ngettext` (module globals, bound at its import)
_MODULES: tuple[str, ...] = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
)

#: the English each command and option was written with, kept when its text is replaced
_ENGLISH = "_anklesleep_english"
#: help texts with values filled in: the English shown -> (its message, the values)
_FILLED: dict[str, tuple[str, dict[str, str]]] = {}


def filled(message: str, **values: str) -> str:
    """A help text with `{name}` places filled with `values`, translated as one message when
    shown (the values are translated too: a label, or a range that stays as it is)."""
    english = message.format(**values)
    _FILLED[inspect.cleandoc(english)] = (message, values)
    return english


def install() -> None:
    """Make click look its words up in this app's catalog, in the current language, and lay
    out help text by its width on screen (see `anklesleep.cli.wrapping`)."""
    import importlib

    import click.formatting

    from anklesleep.cli import wrapping

    if not getattr(click.formatting.wrap_text, "_anklesleep", False):
        wrapped = wrapping.wide_aware(click.formatting.wrap_text)
        wrapped._anklesleep = True  # type: ignore[attr-defined]
        click.formatting.wrap_text = wrapped
        setattr(click.formatting, "term_len", wrapping.display_width)  # noqa: B010
    for name in _MODULES:
        module: ModuleType = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _translated(obj: object, attr: str) -> None:
    english = getattr(obj, _ENGLISH + attr, None)
    if english is None:
        english = getattr(obj, attr, None)
        if not isinstance(english, str) or not english:
            return
        setattr(obj, _ENGLISH + attr, english)
    cleaned = inspect.cleandoc(english)
    head, cut, tail = cleaned.partition("\f")
    if head in _FILLED:
        message, values = _FILLED[head]
        translated = _(message).format(**{k: _(v) for k, v in values.items()})
    else:
        translated = _(head)
    setattr(obj, attr, translated + cut + tail if translated != head else english)


def localize(command: click.Command) -> click.Command:
    """`command` (and its subcommands) with help texts in the current language.

    The English is kept beside each text, so a later run in another language translates from
    the English again."""
    for attr in ("help", "short_help", "epilog"):
        _translated(command, attr)
    for param in command.params:
        _translated(param, "help")
    # click makes the --help option once and keeps it, its text in the language of that time
    help_option = getattr(command, "_help_option", None)
    if help_option is not None:
        help_option.help = _(HELP_OPTION)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub)
    return command
