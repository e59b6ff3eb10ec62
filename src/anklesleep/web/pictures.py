"""Step pictures for the player, made safe for `Content-Security-Policy: default-src 'self'`.

The pictures are inlined in the page (so they follow the theme's colours and animate). A strict
CSP refuses inline `style="…"` attributes, so each one is moved into a rule of the pictures'
stylesheet, served from `/illustrations.css`, and the element is tagged to match it.
"""

from __future__ import annotations

import re
from functools import cache

from anklesleep.basics.i18n import translator
from anklesleep.printouts.illustrations import FEET, STEPS, illustration, stylesheet

_STYLE_RE = re.compile(r'\sstyle="([^"]*)"')


def _extract(svg: str, step: str) -> tuple[str, list[str]]:
    rules: list[str] = []

    def move(match: re.Match[str]) -> str:
        tag = f"{step}-{len(rules)}"
        rules.append(f'.as-{step} [data-as-style="{tag}"] {{ {match.group(1)} }}')
        return f' data-as-style="{tag}"'

    return _STYLE_RE.sub(move, svg), rules


@cache
def picture(step: str, foot: str, language: str = "en") -> str:
    """The SVG of `step` on `foot` with its labels in `language`, without inline styles (see
    `css()`)."""
    svg = illustration(step, foot, translate=translator(language), style=False, id_prefix="pic")
    return _extract(svg, step)[0]


@cache
def css() -> str:
    """The pictures' shared stylesheet plus the rules moved out of their style attributes."""
    rules: list[str] = []
    for step in STEPS:
        svg = illustration(step, FEET[0], translate=translator("en"), style=False)
        rules += _extract(svg, step)[1]
    return stylesheet() + "\n/* moved out of style attributes for the CSP */\n" + "\n".join(rules)
