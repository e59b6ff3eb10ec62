"""Text laid out in terminal columns, where kanji and kana take two columns and Latin one.

Python's `f"{text:<10}"` and `textwrap` count characters, so a Japanese table runs out of its
columns; these count what the terminal shows.
"""

from __future__ import annotations

import textwrap
import unicodedata

#: Characters Japanese typesetting keeps off the start of a line (they hang at the end).
NO_LINE_START = frozenset(
    "、。，．,.)）」』】〕〉》！？!?:：;；ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)


def width(text: str) -> int:
    """The columns `text` takes in a terminal."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def pad(text: str, columns: int, align: str = "<") -> str:
    """`text` filled with spaces to `columns` (on the right for "<", the left for ">")."""
    space = " " * max(0, columns - width(text))
    return text + space if align == "<" else space + text


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns`; text with wide characters breaks between any two
    of them, never before closing punctuation or a small kana (the character before moves down
    with it)."""
    if width(text) == len(text):
        return textwrap.wrap(text, columns)
    lines: list[str] = []
    line = ""
    for char in text:
        if not line or width(line + char) <= columns:
            line += char
            continue
        carry = ""
        if char in NO_LINE_START:
            # move the run of punctuation and the character before it down, unless that would
            # leave nothing on this line (a line of punctuation only breaks where it must)
            keep = line.rstrip("".join(NO_LINE_START))[:-1]
            if keep.strip():
                line, carry = keep, line[len(keep) :]
        lines.append(line.rstrip())
        line = (carry + char).lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return [line for line in lines if line]
