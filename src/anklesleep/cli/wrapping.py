"""Help text wrapped by how wide it looks in a terminal: a Japanese character takes two
columns, and a line may break between two of them (never before closing punctuation such as
、 or 。). Text without such characters is wrapped by click as before."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

#: characters that never start a line (Japanese line-breaking rules, kinsoku)
NO_LINE_START = frozenset(
    "、。，．・：；？！ー）」』】〕〉》”’ゃゅょっャュョッぁぃぅぇぉァィゥェォ)]},:;!?%"
)
#: characters that never end a line
NO_LINE_END = frozenset("（「『【〔〈《“‘([{")


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def display_width(text: str) -> int:
    """The columns `text` takes in a terminal (ANSI colour codes are not in help texts)."""
    return sum(2 if is_wide(c) else 1 for c in text)


def _units(paragraph: str) -> list[str]:
    """The pieces a line may break between: words, single wide characters, and spaces."""
    units: list[str] = []
    for char in paragraph:
        if char == " ":
            units.append(" ")
        elif (
            units
            and units[-1] != " "
            and (
                char in NO_LINE_START
                or units[-1][-1] in NO_LINE_END
                or not (is_wide(char) or is_wide(units[-1][-1]))
            )
        ):
            units[-1] += char
        else:
            units.append(char)
    return units


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
    lines: list[str] = []
    line, indent = "", first
    for unit in _units(text):
        if unit == " " and not line:
            continue
        if line and display_width(indent + line + unit.rstrip()) > width:
            lines.append(indent + line.rstrip())
            line, indent = ("" if unit == " " else unit), rest
        else:
            line += unit
    if line.strip():
        lines.append(indent + line.rstrip())
    return lines


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


def left(text: str, width: int) -> str:
    """`text` padded on the right to `width` columns as shown."""
    return text + " " * max(0, width - display_width(text))


def right(text: str, width: int) -> str:
    """`text` padded on the left to `width` columns as shown."""
    return " " * max(0, width - display_width(text)) + text
