"""Terminal columns: kanji and kana take two cells, so tables and wrapped text line up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.columns import NO_LINE_START, pad, width, wrap


def test_wide_characters_take_two_columns() -> None:
    assert width("abc") == 3
    assert width("足首") == 4
    assert width("A0 足首") == 7
    assert pad("足", 6) == "足    " and width(pad("足", 6)) == 6
    assert pad("足", 6, ">") == "    足"
    assert pad("ステップ", 4) == "ステップ"  # too long: left as it is


def test_latin_text_wraps_like_textwrap() -> None:
    assert wrap("That is all. Rest your feet and sleep well.", 20) == [
        "That is all. Rest",
        "your feet and sleep",
        "well.",
    ]


def test_japanese_wraps_by_columns_and_no_line_starts_with_punctuation() -> None:
    text = "これで終わりです。足を休めて、ぐっすりお休みください。"
    lines = wrap(text, 16)
    assert "".join(lines) == text
    assert lines[0] == "これで終わりで"  # す moves down with the 。 that cannot start a line
    assert lines[1].startswith("す。")
    assert all(line[0] not in NO_LINE_START for line in lines)


@given(st.text(alphabet="あいうえお漢字、。ー abcXYZ", min_size=1, max_size=80), st.integers(4, 40))
def test_wrapped_lines_fit(text: str, columns: int) -> None:
    lines = wrap(text, columns)
    assert all(width(line) <= columns for line in lines), lines
    if width(text) != len(text):
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
