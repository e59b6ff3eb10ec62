"""Every user-facing string goes through the catalogs, and the catalogs are current."""

from __future__ import annotations

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
