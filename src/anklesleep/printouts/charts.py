"""Charts for the Insights page and the report, drawn once with matplotlib, as SVG or PNG.

One implementation for every front end: each function takes the plain values of
`insights.progress`, `insights.association` or `experiment.analysis` and returns a `Chart`
with its SVG text (ready to inline: a `<title>` and `<desc>` for screen readers, no external
fonts or files) and a `png()` for image files.
Figures are made with `matplotlib.figure.Figure` directly (no pyplot state), so drawing is
thread-safe and never opens a window. Colours are from the Okabe-Ito palette, and every colour
distinction also has a marker or hatch, so the charts read in grey and for colour-blind eyes.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from anklesleep.basics import formats
from anklesleep.basics.i18n import _
from anklesleep.insights.association import Metric, Night

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from anklesleep.experiment.analysis import Result
    from anklesleep.insights.progress import DayAdherence, HabitStrength, RollingPoint, SymptomTrend

ROUTINE_COLOUR = "#0072B2"  # blue
USUAL_COLOUR = "#E69F00"  # orange
BASELINE_COLOUR = "#999999"
LINE_COLOUR = "#222222"
CALENDAR_COLOURS = ("#eeeeee", "#c6dbef", "#6baed6", "#08519c")  # 0..3 sessions
SYMPTOM_STYLES = (
    ("#0072B2", "o"),
    ("#D55E00", "s"),
    ("#009E73", "^"),
    ("#CC79A7", "D"),
    ("#E69F00", "v"),
    ("#56B4E9", "P"),
    ("#000000", "X"),
)
#: Fonts for Japanese (and other CJK) text, tried in order after DejaVu Sans, which has no
#: kana or kanji; only the installed ones are named, so matplotlib warns of no missing family.
CJK_FONTS = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic",
    "Meiryo",
    "IPAexGothic",
    "IPAGothic",
    "TakaoPGothic",
)
RC: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "path",
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}


@functools.cache
def font_families() -> tuple[str, ...]:
    """DejaVu Sans, then the installed CJK fonts: matplotlib takes each glyph from the first
    font in the list that has it, so Japanese labels are drawn, not boxes."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ("DejaVu Sans", *(name for name in CJK_FONTS if name in installed))


def chart_style() -> Any:
    """The charts' rcParams, with the font fallback list of this machine."""
    return {**RC, "font.family": list(font_families())}


@dataclass(frozen=True)
class Chart:
    """One drawn chart: a file-name stem, an accessible title and description, and SVG text."""

    key: str
    title: str
    description: str
    svg: str
    figure: Figure = field(repr=False, compare=False)

    def png(self, dpi: int = 150) -> bytes:
        """The chart as a PNG image."""
        import matplotlib

        buffer = io.BytesIO()
        with matplotlib.rc_context(chart_style()):
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()


F = TypeVar("F", bound=Callable[..., Chart])


