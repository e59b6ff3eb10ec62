"""What the terminal player shows: a snapshot of the player, drawn with Rich.

`snapshot()` reads a Player into plain values (easy to test); `render()` lays them out for a
given terminal size: big countdown digits from 80x24 up, text only when narrower or shorter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.align import Align
from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from anklesleep.basics.i18n import N_, Translate
from anklesleep.player.live import Player
from anklesleep.routine.definition import Routine
from anklesleep.routine.descriptions import clock
from anklesleep.routine.timeline import Cue

KIND_LABELS: dict[str, str] = {
    "announce": N_("Get ready"),
    "grip": N_("Take the grip"),
    "hold": N_("Hold"),
    "release": N_("Release"),
    "circle": N_("Circle"),
    "tilt": N_("Tilt"),
    "switch": N_("Switch feet"),
    "done": N_("Done"),
}
FOOT_LABELS = {"left": N_("Left foot"), "right": N_("Right foot")}

#: A 3x5 pixel font for the countdown: each "#" is drawn as two full blocks.
_FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", " ##", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", " # ", " # "),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": ("   ", " # ", "   ", " # ", "   "),
}
DIGIT_ROWS = 5
#: below these sizes the big digits are dropped and the countdown is a line of text
BIG_MIN_WIDTH = 50
BIG_MIN_HEIGHT = 20


def big_digits(value: str) -> list[str]:
    """`value` (digits and colons) as five lines of block characters."""
    rows = ["" for _ in range(DIGIT_ROWS)]
    for n, char in enumerate(value):
        glyph = _FONT.get(char, _FONT["0"])
        for r in range(DIGIT_ROWS):
            sep = "  " if n else ""
            rows[r] += sep + glyph[r].replace("#", "██").replace(" ", "  ")
    return rows


def countdown_text(seconds: float) -> str:
    """Whole seconds still to go (rounded up, so "1" shows until the cue ends); m:ss from a
    minute."""
    whole = max(0, math.ceil(seconds - 1e-6))
    return str(whole) if whole < 60 else clock(whole)


@dataclass(frozen=True)
class Snapshot:
    """Everything the screen shows at one moment."""

    routine_name: str
    section: str
    foot: str
    step: str
    step_number: int
    step_count: int
    instruction: str
    kind: str
    rep: int | None
    reps: int | None
    cue_remaining: float
    position: float
    total: float
    next_cue: str
    next_step: str
    paused: bool
    can_more: bool
    message: str


def _section_title(routine: Routine, section_id: str | None, t: Translate) -> str:
    for section in routine.sections:
        if section.id == section_id:
            return t(section.title)
    return ""


def _next_lines(player: Player, t: Translate) -> tuple[str, str]:
    """What comes next within this step (e.g. "Next: release 2 s"), and the next step."""
    upcoming = player.upcoming(1)
    if not upcoming:
        return "", ""
    current = player.current_cue()
    following: Cue = upcoming[0]
    within = ""
    if following.chapter == current.chapter:
        seconds = (
            f"{following.duration:.0f} s"
            if following.duration >= 1
            else f"{following.duration:.1f} s"
        )
        what = t(KIND_LABELS[following.kind]).lower()
        if following.rep is not None and following.reps is not None:
            what += " " + t("{rep} of {reps}").format(rep=following.rep, reps=following.reps)
        within = t("Next: {what}, {seconds}").format(what=what, seconds=seconds)
    chapters = player.chapters
    index = next(i for i, c in enumerate(chapters) if c.index == current.chapter)
    step = ""
    if index + 1 < len(chapters):
        chapter = chapters[index + 1]
        first = player.timeline.cues[chapter.first]
        if chapter.kind in ("switch", "done"):
            step = t("Then: {text}").format(text=first.text)
        else:
            foot = t(FOOT_LABELS[first.foot]).lower() if first.foot else ""
            step = t("Then {step}, {foot}: {text}").format(
                step=chapter.step, foot=foot, text=first.text
            )
    return within, step


def snapshot(player: Player, routine: Routine, t: Translate, message: str = "") -> Snapshot:
    """Read what to show from the player, translated."""
    cue = player.current_cue()
    chapter = player.current_chapter()
    within, following_step = _next_lines(player, t)
    number = next(i for i, c in enumerate(player.chapters) if c.index == chapter.index) + 1
    return Snapshot(
        routine_name=t(routine.name),
        section=_section_title(routine, cue.section, t),
        foot=t(FOOT_LABELS[cue.foot]) if cue.foot else "",
        step=cue.step or "",
        step_number=number,
        step_count=len(player.chapters),
        instruction=cue.text,
        kind=t(KIND_LABELS[cue.kind]),
        rep=cue.rep,
        reps=cue.reps,
        cue_remaining=player.cue_remaining(),
        position=player.position(),
        total=player.total_seconds,
        next_cue=within,
        next_step=following_step,
        paused=player.state == "paused",
        can_more=player.can_add_circles(),
        message=message,
    )


def key_help(s: Snapshot, t: Translate, narrow: bool) -> Text:
    pause = t("resume") if s.paused else t("pause")
    items = [
        ("space", pause),
        ("n/→" if not narrow else "n", t("next step")),
        ("p/←" if not narrow else "p", t("back")),
        ("m", t("5 more circles")),
        ("q", t("quit")),
    ]
    text = Text()
    for n, (key, what) in enumerate(items):
        dim = key == "m" and not s.can_more
        if n:
            text.append("  ")
        text.append(key, style="dim" if dim else "bold cyan")
        text.append(" " + what, style="dim")
    return text


def render(s: Snapshot, width: int, height: int, t: Translate) -> RenderableType:
    """The whole screen for a terminal of `width` x `height`.

    From 50 columns and 20 rows the countdown is drawn in big digits; below that it is a line
    of text, and blank lines go first when rows are short.
    """
    big = width >= BIG_MIN_WIDTH and height >= BIG_MIN_HEIGHT
    roomy = height >= 22
    colour = "yellow" if s.paused else "green"
    parts: list[RenderableType] = []

    header = Table.grid(expand=True)
    header.add_column(justify="left", ratio=1)
    header.add_column(justify="right")
    header.add_row(
        Text(s.routine_name, style="bold"),
        Text(t("step {n} of {count}").format(n=s.step_number, count=s.step_count), style="dim"),
    )
    parts.append(header)
    where = " · ".join(x for x in (s.section.upper(), s.foot.upper(), s.step) if x)
    parts.append(Text(where or " ", style="bold magenta"))
    if roomy:
        parts.append(Text(""))
    parts.append(Text(s.instruction, style="bold"))
    parts.append(Text(""))

    count = countdown_text(s.cue_remaining)
    what = Text(s.kind.upper(), style=f"bold {colour}")
    if s.rep is not None and s.reps is not None:
        what.append("   " + t("{rep} of {reps}").format(rep=s.rep, reps=s.reps), style="bold")
    if big:
        parts.append(Align.center(what))
        parts.append(Align.center(Text("\n".join(big_digits(count)), style=colour)))
    else:
        what.append("   " + count + " s", style=f"bold {colour}")
        parts.append(what)
    if roomy or not big:
        parts.append(Text(""))

    times = t("{elapsed} of {total}, {left} left").format(
        elapsed=clock(s.position), total=clock(s.total), left=clock(s.total - s.position)
    )
    if width >= 60:
        bar_width = max(10, width - len(times) - 1)
        progress = Table.grid(padding=(0, 1))
        progress.add_column(width=bar_width)
        progress.add_column(justify="right")
        progress.add_row(
            ProgressBar(total=max(s.total, 1e-9), completed=s.position, width=bar_width),
            Text(times),
        )
        parts.append(progress)
    else:
        stacked = Table.grid()
        stacked.add_column()
        stacked.add_row(
            ProgressBar(total=max(s.total, 1e-9), completed=s.position, width=width - 1)
        )
        stacked.add_row(Text(times))
        parts.append(stacked)
    for line in (s.next_cue, s.next_step):
        if line:
            parts.append(Text(line, style="dim", overflow="ellipsis", no_wrap=width >= 60))
    if roomy:
        parts.append(Text(""))
    if s.message:
        parts.append(Text(s.message, style="bold yellow"))
    elif s.paused:
        parts.append(Text(t("Paused. Press space to carry on."), style="bold yellow"))
    else:
        parts.append(Text(""))
    parts.append(key_help(s, t, narrow=width < 60))
    return Group(*parts)


def plain_line(cue: Cue, routine: Routine, t: Translate, position: float) -> str:
    """One line for a cue in `--plain` mode: `[0:07] Toes, left foot, T1: hold 1 of 5 (5 s)`."""
    where = ", ".join(
        x
        for x in (
            _section_title(routine, cue.section, t),
            t(FOOT_LABELS[cue.foot]).lower() if cue.foot else "",
            cue.step or "",
        )
        if x
    )
    what = t(KIND_LABELS[cue.kind]).lower()
    if cue.rep is not None and cue.reps is not None:
        what += " " + t("{rep} of {reps}").format(rep=cue.rep, reps=cue.reps)
    seconds = f"{cue.duration:.1f}".rstrip("0").rstrip(".")
    line = f"[{clock(position)}] {where + ': ' if where else ''}{what} ({seconds} s)"
    if cue.kind in ("announce", "grip", "switch", "done"):
        line += " — " + (cue.say or cue.text)
    return line
