"""What a database error means for the user, in one line without any stored text.

SQLAlchemy's own message repeats the statement (and, without `hide_parameters`, the values
sent, which can be a diary note); these lines name only the kind of trouble and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from anklesleep.basics.i18n import _


@dataclass(frozen=True)
class Failure:
    """One database error, said plainly: the line to show and whether trying again may help."""

    message: str
    temporary: bool  # busy or locked: the same request later may succeed


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).lower()


def describe(exc: BaseException) -> Failure:
    """The one line for a database (or database file) error."""
    reason = _reason(exc)
    if "locked" in reason or "busy" in reason:
        return Failure(
            _("database: busy with another program's write; try again in a moment"), True
        )
    if "malformed" in reason or "not a database" in reason or "corrupt" in reason:
        return Failure(
            _(
                "database: the file is damaged; run `anklesleep doctor`, or restore a backup "
                "with `anklesleep import`"
            ),
            False,
        )
    if "disk is full" in reason or "no space" in reason or "database or disk is full" in reason:
        return Failure(_("database: the disk is full; free some space and try again"), False)
    if "readonly" in reason or "read-only" in reason or "permission" in reason:
        return Failure(
            _("database: the file cannot be written (read-only); check its permissions"), False
        )
    if "unable to open" in reason or "could not connect" in reason or "connection" in reason:
        return Failure(_("database: cannot be reached; check --db or the URL"), True)
    return Failure(
        _("database: the operation failed ({kind}); try again, or run `anklesleep doctor`").format(
            kind=type(exc).__name__
        ),
        False,
    )