def _styled(func: F) -> F:
    """Draw inside the chart style (rcParams apply when artists are made, not only on save)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Chart:
        import matplotlib

        with matplotlib.rc_context(chart_style()):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _dates(days: Sequence[dt.date]) -> Any:
    """Dates as numpy days, which matplotlib plots on a date axis."""
    import numpy as np

    return np.array(days, dtype="datetime64[D]")


def _new_figure(width: float, height: float, **kwargs: Any) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def _svg(figure: Figure, key: str, title: str, description: str) -> str:
    """SVG text to inline in HTML: no XML prologue, scalable, with a title and description."""
    import matplotlib

    buffer = io.StringIO()
    style: Any = {**chart_style(), "svg.hashsalt": key}
    with matplotlib.rc_context(style):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    text = buffer.getvalue()
    start = text.find("<svg")
    text = text[start:]
    head_end = text.find(">") + 1
    head = text[:head_end]
    natural = re.search(r'\swidth="([^"]*)"', head)
    style = f' style="max-width: {natural.group(1)}"' if natural else ""
    head = re.sub(r'\swidth="[^"]*"', f' width="100%"{style}', head, count=1)
    head = re.sub(r'\sheight="[^"]*"', "", head, count=1)
    ident = f"chart-{key}"
    head = head.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" class="chart"',
        1,
    )
    accessible = (
        f'<title id="{ident}-title">{html.escape(title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>'
    )
    return head + accessible + text[head_end:]


def _chart(figure: Figure, key: str, title: str, description: str) -> Chart:
    return Chart(key, title, description, _svg(figure, key, title, description), figure)


def _empty(key: str, title: str, message: str) -> Chart:
    figure = _new_figure(7.0, 1.2)
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#555555")
    ax.set_title(title, loc="left")
    return _chart(figure, key, title, message)


# --- adherence --------------------------------------------------------------------------------


@_styled
def adherence_calendar(days: Sequence[DayAdherence], weeks: int = 53) -> Chart:
    """A calendar heat map, one square per day (columns are weeks, Monday on top), shaded by
    the number of slots done that day (0-3), for the last `weeks` weeks of `days`."""
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    title = _("Practice calendar: sessions per day")
    if not days:
        return _empty("calendar", title, _("No days to show yet."))
    end = days[-1].day
    last_monday = end - dt.timedelta(days=end.weekday())
    first_monday = last_monday - dt.timedelta(weeks=weeks - 1)
    first_monday = max(first_monday, days[0].day - dt.timedelta(days=days[0].day.weekday()))
    columns = (last_monday - first_monday).days // 7 + 1
    grid = np.full((7, columns), np.nan)
    shown = [d for d in days if d.day >= first_monday]
    for d in shown:
        offset = (d.day - first_monday).days
        grid[offset % 7, offset // 7] = d.count
    cmap = ListedColormap(list(CALENDAR_COLOURS)).with_extremes(bad="#ffffff")
    figure = _new_figure(max(4.5, min(10.0, 1.6 + columns * 0.2)), 2.4)
    ax = figure.add_subplot()
    ax.pcolormesh(
        np.ma.masked_invalid(grid),
        cmap=cmap,
        norm=BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], 4),
        edgecolors="#ffffff",
        linewidth=1.5,
    )
    ax.set_aspect("equal")
    ax.invert_yaxis()
    ax.set_yticks([0.5, 2.5, 4.5, 6.5], [_("Mon"), _("Wed"), _("Fri"), _("Sun")])
    months = []
    for col in range(columns):
        monday = first_monday + dt.timedelta(weeks=col)
        if col == 0 or monday.month != (monday - dt.timedelta(weeks=1)).month:
            months.append((col + 0.5, formats.month(monday)))
    ax.set_xticks([m[0] for m in months], [m[1] for m in months])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=str(n))
        for n, c in enumerate(CALENDAR_COLOURS)
    ]
    ax.legend(
        handles=handles,
        title=_("sessions"),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
        title_fontsize=8,
    )
    figure.suptitle(title, x=0.02, ha="left", fontweight="bold", fontsize=11)
    done = sum(1 for d in shown if d.done)
    three = sum(1 for d in shown if d.count == 3)
    description = _(
        "From {start} to {end}: {done} of {total} days with at least one session, {three} days "
        "with all three."
    ).format(
        start=shown[0].day.isoformat(),
        end=end.isoformat(),
        done=done,
        total=len(shown),
        three=three,
    )
    return _chart(figure, "calendar", title, description)


@_styled
def habit_chart(habit: HabitStrength) -> Chart:
    """The habit-strength score over time (0-100 %)."""
    title = _("Habit strength")
    if not habit.points:
        return _empty("habit", title, _("No days to show yet."))
    figure = _new_figure(7.0, 2.0)
    ax = figure.add_subplot()
    days = [d for d, _s in habit.points]
    scores = [s for _d, s in habit.points]
    ax.fill_between(_dates(days), scores, color=ROUTINE_COLOUR, alpha=0.15, linewidth=0)
    ax.plot(_dates(days), scores, color=ROUTINE_COLOUR, linewidth=1.8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    figure.autofmt_xdate()
    ax.set_title(title, loc="left")
    description = _(
        "Habit strength from {start} to {end}, now {score:.0f} % (half-life {half:g} days)."
    ).format(
        start=days[0].isoformat(),
        end=days[-1].isoformat(),
        score=habit.current,
        half=habit.half_life_days,
    )
    return _chart(figure, "habit", title, description)


# --- sleep ------------------------------------------------------------------------------------


@_styled
def sleep_chart(
    nights: Sequence[Night],
    rolling: Sequence[RollingPoint],
    bedtime_days: frozenset[dt.date] | set[dt.date],
) -> Chart:
    """Four panels over time: quality, total sleep, efficiency, and minutes to fall asleep.
    Each night is a mark (filled blue circle after a bedtime session, hollow orange triangle
    without); the black line is the 7-day mean; the last panel adds time awake in the night
    as a dashed 7-day mean."""
    from matplotlib.lines import Line2D

    title = _("Sleep over time")
    if not nights:
        return _empty("sleep", title, _("No diary nights to show yet."))
    one = dt.timedelta(days=1)
    after = [(n.night - one) in bedtime_days for n in nights]
    panels: list[tuple[str, Metric, float]] = [
        (_("Quality (1-5)"), "quality", 1.0),
        (_("Total sleep (h)"), "tst", 60.0),
        (_("Sleep efficiency (%)"), "se", 1.0),
        (_("Minutes"), "sol", 1.0),
    ]
    figure = _new_figure(7.5, 7.4)
    axes = figure.subplots(len(panels), 1, sharex=True)
    days = _dates([p.day for p in rolling])

    def mean_line(key: Metric, scale: float) -> list[float]:
        values = [p.means.get(key) for p in rolling]
        return [v / scale if v is not None else float("nan") for v in values]

    for ax, (ylabel, key, scale) in zip(axes, panels, strict=True):
        marks = [(n.night, n.value(key) / scale, a) for n, a in zip(nights, after, strict=True)]
        ax.scatter(
            [d for d, _v, a in marks if a],
            [v for _d, v, a in marks if a],
            s=14, color=ROUTINE_COLOUR, marker="o", zorder=3,
        )  # fmt: skip
        ax.scatter(
            [d for d, _v, a in marks if not a],
            [v for _d, v, a in marks if not a],
            s=16, facecolors="none", edgecolors=USUAL_COLOUR, marker="^", linewidths=0.9,
            zorder=3,
        )  # fmt: skip
        ax.plot(days, mean_line(key, scale), color=LINE_COLOUR, linewidth=1.6)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    minutes = axes[-1]
    minutes.plot(days, mean_line("waso", 1.0), color="#009E73", linewidth=1.6, linestyle="--")
    minutes.legend(
        handles=[
            Line2D([], [], color=LINE_COLOUR, linewidth=1.6,
                   label=_("time to fall asleep (marks and 7-day mean)")),
            Line2D([], [], color="#009E73", linewidth=1.6, linestyle="--",
                   label=_("time awake in the night (7-day mean)")),
        ],
        loc="upper left", frameon=False, fontsize=7, ncols=2,
    )  # fmt: skip
    axes[0].set_ylim(0.5, 5.5)
    legend = [
        Line2D([], [], color=ROUTINE_COLOUR, marker="o", linestyle="",
               label=_("night after a bedtime session")),
        Line2D([], [], color=USUAL_COLOUR, marker="^", markerfacecolor="none", linestyle="",
               label=_("no bedtime session")),
        Line2D([], [], color=LINE_COLOUR, linewidth=1.6, label=_("7-day mean")),
    ]  # fmt: skip
    axes[0].legend(
        handles=legend, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=3, frameon=False
    )
    figure.suptitle(title, x=0.02, ha="left", fontweight="bold", fontsize=11)
    figure.autofmt_xdate()
    description = _(
        "{n} diary nights from {start} to {end}, {after} of them after a bedtime session. "
        "Panels: quality, total sleep, sleep efficiency, and minutes to fall asleep and awake "
        "in the night; lines are 7-day means."
    ).format(
        n=len(nights),
        start=nights[0].night.isoformat(),
        end=nights[-1].night.isoformat(),
        after=sum(after),
    )
    return _chart(figure, "sleep", title, description)


# --- symptoms ---------------------------------------------------------------------------------


@_styled
def symptom_chart(trends: Sequence[SymptomTrend]) -> Chart:
    """Each complaint's scores (0 none - 10 worst) over time, one line and marker each."""
    title = _("Complaints over time (0 none - 10 worst)")
    if not trends:
        return _empty("symptoms", title, _("No complaint scores to show yet."))
    figure = _new_figure(7.5, 3.2)
    ax = figure.add_subplot()
    for trend, (colour, marker) in zip(trends, SYMPTOM_STYLES, strict=False):
        ax.plot(
            _dates([d for d, _s in trend.points]),
            [s for _d, s in trend.points],
            color=colour,
            marker=marker,
            markersize=4,
            linewidth=1.3,
            label=_(trend.label),
        )
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks(range(0, 11, 2))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
    ax.set_title(title, loc="left")
    figure.autofmt_xdate()
    parts = [
        _("{label}: latest {latest}").format(label=_(t.label), latest=t.latest) for t in trends
    ]
    description = _("Complaint scores over time. {details}.").format(details="; ".join(parts))
    return _chart(figure, "symptoms", title, description)


