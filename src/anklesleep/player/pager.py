"""A small pager for text that must be read before a yes/no question (the safety notes).

When the text fits the terminal it is printed and the question asked as usual. When it does
not, it is shown a page at a time with the question and the keys always on the last rows, so
the top never scrolls away unseen before the answer.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable

import click

from anklesleep.basics.i18n import Translate


def page_rows(height: int, footer_rows: int) -> int:
    """How many lines of text a page holds above the footer (at least one)."""
    return max(1, height - footer_rows - 1)


def page(lines: list[str], top: int, rows: int) -> list[str]:
    """The `rows` lines shown when the page starts at line `top` (padded with blanks)."""
    shown = lines[top : top + rows]
    return shown + [""] * (rows - len(shown))


def footer(top: int, rows: int, total: int, question: str, t: Translate, width: int) -> list[str]:
    """Where we are and the keys, then the question: always on screen under the text."""
    last = min(total, top + rows)
    where = t("lines {first}–{last} of {total}").format(first=top + 1, last=last, total=total)
    keys = t("space more · b back") if last < total else t("b back")
    hint = f"{where} · {keys}"
    asked = t("{question}: y yes, n no").format(question=question)
    return [hint[:width], *textwrap.wrap(asked, max(10, width))]


def ask_with_pager(
    lines: list[str],
    question: str,
    t: Translate,
    *,
    width: int,
    height: int,
    read_key: Callable[[], str] | None = None,
    write: Callable[[str], None] | None = None,
) -> bool:
    """Show `lines`, then ask `question`; True for yes. Pages when the text does not fit."""
    out = write or _write
    foot = footer(0, height, len(lines), question, t, width)
    if len(lines) + len(foot) + 1 <= height and read_key is None:
        out("\n".join(lines) + "\n\n")
        return click.confirm(question, default=False)
    reader = read_key or _read_key
    rows = page_rows(height, len(foot))
    top = 0
    while True:
        foot = footer(top, rows, len(lines), question, t, width)
        screen = page(lines, top, rows) + [click.style(f, dim=n == 0) for n, f in enumerate(foot)]
        out("\x1b[H\x1b[2J" + "\n".join(screen) + " ")
        key = reader()
        if key in ("y", "Y"):
            out("\n")
            return True
        if key in ("n", "N", "q", "\x1b", "\x03", "\x04", ""):
            out("\n")
            return False
        if key in (" ", "\x1b[B", "\x1b[6~", "j", "\r", "\n"):
            step = 1 if key in ("j", "\r", "\n", "\x1b[B") else rows
            top = min(top + step, max(0, len(lines) - rows))
        elif key in ("b", "\x1b[A", "\x1b[5~", "k"):
            step = 1 if key in ("k", "\x1b[A") else rows
            top = max(0, top - step)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _read_key() -> str:
    """One key (or escape sequence) from the terminal, without echo."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        data = os.read(fd, 8)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return data.decode("utf-8", "replace")
