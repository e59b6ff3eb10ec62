"""One line-art picture per step (T1-T6, A0-A2, H0, H1), shared by every front end.

Each step has one hand-written SVG in `steps/`, drawn for the LEFT foot; the right foot is the
same drawing mirrored by a transform, so the two can never disagree. `illustration(step, foot)`
returns self-contained SVG text with an accessible `<title>` and `<desc>` (translated, naming
the foot), `role="img"`, and the shared stylesheet (`illustrations.css`): lines in
`currentColor` so the pictures follow light and dark themes, one accent colour
(`--as-accent`) for the toes involved and the arrows, and a gentle animation of circles and
tilts that stops under `prefers-reduced-motion`.

Views: the toes from above (T1-T6); the ankle from the front, where both ankle knobs show
(A0-A2); the heel from behind, cupped in the opposite hand (H0, H1).
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import N_, Translate, _, translator

STEPS = ("T1", "T2", "T3", "T4", "T5", "T6", "A0", "A1", "A2", "H0", "H1")
FEET = ("left", "right")
#: Every drawing uses this square viewBox; mirroring flips it about its vertical centre line.
SIZE = 200

_FOOT_NAMES = {"left": N_("left foot"), "right": N_("right foot")}


@dataclass(frozen=True)
class Caption:
    """What a picture shows, for screen readers and as alt text: a short title and a sentence."""

    title: str
    desc: str


# English message ids; `{foot}` becomes "left foot" or "right foot" (translated).
_CAPTIONS: dict[str, tuple[str, str]] = {
    "T1": (
        N_("{step}, {foot}: big toe and second toe apart"),
        N_(
            "The {foot} seen from above. The big toe and the second toe are highlighted, "
            "with arrows drawing them away from each other."
        ),
    ),
    "T2": (
        N_("{step}, {foot}: second toe and middle toe apart"),
        N_(
            "The {foot} seen from above. The second toe and the middle toe are highlighted, "
            "with arrows drawing them away from each other."
        ),
    ),
    "T3": (
        N_("{step}, {foot}: middle toe and fourth toe apart"),
        N_(
            "The {foot} seen from above. The middle toe and the fourth toe are highlighted, "
            "with arrows drawing them away from each other."
        ),
    ),
    "T4": (
        N_("{step}, {foot}: fourth toe and little toe apart"),
        N_(
            "The {foot} seen from above. The fourth toe and the little toe are highlighted, "
            "with arrows drawing them away from each other."
        ),
    ),
    "T5": (
        N_("{step}, {foot}: second and fourth toe away from the middle toe"),
        N_(
            "The {foot} seen from above. A fingertip keeps the middle toe still while arrows "
            "draw the highlighted second toe and fourth toe away from it, one to each side."
        ),
    ),
    "T6": (
        N_("{step}, {foot}: big toe and little toe outward"),
        N_(
            "The {foot} seen from above. The big toe and the little toe, on the two edges of "
            "the foot, are highlighted, with arrows drawing each one outward."
        ),
    ),
    "A0": (
        N_("{step}, {foot}: grip under both ankle knobs"),
        N_(
            "The {foot} seen from the front, toes toward you. One hand holds the ankle from "
            "behind: the index and middle fingertips press just under the outer ankle knob and "
            "the thumb just under the inner ankle knob."
        ),
    ),
    "A1": (
        N_("{step}, {foot}: circle the ankle inward"),
        N_(
            "The {foot} seen from the front, held under both ankle knobs. A round arrow shows "
            "the foot circling inward: over the top, the toes travel toward the big-toe side."
        ),
    ),
    "A2": (
        N_("{step}, {foot}: circle the ankle outward"),
        N_(
            "The {foot} seen from the front, held under both ankle knobs. A round arrow shows "
            "the foot circling outward: over the top, the toes travel toward the little-toe side."
        ),
    ),
    "H0": (
        N_("{step}, {foot}: cup the heel in the opposite hand"),
        N_(
            "The {foot} seen from behind. The heel rests in the palm of the other hand, the "
            "fingers wrapped round the outer side and the thumb along the inner side."
        ),
    ),
    "H1": (
        N_("{step}, {foot}: tilt the heel out and in"),
        N_(
            "The {foot} seen from behind, the heel cupped in the other hand. Curved arrows "
            "show the heel tilting outward, then inward, in wide easy movements."
        ),
    ),
}

_ART_RE = re.compile(r'<g class="as-art">(.*)</g>\s*</svg>\s*\Z', re.DOTALL)


def _check(step: str, foot: str) -> None:
    if step not in STEPS:
        raise AnkleSleepError(
            _("step: got {step!r}; choose one of {steps}").format(
                step=step, steps=", ".join(STEPS)
            ),
            field="step",
        )
    if foot not in FEET:
        raise AnkleSleepError(
            _("foot: got {foot!r}; choose left or right").format(foot=foot), field="foot"
        )


@cache
def stylesheet() -> str:
    """The CSS shared by all pictures (embed it once per page when inlining several)."""
    return resources.files(__package__).joinpath("illustrations.css").read_text("utf-8")


@cache
def source(step: str) -> str:
    """The hand-written SVG file of `step` (the left foot), as stored in the package."""
    _check(step, "left")
    return resources.files(__package__).joinpath(f"steps/{step}.svg").read_text("utf-8")


@cache
def _art(step: str) -> str:
    match = _ART_RE.search(source(step))
    if match is None:  # a packaging mistake, not a user one
        raise RuntimeError(f'steps/{step}.svg has no <g class="as-art"> drawing group')
    return match.group(1).strip()


def caption(step: str, foot: str, translate: Translate | None = None) -> Caption:
    """The title and description of the picture of `step` on `foot`, translated."""
    _check(step, foot)
    t = translate or translator()
    title, desc = _CAPTIONS[step]
    foot_name = t(_FOOT_NAMES[foot])
    return Caption(
        t(title).format(step=step, foot=foot_name), t(desc).format(step=step, foot=foot_name)
    )


def illustration(
    step: str,
    foot: str,
    *,
    translate: Translate | None = None,
    style: bool = True,
    id_prefix: str = "as",
) -> str:
    """SVG text of the picture of `step` (T1…H1) on `foot` (left/right).

    `style=False` leaves out the embedded CSS, for pages that include `stylesheet()` once.
    `id_prefix` keeps the `<title>`/`<desc>` ids unique when a page shows a picture twice.
    Raises `AnkleSleepError` naming the allowed values for an unknown step or foot.
    """
    _check(step, foot)
    text = caption(step, foot, translate)
    ident = f"{id_prefix}-{step}-{foot}"
    art = _art(step)
    if foot == "right":  # the drawings show the left foot; the right one is its mirror image
        art = f'<g transform="matrix(-1 0 0 1 {SIZE} 0)">{art}</g>'
    css = f"<style>{stylesheet()}</style>" if style else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" class="as-ill as-{step}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" data-step="{step}" data-foot="{foot}">'
        f'<title id="{ident}-title">{html.escape(text.title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(text.desc)}</desc>'
        f"{css}{art}</svg>"
    )


def data_uri(step: str, foot: str, *, translate: Translate | None = None) -> str:
    """The picture as a `data:image/svg+xml;base64,…` URI, for an `<img>` in a report or page.

    An `<img>` shows the drawing without its screen-reader text: give it `alt=caption().title`.
    """
    svg = illustration(step, foot, translate=translate, id_prefix="img")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