# --- the experiment ---------------------------------------------------------------------------


@_styled
def experiment_chart(result: Result) -> Chart:
    """Left: each block's mean of the primary outcome, in time order, by condition. Right: the
    estimated effect with its 95 % interval, against what chance alone gives (the statistic
    under every block order the coin could have drawn)."""
    from matplotlib.lines import Line2D

    title = _("Experiment: {label}").format(label=_(result.label))
    blocks = [b for b in result.blocks if b.mean is not None]
    if not blocks:
        return _empty("experiment", title, _("No diary nights in the experiment yet."))
    figure = _new_figure(7.5, 3.0)
    left, right = figure.subplots(1, 2, width_ratios=[2.2, 1])
    colours = {"routine": ROUTINE_COLOUR, "usual": USUAL_COLOUR, "baseline": BASELINE_COLOUR}
    hatches = {"routine": "", "usual": "///", "baseline": ".."}
    for b in blocks:
        assert b.mean is not None
        x = b.block.number
        left.bar(
            x,
            b.mean,
            color=colours[b.block.condition] if b.block.condition != "usual" else "white",
            edgecolor=colours[b.block.condition],
            hatch=hatches[b.block.condition],
            linewidth=1.2,
        )
        left.annotate(
            f"n={b.nights}", (x, b.mean), ha="center", va="bottom", fontsize=7, xytext=(0, 2),
            textcoords="offset points",
        )  # fmt: skip
    left.set_xticks([b.block.number for b in blocks], [str(b.block.number) for b in blocks])
    left.set_xlabel(_("block (0 = baseline)"))
    left.set_ylabel(_(result.label))
    if result.outcome == "quality":
        left.set_ylim(0, 5.4)
    left.legend(
        handles=[
            Line2D([], [], color=ROUTINE_COLOUR, linewidth=8, label=_("routine")),
            Line2D([], [], color=USUAL_COLOUR, linewidth=0, marker="s", markersize=9,
                   markerfacecolor="white", label=_("usual")),
        ],
        loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False,
    )  # fmt: skip
    figure.suptitle(title, x=0.02, ha="left", fontweight="bold", fontsize=11)
    if result.null_statistics:
        import numpy as np

        stats = np.asarray(result.null_statistics)
        jitter = np.random.default_rng(0).uniform(-0.25, 0.25, stats.size)
        right.scatter(stats, jitter, s=6, color="#bbbbbb", label=_("chance alone"))
    if result.effect is not None:
        if result.low is not None and result.high is not None:
            right.errorbar(
                [result.effect],
                [0],
                xerr=[[result.effect - result.low], [result.high - result.effect]],
                fmt="o",
                color=ROUTINE_COLOUR,
                capsize=4,
                markersize=7,
                label=_("estimate, 95 % interval"),
            )
        else:
            right.plot([result.effect], [0], "o", color=ROUTINE_COLOUR, label=_("estimate"))
    right.axvline(0, color=LINE_COLOUR, linewidth=0.8)
    right.set_yticks([])
    right.set_ylim(-1, 1)
    right.set_xlabel(_("routine - usual ({unit})").format(unit=_(result.unit)))
    right.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=7)
    right.spines["left"].set_visible(False)
    description = result.summary
    return _chart(figure, "experiment", title, description)
