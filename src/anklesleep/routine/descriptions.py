"""Plain-language descriptions of a routine's steps and timing, shared by every front end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from anklesleep.basics.i18n import N_, Translate

if TYPE_CHECKING:  # `clock` alone is used by quick commands: they skip loading routine files
    from anklesleep.routine.definition import Routine, Step
    from anklesleep.routine.timeline import Timeline

_WORDS = {
    "inward": N_("inward"),
    "outward": N_("outward"),
    "left": N_("left"),
    "right": N_("right"),
}


def word(value: str | None, t: Translate) -> str:
    """A translated direction or foot name ('' for none; never gettext(''), the catalog header)."""
    return t(_WORDS[value]) if value else ""


def clock(seconds: float) -> str:
    """`m:ss` (or `h:mm:ss`) for a duration, rounded to the second."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _num(value: float) -> str:
    return f"{value:g}"


def step_timing(step: Step, timeline: Timeline, t: Translate) -> str:
    """e.g. `5 x hold 5 s, rest 2 s*`; `*` marks a number that is our default, not the article's."""
    o = timeline.options

    def mark(field: str, overridden: object) -> str:
        return "*" if overridden is None and step.source.get(field) == "ours" else ""

    if step.kind == "hold":
        hold = (o.hold or step.hold_seconds) * o.tempo
        rest = (o.release or step.release_seconds) * o.tempo
        return t("{reps} x hold {hold} s{m1}, rest {rest} s{m2}").format(
            reps=step.reps,
            hold=_num(hold),
            rest=_num(rest),
            m1=mark("hold_seconds", o.hold),
            m2=mark("release_seconds", o.release),
        )
    if step.kind == "grip":
        return t("take the grip, {s} s{m}").format(
            s=_num(step.seconds * o.tempo), m=mark("seconds", None)
        )
    pace = (o.circle_pace if step.kind == "circle" else o.tilt_pace) or step.pace_seconds
    template = (
        t("{reps} circles {direction}, {pace} s each{m}")
        if step.kind == "circle"
        else t("{reps} tilts out and in, {pace} s each{m}")
    )
    overridden = o.circle_pace if step.kind == "circle" else o.tilt_pace
    return template.format(
        reps=step.reps,
        direction=word(step.direction, t),
        pace=_num(pace * o.tempo),
        m=mark("pace_seconds", overridden),
    )


@dataclass(frozen=True)
class Row:
    """One line of the step-by-step table."""

    number: int
    foot: str
    step: str
    what: str
    timing: str
    seconds: float


def rows(routine: Routine, timeline: Timeline, t: Translate) -> list[Row]:
    """One row per chapter of the timeline: each step on each foot, switches and the end."""
    result: list[Row] = []
    seen: set[tuple[str | None, str | None]] = set()
    for n, chapter in enumerate(timeline.chapters(), start=1):
        cue = timeline.cues[chapter.first]
        if chapter.kind == "announce" and chapter.step is None:
            what, timing, step = (
                t("Spoken introduction (--intro short or none to shorten it)"),
                "",
                "—",
            )
        elif chapter.kind in ("switch", "done") or chapter.step is None:
            what, timing, step = cue.text, "", "—"
        else:
            step_def = routine.step(chapter.step or "")
            what, step = t(step_def.instruction), chapter.step or ""
            timing = step_timing(step_def, timeline, t)
            if (chapter.step, chapter.foot) in seen:  # the extra circles after A2
                last = timeline.cues[chapter.last]
                timing = t("{reps} more circles {direction}").format(
                    reps=last.reps, direction=word(step_def.direction, t)
                )
                what = cue.text if cue.kind == "announce" and cue.say else what
            seen.add((chapter.step, chapter.foot))
        result.append(
            Row(n, word(chapter.foot, t), step, what, timing, chapter.end - chapter.start)
        )
    return result
