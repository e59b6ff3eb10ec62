""" "More circles" the way the track does it: five more circles in the same direction for this
foot, as an option, so the timeline (and the audio) are rendered again with them in place.

Everything before the added circles stays the same, so the session carries on from the same
moment in the new timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from anklesleep.player.live import Player
from anklesleep.routine.definition import Routine
from anklesleep.routine.options import Options
from anklesleep.routine.timeline import Cue, Timeline


def extra_circles_for(routine: Routine, options: Options, cue: Cue) -> Options | None:
    """`options` with five more circles for `cue`'s foot in its direction; None when `cue` is
    not in a circle step or that foot already has its extra circles."""
    if cue.kind not in ("announce", "circle") or cue.foot is None or cue.step is None:
        return None
    if options.extra_circles.get(cue.foot):
        return None
    for section in routine.sections:
        if section.id != cue.section:
            continue
        for step in section.steps:
            if step.id == cue.step and step.kind == "circle" and step.direction is not None:
                extra = {**options.extra_circles, cue.foot: step.direction}
                return replace(options, extra_circles=extra)
    return None


class MoreCircles:
    """Adds the extra circles to a playing session. `build(options)` returns the timeline for
    the new options (and, with sound, swaps the re-rendered track into the stream)."""

    def __init__(
        self, routine: Routine, options: Options, build: Callable[[Options], Timeline]
    ) -> None:
        self.routine = routine
        self.options = options
        self.build = build

    def available(self, player: Player) -> bool:
        """Whether `m` does something now (shown in the key bar only then)."""
        if player.state not in ("playing", "paused"):
            return False
        return extra_circles_for(self.routine, self.options, player.current_cue()) is not None

    def add(self, player: Player) -> bool:
        wanted = extra_circles_for(self.routine, self.options, player.current_cue())
        if wanted is None or player.state not in ("playing", "paused"):
            return False
        timeline = self.build(wanted)
        self.options = wanted
        player.retime(timeline)
        return True
