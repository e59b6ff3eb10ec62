"""The routine as validated values: sections of steps, parsed from TOML text.

Pure: `parse_routine` takes the text and a name for messages; reading files lives in
`anklesleep.routine.catalog`. Every problem raises `AnkleSleepError` naming the file, the place
(`sections[1].steps[2].reps`), the bad value and what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _

SectionId = Literal["toes", "ankle", "heel"]
StepKind = Literal["hold", "grip", "circle", "tilt"]
Direction = Literal["inward", "outward"]
FootOrder = Literal["by-section", "by-foot"]
Source = Literal["article", "japanese-source", "ours"]

SECTION_IDS: tuple[SectionId, ...] = ("toes", "ankle", "heel")
STEP_IDS = ("T1", "T2", "T3", "T4", "T5", "T6", "A0", "A1", "A2", "H0", "H1")
STEP_KINDS: tuple[StepKind, ...] = ("hold", "grip", "circle", "tilt")
DIRECTIONS: tuple[Direction, ...] = ("inward", "outward")
FOOT_ORDERS: tuple[FootOrder, ...] = ("by-section", "by-foot")
SOURCES: tuple[Source, ...] = ("article", "japanese-source", "ours")
#: Toes by their position, 1 (big) to 5 (little). The article borrows finger names; we do not.
TOES = ("big", "second", "middle", "fourth", "little")
SCHEMA_VERSION = 1

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

# The numeric fields each kind of step needs, with their allowed ranges.
_NUMBERS: dict[str, tuple[float, float, bool]] = {
    # name: (low, high, whole number)
    "reps": (1, 100, True),
    "hold_seconds": (0.5, 120.0, False),
    "release_seconds": (0.5, 60.0, False),
    "seconds": (0.5, 120.0, False),
    "pace_seconds": (0.3, 30.0, False),
    "announce_min_seconds": (0.5, 30.0, False),
    "switch_seconds": (0.5, 60.0, False),
    "closing_seconds": (0.5, 60.0, False),
}
_STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "hold": ("reps", "hold_seconds", "release_seconds"),
    "grip": ("seconds",),
    "circle": ("reps", "pace_seconds"),
    "tilt": ("reps", "pace_seconds"),
}


@dataclass(frozen=True)
class Step:
    """One step of a section, such as T1 (big and second toe apart, 5 holds of 5 s)."""

    id: str
    kind: StepKind
    instruction: str
    reps: int = 1
    hold_seconds: float = 0.0
    release_seconds: float = 0.0
    seconds: float = 0.0
    pace_seconds: float = 0.0
    direction: Direction | None = None
    toes: tuple[str, ...] = ()
    source: Mapping[str, Source] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A part of the routine worked on one foot at a time: toes, ankle or heel."""

    id: SectionId
    title: str
    purpose: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Transitions:
    """Timing between steps: minimum announcement, switching feet, the closing cue."""

    announce_min_seconds: float = 3.0
    switch_seconds: float = 6.0
    closing_seconds: float = 4.0
    source: Mapping[str, Source] = field(default_factory=dict)


@dataclass(frozen=True)
class Routine:
    """A whole routine, done on both feet, in a default foot order."""

    id: str
    name: str
    summary: str
    origin: Source
    order: FootOrder
    transitions: Transitions
    sections: tuple[Section, ...]

    def step(self, step_id: str) -> Step:
        """The step with this id (T1…H1)."""
        for section in self.sections:
            for step in section.steps:
                if step.id == step_id:
                    return step
        raise AnkleSleepError(
            _("step: got {step!r}; routine {routine!r} has {steps}").format(
                step=step_id,
                routine=self.id,
                steps=", ".join(s.id for sec in self.sections for s in sec.steps),
            )
        )


