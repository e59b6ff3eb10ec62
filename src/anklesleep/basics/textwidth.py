"""Text as a terminal shows it: columns counted by display width, and wrapping that suits CJK.

A Chinese, Japanese or Korean character fills two terminal columns, so `len()` and `textwrap`
misjudge Japanese lines: columns drift and wrapped lines come out twice as wide. Text made of
narrow characters only (English) wraps exactly as `textwrap` does.
"""

from __future__ import annotations

import textwrap
import unicodedata

#: characters a Japanese line never starts with (closing marks, small kana, prolonged sound)
NO_LINE_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉)）]］}｝〕〉》」』】〙〗〟’”»ゝゞーァィゥェォッャュョヮヵヶ"
    "ぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～…‥"
)
#: characters a Japanese line never ends with (opening marks)
NO_LINE_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“«")


def char_width(char: str) -> int:
    """Columns one character fills: 2 for wide (CJK) ones, 0 for combining marks, else 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Columns `text` fills in a terminal."""
    return sum(char_width(c) for c in text)


def ljust(text: str, columns: int) -> str:
    """`text` padded with spaces on the right to fill `columns` (like `str.ljust`)."""
    return text + " " * max(0, columns - width(text))


def rjust(text: str, columns: int) -> str:
    """`text` padded with spaces on the left to fill `columns` (like `str.rjust`)."""
    return " " * max(0, columns - width(text)) + text


def _narrow(text: str) -> bool:
    return all(char_width(c) == 1 for c in text)


def _atoms(text: str) -> list[str]:
    """Pieces never broken inside (unless wider than a line): a word of narrow characters, or
    one wide character with the closing marks after it and the opening marks before it; runs
    of spaces are pieces of their own (break points)."""
    atoms: list[str] = []
    for char in text:
        if not atoms:
            atoms.append(char)
            continue
        last = atoms[-1]
        prev = last[-1]
        space, prev_space = char.isspace(), prev.isspace()
        if space or prev_space:
            joins = space and prev_space
        else:
            joins = (
                char in NO_LINE_START
                or prev in NO_LINE_END
                or (char_width(char) < 2 and char_width(prev) < 2)
            )
        if joins:
            atoms[-1] = last + char
        else:
            atoms.append(char)
    return atoms


def _split_long(atom: str, room: int, full: int) -> list[str]:
    """Cut an atom wider than a line into pieces: the first fits `room`, the others `full`;
    a cut never leaves a closing mark at the start of a piece when it can be helped."""
    pieces: list[str] = []
    rest = atom
    limit = room
    while width(rest) > limit:
        cut, used = 0, 0
        while cut < len(rest) and used + char_width(rest[cut]) <= limit:
            used += char_width(rest[cut])
            cut += 1
        while 1 < cut < len(rest) and rest[cut] in NO_LINE_START:
            cut -= 1
        if cut == 0:
            if limit < full:  # nothing fits in what is left of this line: start a new one
                pieces.append("")
                limit = full
                continue
            cut = 1  # a character wider than a whole line: show it anyway
        pieces.append(rest[:cut])
        rest = rest[cut:]
        limit = full
    pieces.append(rest)
    return pieces


def wrap(
    text: str, columns: int, initial_indent: str = "", subsequent_indent: str = ""
) -> list[str]:
    """Lines of at most `columns` display columns (as `textwrap.wrap`, which it uses for text
    of narrow characters only). Lines may break between two CJK characters, never before a
    closing mark such as 、。）」 nor after an opening one such as 「（."""
    if _narrow(text + initial_indent + subsequent_indent):
        return textwrap.wrap(
            text, columns, initial_indent=initial_indent, subsequent_indent=subsequent_indent
        )
    flat = "".join(" " if c.isspace() else c for c in text).strip()
    lines: list[str] = []
    indent = initial_indent
    line = ""
    pending = ""  # spaces kept only if another atom follows on the same line
    for atom in _atoms(flat):
        if atom.isspace():
            pending = " " if line else ""
            continue
        room = columns - width(indent)
        if width(line + pending + atom) <= room:
            line += pending + atom
            pending = ""
            continue
        if line and width(atom) <= columns - width(subsequent_indent):
            lines.append(indent + line)
            indent, line, pending = subsequent_indent, atom, ""
            continue
        first_room = room - width(line + pending) if line else room
        pieces = _split_long(atom, first_room, columns - width(subsequent_indent))
        head, *tail = pieces
        if head:
            line += pending + head
        for piece in tail:
            if line:
                lines.append(indent + line)
            indent, line = subsequent_indent, piece
        pending = ""
    if line:
        lines.append(indent + line)
    return lines


def fill(text: str, columns: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """`wrap` joined with newlines (as `textwrap.fill`)."""
    return "\n".join(wrap(text, columns, initial_indent, subsequent_indent))
