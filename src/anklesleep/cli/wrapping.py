"""Help text wrapped by how wide it looks in a terminal: a Japanese character takes two
columns, and a line may break between two of them (never before closing punctuation such as
、 or 。). Text without such characters is wrapped by click as before."""

from __future__ import annotations

from collections.abc import Callable

from anklesleep.basics import textwidth
from anklesleep.basics.textwidth import ljust as left
from anklesleep.basics.textwidth import rjust as right
from anklesleep.basics.textwidth import width as display_width

__all__ = ["display_width", "left", "right", "wide_aware", "wrap"]


def is_wide(char: str) -> bool:
    return textwidth.char_width(char) == 2


def _join_lines(paragraph: str) -> str:
    """A paragraph's lines as one line: no space is added between two wide characters."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    if not lines:
        return ""
    text = lines[0]
    for line in lines[1:]:
        glue = "" if is_wide(text[-1]) and is_wide(line[0]) else " "
        text += glue + line
    return text


def _wrap_paragraph(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwidth.wrap(text, width, first, rest)


def wide_aware(original: Callable[..., str]) -> Callable[..., str]:
    """click's `wrap_text`, wrapping text with wide characters by its display width."""

    def wrap_text(
        text: str,
        width: int = 78,
        initial_indent: str = "",
        subsequent_indent: str = "",
        preserve_paragraphs: bool = False,
    ) -> str:
        if not any(is_wide(c) for c in text) or "\b" in text:
            return original(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
        paragraphs = text.split("\n\n") if preserve_paragraphs else [text]
        wrapped = []
        for i, paragraph in enumerate(paragraphs):
            first = initial_indent if i == 0 else subsequent_indent
            wrapped.append(
                "\n".join(_wrap_paragraph(_join_lines(paragraph), width, first, subsequent_indent))
            )
        return "\n\n".join(wrapped)

    return wrap_text


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns (for table cells)."""
    return _wrap_paragraph(_join_lines(text), width, "", "") or [""]
