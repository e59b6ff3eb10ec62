"""The Bland–Altman chart of diary against tracker: each night's difference (diary minus
tracker) over the mean of the two, with the mean difference and the limits of agreement."""

from __future__ import annotations

from anklesleep.basics.i18n import _
from anklesleep.insights.agreement import MEASURE_LABELS, UNITS, Agreement
from anklesleep.printouts.charts import LINE_COLOUR, ROUTINE_COLOUR, Chart, _chart, _styled

LIMIT_COLOUR = "#D55E00"  # vermilion (Okabe-Ito), dashed as well


@_styled
def agreement_chart(a: Agreement) -> Chart:
    """One point per night; a solid line at the mean difference, dashed ones at the limits."""
    from matplotlib.figure import Figure

    label = _(MEASURE_LABELS[a.measure])
    unit = "%" if UNITS[a.measure] == "%" else _(UNITS[a.measure])
    title = _("Diary and tracker: {label}").format(label=label)
    description = _(
        "{n} nights. Mean difference {bias:.1f} {unit}; limits of agreement {low:.1f} to "
        "{high:.1f} {unit}."
    ).format(n=a.n, bias=a.mean_difference, low=a.lower, high=a.upper, unit=unit)
    figure = Figure(figsize=(6.0, 3.2), layout="constrained")
    ax = figure.add_subplot()
    ax.scatter(a.means, a.differences, s=18, color=ROUTINE_COLOUR, marker="o", zorder=3)
    ax.axhline(a.mean_difference, color=LINE_COLOUR, linewidth=1.2)
    for value in (a.lower, a.upper):
        ax.axhline(value, color=LIMIT_COLOUR, linewidth=1.0, linestyle="--")
    ax.axhline(0, color="#bbbbbb", linewidth=0.8, linestyle=":")
    right = max(a.means)
    ax.annotate(
        _("mean {value:+.1f}").format(value=a.mean_difference),
        (right, a.mean_difference), xytext=(4, 2), textcoords="offset points", fontsize=7,
    )  # fmt: skip
    for name, value in ((_("upper limit"), a.upper), (_("lower limit"), a.lower)):
        ax.annotate(
            f"{name} {value:+.1f}", (right, value), xytext=(4, 2), textcoords="offset points",
            fontsize=7, color=LIMIT_COLOUR,
        )  # fmt: skip
    ax.set_xlabel(_("mean of diary and tracker ({unit})").format(unit=unit))
    ax.set_ylabel(_("diary minus tracker ({unit})").format(unit=unit))
    ax.set_title(title, loc="left")
    return _chart(figure, f"agreement-{a.measure}", title, description)
