"""No user-facing text states as fact that the routine improves sleep or relieves a complaint.

Scanned: every message in the catalog (Python, templates, routine and script files), the help
of every command and option, and the README. A sentence with a causal phrasing about the
routine passes only when it is framed as a claim, a question or a possibility (the hedges
below); the list of phrasings is short and reviewed, so new ones are added here deliberately.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po

from anklesleep.cli import cli

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "src/anklesleep/locale/anklesleep.pot"

CAUSAL = re.compile(
    r"\b("
    r"for (a )?(better|deeper|more restful) sleep"
    r"|(improves?|improving|deepens?|deepening) (your |the )?(sleep|nights?)"
    r"|sleep (better|deeper|more deeply)"
    r"|(relieves?|relieving|eases?|cures?|curing|heals?|fixes|treats?) (the |your )?"
    r"(pain|complaints?|insomnia|stiffness|headaches?|knees?|back|shoulders?|symptoms?)"
    r"|helps? you (to )?(sleep|fall asleep|rest)"
    r"|(will|is proven to|is shown to) (help|improve|deepen|relieve)"
    r")\b",
    re.IGNORECASE,
)
HEDGES = re.compile(
    r"\b(whether|if|claims?|says|said|according|in (his|her|their) view|may|might|could|"
    r"not|no|expecting|find out|see for yourself|association|untested|believes?|thinks?)\b",
    re.IGNORECASE,
)


def sentences(text: str) -> Iterator[str]:
    for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", " ".join(text.split())):
        if sentence.strip():
            yield sentence.strip()


def overstatements(text: str) -> list[str]:
    return [s for s in sentences(text) if CAUSAL.search(s) and not HEDGES.search(s)]


def catalog_messages() -> Iterator[str]:
    with POT.open("rb") as f:
        for message in read_po(f):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            yield from (i for i in ids if i)


def help_texts(command: click.Command = cli) -> Iterator[str]:
    yield command.help or ""
    yield command.epilog or ""
    for param in command.params:
        yield getattr(param, "help", None) or ""
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from help_texts(sub)


def test_the_scanner_catches_a_causal_claim_and_lets_a_hedged_one_pass() -> None:
    assert overstatements("Guided self-massage for better sleep.")
    assert overstatements("This routine relieves knee pain. Try it tonight.")
    assert overstatements("Five minutes a night helps you fall asleep.")
    assert not overstatements("Find out whether the routine helps you sleep.")
    assert not overstatements("In his view, the routine deepens sleep; this is untested.")
    assert not overstatements("It is not a treatment.")


@pytest.mark.parametrize(
    ("where", "texts"),
    [
        ("catalog", lambda: list(catalog_messages())),
        ("command help", lambda: list(help_texts())),
        ("README", lambda: [(ROOT / "README.md").read_text("utf-8")]),
    ],
)
def test_no_text_states_that_the_routine_works(where: str, texts: object) -> None:
    assert callable(texts)
    found = [s for text in texts() for s in overstatements(text)]
    assert not found, f"{where}: causal claims stated as fact: {found}"


def test_the_catalog_and_help_were_really_scanned() -> None:
    assert sum(1 for _ in catalog_messages()) > 200
    assert sum(1 for t in help_texts() if t) > 50