class _Checker:
    """Reads raw TOML values, raising one precise error per problem."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, place: str, value: object, allowed: str) -> AnkleSleepError:
        shown = "nothing" if value is _MISSING else repr(value)
        return AnkleSleepError(
            _("{origin}: {place}: got {shown}; {allowed}").format(
                origin=self.origin, place=place, shown=shown, allowed=allowed
            ),
            field=place,
        )

    def table(self, raw: object, place: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(place, raw, _("expected a table"))
        return cast(dict[str, Any], raw)

    def keys(self, raw: Mapping[str, Any], place: str, allowed: tuple[str, ...]) -> None:
        for key in raw:
            if key not in allowed:
                where = f"{place}.{key}" if place else key
                raise self.fail(
                    where,
                    raw[key],
                    _("unknown key; allowed: {keys}").format(keys=", ".join(allowed)),
                )

    def text(self, raw: Mapping[str, Any], key: str, place: str, max_len: int = 400) -> str:
        value = raw.get(key, _MISSING)
        where = f"{place}.{key}" if place else key
        if not isinstance(value, str) or not value.strip() or len(value) > max_len:
            raise self.fail(
                where,
                value,
                _("expected non-empty text of at most {max_len} chars").format(max_len=max_len),
            )
        return value.strip()

    def choice(self, raw: Mapping[str, Any], key: str, place: str, allowed: tuple[str, ...]) -> str:
        value = raw.get(key, _MISSING)
        if value not in allowed:
            where = f"{place}.{key}" if place else key
            raise self.fail(
                where, value, _("expected one of {values}").format(values=", ".join(allowed))
            )
        return cast(str, value)

    def number(self, raw: Mapping[str, Any], key: str, place: str) -> float:
        low, high, whole = _NUMBERS[key]
        value = raw.get(key, _MISSING)
        where = f"{place}.{key}" if place else key
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and whole and not isinstance(value, int):
            ok = False
        if not ok or not low <= cast(float, value) <= high:
            expected = (
                _("expected a whole number from {low:g} to {high:g}")
                if whole
                else _("expected a number from {low:g} to {high:g}")
            )
            raise self.fail(where, value, expected.format(low=low, high=high))
        return float(cast(float, value))

    def sources(
        self, raw: Mapping[str, Any], place: str, numbers: tuple[str, ...]
    ) -> dict[str, Source]:
        where = f"{place}.source" if place else "source"
        table = self.table(raw.get("source", {}), where)
        self.keys(table, where, numbers)
        for key, value in table.items():
            if value not in SOURCES:
                raise self.fail(
                    f"{where}.{key}",
                    value,
                    _("expected one of {values}").format(values=", ".join(SOURCES)),
                )
        return cast(dict[str, Source], dict(table))


_MISSING: Any = object()


def parse_routine(text: str, origin: str) -> Routine:
    """Parse and validate routine TOML; `origin` names the file in error messages."""
    check = _Checker(origin)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnkleSleepError(
            _("{origin}: not valid TOML ({exc}); fix the syntax").format(origin=origin, exc=exc)
        ) from exc
    check.keys(
        raw, "", ("schema", "id", "name", "summary", "origin", "order", "transitions", "sections")
    )
    if raw.get("schema", _MISSING) != SCHEMA_VERSION:
        raise check.fail(
            "schema",
            raw.get("schema", _MISSING),
            _("expected {schema_version}").format(schema_version=SCHEMA_VERSION),
        )
    routine_id = check.text(raw, "id", "", max_len=40)
    if not _ID_RE.match(routine_id):
        raise check.fail("id", routine_id, _("expected lowercase letters, digits and dashes"))
    name = check.text(raw, "name", "", max_len=80)
    summary = check.text(raw, "summary", "")
    origin_value = cast(Source, check.choice(raw, "origin", "", SOURCES))
    order = cast(FootOrder, check.choice(raw, "order", "", FOOT_ORDERS))
    transitions = _parse_transitions(check, raw.get("transitions", {}))
    sections_raw = raw.get("sections", _MISSING)
    if not isinstance(sections_raw, list) or not sections_raw:
        raise check.fail("sections", sections_raw, _("expected at least one [[sections]] table"))
    sections = tuple(_parse_section(check, s, f"sections[{i}]") for i, s in enumerate(sections_raw))
    seen: set[str] = set()
    for i, section in enumerate(sections):
        if sum(1 for s in sections if s.id == section.id) > 1:
            raise check.fail(f"sections[{i}].id", section.id, _("each section may appear once"))
        for j, step in enumerate(section.steps):
            if step.id in seen:
                raise check.fail(
                    f"sections[{i}].steps[{j}].id", step.id, _("step ids must be unique")
                )
            seen.add(step.id)
    return Routine(
        id=routine_id,
        name=name,
        summary=summary,
        origin=origin_value,
        order=order,
        transitions=transitions,
        sections=sections,
    )


def _parse_transitions(check: _Checker, raw_value: object) -> Transitions:
    numbers = ("announce_min_seconds", "switch_seconds", "closing_seconds")
    raw = check.table(raw_value, "transitions")
    check.keys(raw, "transitions", (*numbers, "source"))
    values = {n: check.number(raw, n, "transitions") for n in numbers if n in raw}
    return Transitions(**values, source=check.sources(raw, "transitions", numbers))


def _parse_section(check: _Checker, raw_value: object, place: str) -> Section:
    raw = check.table(raw_value, place)
    check.keys(raw, place, ("id", "title", "purpose", "steps"))
    section_id = cast(SectionId, check.choice(raw, "id", place, SECTION_IDS))
    steps_raw = raw.get("steps", _MISSING)
    if not isinstance(steps_raw, list) or not steps_raw:
        raise check.fail(f"{place}.steps", steps_raw, _("expected at least one [[sections.steps]]"))
    steps = tuple(
        _parse_step(check, s, f"{place}.steps[{j}]", section_id) for j, s in enumerate(steps_raw)
    )
    return Section(
        id=section_id,
        title=check.text(raw, "title", place, max_len=60),
        purpose=check.text(raw, "purpose", place),
        steps=steps,
    )


def _parse_step(check: _Checker, raw_value: object, place: str, section: SectionId) -> Step:
    raw = check.table(raw_value, place)
    kind = cast(StepKind, check.choice(raw, "kind", place, STEP_KINDS))
    numbers = _STEP_FIELDS[kind]
    extra = ("direction",) if kind == "circle" else ("toes",) if kind == "hold" else ()
    check.keys(raw, place, ("id", "kind", "instruction", "source", *numbers, *extra))
    step_id = check.choice(raw, "id", place, STEP_IDS)
    if step_id[0] != section[0].upper():
        allowed = [s for s in STEP_IDS if s[0] == section[0].upper()]
        raise check.fail(
            f"{place}.id",
            step_id,
            _("a {section} step is one of {steps}").format(
                section=section, steps=", ".join(allowed)
            ),
        )
    values: dict[str, Any] = {n: check.number(raw, n, place) for n in numbers}
    if "reps" in values:
        values["reps"] = int(values["reps"])
    if kind == "circle":
        values["direction"] = check.choice(raw, "direction", place, DIRECTIONS)
    if kind == "hold":
        toes = raw.get("toes", [])
        if not isinstance(toes, list) or any(t not in TOES for t in toes):
            raise check.fail(
                f"{place}.toes", toes, _("expected a list of {toes}").format(toes=", ".join(TOES))
            )
        values["toes"] = tuple(toes)
    return Step(
        id=step_id,
        kind=kind,
        instruction=check.text(raw, "instruction", place),
        source=check.sources(raw, place, numbers),
        **values,
    )
