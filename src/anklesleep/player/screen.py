"""What the terminal player shows: a snapshot of the player, drawn with Rich.

`snapshot()` reads a Player into plain values (easy to test); `render()` lays them out for a
given terminal size: a centred panel in the colour of the phase, big countdown digits when
there are rows for them, the list of steps beside the panel when there are columns for it, and
the keys that apply now on the last row, always.

Every time shown is rounded the same way, up to the whole second (`whole_seconds`): a 1.5 s
circle is "2 s" under "Next" and counts down from 2; elapsed + left always adds up to the total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.align import Align
from rich.console import Group, RenderableType
from rich.layout import Layout
from rich.padding import Padding
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from anklesleep.basics.i18n import N_, Translate
from anklesleep.basics.wording import join_list
from anklesleep.player.live import Player
from anklesleep.routine.definition import Routine
from anklesleep.routine.descriptions import clock
from anklesleep.routine.timeline import Chapter, Cue

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
#: the list of steps goes beside the panel from this many columns and rows
LIST_MIN_WIDTH = 100
LIST_MIN_HEIGHT = 30
#: the panel never gets wider than this (long lines are hard to read)
PANEL_MAX_WIDTH = 72
LIST_WIDTH = 36

#: one colour per phase, so the kind of effort can be read from across the room
PHASE_STYLES: dict[str, str] = {
    "hold": "dark_orange",
    "release": "green",
    "movement": "deep_sky_blue1",
    "switch": "magenta",
    "ready": "bright_white",
    "paused": "yellow",
}
PHASE_OF_KIND: dict[str, str] = {
    "announce": "ready",
    "grip": "ready",
    "hold": "hold",
    "release": "release",
    "circle": "movement",
    "tilt": "movement",
    "switch": "switch",
    "done": "release",
}


def big_digits(value: str) -> list[str]:
    """`value` (digits and colons) as five lines of block characters."""
    rows = ["" for _ in range(DIGIT_ROWS)]
    for n, char in enumerate(value):
        glyph = _FONT.get(char, _FONT["0"])
        for r in range(DIGIT_ROWS):
            sep = "  " if n else ""
            rows[r] += sep + glyph[r].replace("#", "██").replace(" ", "  ")
    return rows


def whole_seconds(seconds: float) -> int:
    """The one rounding of every time on screen: up to the whole second (a countdown shows
    "1" until its very end, and a 1.5 s cue is announced as 2 s)."""
    return max(0, math.ceil(seconds - 1e-6))


def countdown_text(seconds: float) -> str:
    """Whole seconds still to go (rounded up, so "1" shows until the cue ends); m:ss from a
    minute."""
    whole = whole_seconds(seconds)
    return str(whole) if whole < 60 else clock(whole)


def session_times(position: float, total: float) -> tuple[int, int, int]:
    """(elapsed, left, total) in whole seconds, rounded so that elapsed + left == total."""
    whole_total = whole_seconds(total)
    left = min(whole_total, whole_seconds(total - position))
    return whole_total - left, left, whole_total


def dots(rep: int, reps: int) -> str:
    """Repetitions as dots: the third of five is ●●●○○ (long runs are shortened to text)."""
    if reps > 12:
        return f"{rep}/{reps}"
    return "●" * rep + "○" * (reps - rep)


@dataclass(frozen=True)
class StepLine:
    """One row of the list of steps."""

    label: str
    current: bool
    done: bool


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
    phase: str
    rep: int | None
    reps: int | None
    cue_remaining: float
    position: float
    total: float
    next_cue: str
    next_step: str
    paused: bool
    can_more: bool
    can_next: bool
    confirming: bool
    message: str
    steps: tuple[StepLine, ...] = ()


def _section_title(routine: Routine, section_id: str | None, t: Translate) -> str:
    for section in routine.sections:
        if section.id == section_id:
            return t(section.title)
    return ""


def _next_lines(player: Player, t: Translate) -> tuple[str, str]:
    """What comes next within this step (e.g. "Next: release, 2 s"), and the next step."""
    upcoming = player.upcoming(1)
    if not upcoming:
        return "", ""
    current = player.current_cue()
    following: Cue = upcoming[0]
    within = ""
    if following.chapter == current.chapter:
        seconds = t("{n} s").format(n=whole_seconds(following.duration))
        what = t(KIND_LABELS[following.kind]).lower()
        if following.rep is not None and following.reps is not None:
            what = t("{what} {rep} of {reps}").format(
                what=what, rep=following.rep, reps=following.reps
            )
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


def _step_label(chapter: Chapter, cue: Cue, t: Translate) -> str:
    if chapter.kind == "switch":
        return t("Switch feet")
    if chapter.kind == "done":
        return t("Done")
    foot = t(FOOT_LABELS[cue.foot]).lower() if cue.foot else ""
    return " ".join(x for x in (chapter.step or "", foot, "·", cue.text) if x)


def snapshot(
    player: Player,
    routine: Routine,
    t: Translate,
    message: str = "",
    *,
    can_more: bool | None = None,
    confirming: bool = False,
) -> Snapshot:
    """Read what to show from the player, translated. `can_more` says whether "more circles"
    applies now (default: whenever the step is one of circles)."""
    cue = player.current_cue()
    chapter = player.current_chapter()
    within, following_step = _next_lines(player, t)
    number = next(i for i, c in enumerate(player.chapters) if c.index == chapter.index) + 1
    paused = player.state == "paused"
    steps = tuple(
        StepLine(
            label=_step_label(c, player.timeline.cues[c.first], t),
            current=c.index == chapter.index,
            done=i < number - 1,
        )
        for i, c in enumerate(player.chapters)
    )
    return Snapshot(
        routine_name=t(routine.name),
        section=_section_title(routine, cue.section, t),
        foot=t(FOOT_LABELS[cue.foot]) if cue.foot else "",
        step=cue.step or "",
        step_number=number,
        step_count=len(player.chapters),
        instruction=cue.text,
        kind=t(KIND_LABELS[cue.kind]),
        phase="paused" if paused else PHASE_OF_KIND.get(cue.kind, "ready"),
        rep=cue.rep,
        reps=cue.reps,
        cue_remaining=player.cue_remaining(),
        position=player.position(),
        total=player.total_seconds,
        next_cue=within,
        next_step=following_step,
        paused=paused,
        can_more=player.can_add_circles() if can_more is None else can_more,
        can_next=number < len(player.chapters),
        confirming=confirming,
        message=message,
        steps=steps,
    )


# --- the key bar ------------------------------------------------------------------------------


def key_items(s: Snapshot, t: Translate) -> list[tuple[str, str, str, str]]:
    """The keys that apply now, most needed first: (key, short key, what, short what)."""
    if s.confirming:
        other = t("any other key")
        return [("y", "y", t("stop"), t("stop")), (other, other, t("carry on"), t("go on"))]
    pause = t("resume") if s.paused else t("pause")
    items = [("space", "␣", pause, pause)]
    if s.can_next:
        items.append(("n/→", "n", t("next step"), t("next")))
    items.append(("p/←", "p", t("back"), t("back")))
    if s.can_more:
        # Translators: the short key-bar word for "5 more circles" (the web's is "show more")
        items.append(("m", "m", t("5 more circles"), t("more")))
    items.append(("q", "q", t("quit"), t("quit")))
    return items


#: ways of writing the key bar, roomiest first: (long keys, long words, gap)
_KEY_STYLES = ((True, True, "   "), (True, True, "  "), (False, True, "  "), (False, False, " "))


def key_bar(s: Snapshot, t: Translate, width: int) -> Text:
    """One line of keys that fits `width` without wrapping any hint: long names first, then
    shorter ones; if still too wide, the least needed keys are left out, never cut."""
    items = key_items(s, t)
    for long_keys, long_words, gap in _KEY_STYLES:
        text = _keys_text(
            [(k if long_keys else sk, w if long_words else sw) for k, sk, w, sw in items], gap
        )
        if text.cell_len <= width:
            return text
    chosen = [(sk, sw) for _k, sk, _w, sw in items]
    # leave out "back", then "next", ...: the first (pause) and the last (quit) stay
    while len(chosen) > 2:
        chosen.pop(-2 if len(chosen) == 3 else 2)
        text = _keys_text(chosen, " ")
        if text.cell_len <= width:
            return text
    return _keys_text(chosen[-1:], " ")


def _keys_text(items: list[tuple[str, str]], gap: str) -> Text:
    text = Text(no_wrap=True, overflow="crop")
    for n, (key, what) in enumerate(items):
        if n:
            text.append(gap)
        text.append(f" {key} ", style="bold black on grey70")
        text.append(" " + what)
    return text


# --- the screen -------------------------------------------------------------------------------


def _times(s: Snapshot, t: Translate) -> str:
    elapsed, left, total = session_times(s.position, s.total)
    return t("{elapsed} of {total} · {left} left").format(
        elapsed=clock(elapsed), total=clock(total), left=clock(left)
    )


def _wrapped(text: str, width: int) -> list[str]:
    from anklesleep.basics.textwidth import wrap

    return wrap(text, max(1, width)) or [""]


def _panel_body(s: Snapshot, t: Translate, inner: int, height: int) -> list[RenderableType]:
    """The panel's lines for a body of `height` rows: what must be seen always fits (blank
    lines, "what comes next" and the big digits go first when rows are short)."""
    colour = PHASE_STYLES.get(s.phase, "bright_white")
    budget = height - 2  # the panel's borders
    message = s.message or (t("Paused. Press space to carry on.") if s.paused else "")
    instruction = _wrapped(s.instruction, inner)
    message_lines = _wrapped(message, inner) if message else []
    progress_rows = 1 if inner >= 50 else 2
    # where, the instruction, what to do now, the progress, the message
    essential = 1 + len(instruction) + 1 + progress_rows + len(message_lines)
    if essential > budget:  # a very long instruction on a tiny screen: shorten it
        keep = max(1, len(instruction) - (essential - budget))
        instruction = instruction[:keep]
        if keep < len(_wrapped(s.instruction, inner)):
            instruction[-1] = instruction[-1][: max(0, inner - 1)] + "…"
        essential = 1 + len(instruction) + 1 + progress_rows + len(message_lines)
    spare = budget - essential
    big = inner >= BIG_MIN_WIDTH - 4 and spare >= DIGIT_ROWS + 1
    if big:
        spare -= DIGIT_ROWS
    show_next = bool(s.next_cue) and spare >= 1
    spare -= show_next
    gap_after_instruction = spare >= 1
    spare -= gap_after_instruction
    show_step = bool(s.next_step) and spare >= 1 and (not s.next_cue or spare >= 2)
    spare -= show_step
    gap_before_next = spare >= 1 and (show_next or show_step)
    spare -= gap_before_next

    parts: list[RenderableType] = []
    where = " · ".join(x for x in (s.section.upper(), s.foot.upper(), s.step) if x)
    parts.append(Text(where or " ", style=f"bold {colour}", overflow="ellipsis", no_wrap=True))
    parts.append(Text("\n".join(instruction), style="bold"))
    if gap_after_instruction:
        parts.append(Text(""))
    count = countdown_text(s.cue_remaining)
    what = Text(s.kind.upper(), style=f"bold {colour}", no_wrap=True, overflow="ellipsis")
    if s.rep is not None and s.reps is not None:
        what.append("  " + dots(s.rep, s.reps), style=colour)
        what.append("  " + t("{rep} of {reps}").format(rep=s.rep, reps=s.reps), style="dim")
    if big:
        parts.append(Align.center(what))
        parts.append(Align.center(Text("\n".join(big_digits(count)), style=colour)))
    else:
        what.append("   " + t("{n} s").format(n=count), style=f"bold {colour}")
        parts.append(what)
    if gap_before_next:
        parts.append(Text(""))
    if show_next:
        parts.append(Text(s.next_cue, style="dim", overflow="ellipsis", no_wrap=True))
    if show_step:
        parts.append(Text(s.next_step, style="dim", overflow="ellipsis", no_wrap=True))

    times = _times(s, t)
    bar = ProgressBar(
        total=max(s.total, 1e-9),
        completed=s.position,
        width=max(4, inner - len(times) - 1) if inner >= 50 else inner,
        complete_style=colour,
        finished_style=colour,
    )
    if inner >= 50:
        row = Table.grid(padding=(0, 1))
        row.add_column()
        row.add_column(justify="right")
        row.add_row(bar, Text(times, style="dim"))
        parts.append(row)
    else:
        stacked = Table.grid()
        stacked.add_column()
        stacked.add_row(bar)
        stacked.add_row(Text(times, style="dim", no_wrap=True, overflow="ellipsis"))
        parts.append(stacked)
    if message:
        parts.append(Text("\n".join(message_lines), style="bold yellow"))
    return parts


def _step_list(s: Snapshot, rows: int, width: int) -> Table:
    """The steps around the current one, as many as fit in `rows`."""
    lines = s.steps
    current = next((i for i, line in enumerate(lines) if line.current), 0)
    first = max(0, min(current - rows // 2, len(lines) - rows))
    table = Table.grid()
    table.add_column(width=width, no_wrap=True, overflow="ellipsis")
    for line in lines[first : first + rows]:
        mark = "▶ " if line.current else ("✓ " if line.done else "  ")
        style = "bold reverse" if line.current else ("dim" if line.done else "")
        table.add_row(Text(mark + line.label, style=style, overflow="ellipsis", no_wrap=True))
    return table


def render(s: Snapshot, width: int, height: int, t: Translate) -> RenderableType:
    """The whole screen for a terminal of `width` x `height`: the panel centred above, the
    key bar on the last row."""
    body_height = max(1, height - 1)
    panel_width = min(width, PANEL_MAX_WIDTH)
    inner = panel_width - 4
    colour = PHASE_STYLES.get(s.phase, "bright_white")
    title = Text(" " + s.routine_name + " ", style="bold")
    subtitle = Text(" " + t("step {n} of {count}").format(n=s.step_number, count=s.step_count))
    panel = Panel(
        Group(*_panel_body(s, t, inner, body_height)),
        title=title,
        title_align="left",
        subtitle=subtitle,
        subtitle_align="right",
        border_style=colour,
        width=panel_width,
        padding=(0, 1),
    )
    main: RenderableType = panel
    if width >= LIST_MIN_WIDTH and height >= LIST_MIN_HEIGHT and s.steps:
        list_width = min(LIST_WIDTH, width - panel_width - 6)
        rows = min(len(s.steps), body_height - 4)
        steps = Panel(
            _step_list(s, rows, list_width),
            title=Text(" " + t("Steps") + " ", style="bold"),
            title_align="left",
            border_style="grey50",
            width=list_width + 4,
            padding=(0, 1),
        )
        both = Table.grid(padding=(0, 2))
        both.add_column()
        both.add_column()
        both.add_row(panel, steps)
        main = both
    layout = Layout()
    layout.split_column(
        Layout(Align.center(main, vertical="middle"), name="body"),
        Layout(Padding(key_bar(s, t, width - 1), (0, 0)), name="keys", size=1),
    )
    return layout


def plain_line(cue: Cue, routine: Routine, t: Translate, position: float) -> str:
    """One line for a cue in `--plain` mode: `[0:07] Toes, left foot, T1: hold 1 of 5 (5 s)`."""
    where = join_list(
        (
            x
            for x in (
                _section_title(routine, cue.section, t),
                t(FOOT_LABELS[cue.foot]).lower() if cue.foot else "",
                cue.step or "",
            )
            if x
        ),
        t,
    )
    what = t(KIND_LABELS[cue.kind]).lower()
    if cue.rep is not None and cue.reps is not None:
        what = t("{what} {rep} of {reps}").format(what=what, rep=cue.rep, reps=cue.reps)
    number = f"{cue.duration:.1f}".rstrip("0").rstrip(".")
    seconds = t("{n} s").format(n=number)
    at = clock(position)
    if where:
        line = t("[{at}] {where}: {what} ({seconds})").format(
            at=at, where=where, what=what, seconds=seconds
        )
    else:
        line = t("[{at}] {what} ({seconds})").format(at=at, what=what, seconds=seconds)
    if cue.kind in ("announce", "grip", "switch", "done"):
        line += " — " + (cue.say or cue.text)
    return line
