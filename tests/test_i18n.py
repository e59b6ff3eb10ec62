"""Every user-facing string goes through the catalogs, and the catalogs are current."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from anklesleep.basics.i18n import _, translator

ROOT = Path(__file__).resolve().parents[1]


def test_catalog_template_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout


def test_routine_text_is_in_the_catalog() -> None:
    pot = (ROOT / "src/anklesleep/locale/anklesleep.pot").read_text()
    assert 'msgid "Pull the big toe and the second toe apart."' in pot
    assert 'msgid "Switch to the right foot."' in pot


def test_empty_message_is_not_the_catalog_header() -> None:
    assert _("") == ""
    assert translator("en")("") == ""
    assert translator("en")("Toes") == "Toes"


#: What a message is made with: gettext under any of the names the code gives it.
_GETTEXT = {"_", "t", "translate", "gettext", "ngettext", "nt"}


def _untranslated_errors(source: str) -> list[str]:
    """The messages given to `AnkleSleepError` as literal words: a string, or an f-string with
    letters of its own (an f-string that only joins translated parts, like `f"{a}: {b}"`, is
    fine, and so is a name or a call's result)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name != "AnkleSleepError":
            continue
        message = node.args[0]
        while (
            isinstance(message, ast.Call)
            and isinstance(message.func, ast.Attribute)
            and message.func.attr == "format"
        ):
            message = message.func.value
        if isinstance(message, ast.Call):
            called = getattr(message.func, "id", getattr(message.func, "attr", ""))
            if called in _GETTEXT:
                continue
        literal = [message] if isinstance(message, ast.Constant) else []
        if isinstance(message, ast.JoinedStr):
            literal = [v for v in message.values if isinstance(v, ast.Constant)]
        if any(re.search("[A-Za-z]", str(part.value)) for part in literal):
            found.append(f"{node.lineno}: {ast.unparse(node.args[0])[:80]}")
    return found


def test_every_error_message_goes_through_gettext() -> None:
    """Errors are user-facing text too: `AnkleSleepError("...")` with English words that no
    catalog can reach would stay English for a Japanese user."""
    left = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "src" / "anklesleep").rglob("*.py"))
        if (found := _untranslated_errors(path.read_text("utf-8")))
    }
    assert not left, left


def test_the_error_check_catches_a_literal_message() -> None:
    assert _untranslated_errors('raise AnkleSleepError("no such night", field="night")')
    assert _untranslated_errors('raise AnkleSleepError(f"night {n}: not found")')
    assert not _untranslated_errors('raise AnkleSleepError(_("no such night {n}").format(n=n))')
    assert not _untranslated_errors('raise AnkleSleepError(f"{label}: {problem}")')
