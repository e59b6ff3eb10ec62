"""The session's spoken script besides the steps: introduction, counts, cues and closings.

The texts live in `builtin/script.toml` (English message ids, extracted into the translation
catalog like the routine files). `parse_script` checks the file; `builtin_script` reads the one
shipped with anklesleep.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.routine.options import INTRO_CHOICES, SLOT_CHOICES

IntroChoice = Literal["full", "short", "none"]


@dataclass(frozen=True)
class Script:
    """Everything the track says that is not a step's own instruction."""

    intro_full: tuple[str, ...]
    intro_short: tuple[str, ...]
    #: intro played by default, per routine id (others: "full")
    intro_defaults: Mapping[str, IntroChoice]
    counts: tuple[str, ...]
    last: str
    halfway: str
    #: closing by slot ("any" when the slot is not known)
    closings: Mapping[str, str]

    def intro(self, choice: IntroChoice) -> tuple[str, ...]:
        return {"full": self.intro_full, "short": self.intro_short}.get(choice, ())

    def default_intro(self, routine_id: str) -> IntroChoice:
        return self.intro_defaults.get(routine_id, "full")

    def count(self, rep: int, reps: int) -> str | None:
        """What to say before repetition `rep` of `reps`: its number, or "last one"."""
        if rep == reps and reps > 1:
            return self.last
        return self.counts[rep - 1] if 0 < rep <= len(self.counts) else None

    def closing(self, slot: str | None) -> str:
        return self.closings.get(slot or "any", self.closings["any"])


def _fail(where: str, problem: str) -> AnkleSleepError:
    return AnkleSleepError(
        _("script file: {where}: {problem}").format(where=where, problem=problem), field="script"
    )


def _texts(node: Any, where: str) -> tuple[str, ...]:
    say = node.get("say") if isinstance(node, dict) else None
    if isinstance(say, str):
        say = [say]
    if not isinstance(say, list) or not say or not all(isinstance(s, str) and s for s in say):
        raise _fail(where, _("needs `say`, a text or a list of texts"))
    return tuple(say)


def parse_script(text: str) -> Script:
    """Read and check a script file (see `builtin/script.toml`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail("syntax", str(exc)) from None
    if data.get("schema") != 1:
        raise _fail("schema", _("expected schema = 1"))
    intro = data.get("intro", {})
    defaults = intro.get("defaults", {})
    if not all(v in INTRO_CHOICES for v in defaults.values()):
        raise _fail(
            "intro.defaults", _("use one of {choices}").format(choices=", ".join(INTRO_CHOICES))
        )
    closing = data.get("closing", {})
    closings = {slot: _texts(closing.get(slot), f"closing.{slot}")[0] for slot in closing}
    if "any" not in closings:
        raise _fail("closing.any", _("missing; the closing when the slot is not known"))
    unknown = sorted(set(closings) - {"any", *SLOT_CHOICES})
    if unknown:
        raise _fail(
            f"closing.{unknown[0]}", _("use any, {choices}").format(choices=", ".join(SLOT_CHOICES))
        )
    return Script(
        intro_full=_texts(intro.get("full"), "intro.full"),
        intro_short=_texts(intro.get("short"), "intro.short"),
        intro_defaults={str(k): v for k, v in defaults.items()},
        counts=_texts(data.get("counts"), "counts"),
        last=_texts(data.get("last"), "last")[0],
        halfway=_texts(data.get("halfway"), "halfway")[0],
        closings=closings,
    )


@cache
def builtin_script() -> Script:
    """The script shipped with anklesleep."""
    package = __package__ or "anklesleep.routine"
    text = resources.files(package).joinpath("builtin/script.toml").read_text("utf-8")
    return parse_script(text)
