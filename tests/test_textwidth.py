"""Display width, padding and wrapping that suit Japanese (basics/textwidth.py)."""

from __future__ import annotations

import textwrap

from hypothesis import assume, given
from hypothesis import strategies as st

from anklesleep.basics.textwidth import NO_LINE_START, fill, ljust, rjust, width, wrap

JAPANESE = "睡眠日誌を毎朝つけてくださいルーティンはフル版とクイック版がありますっゃー"
PUNCTUATION = "、。）」』！？"
OPENING = "「（"


def test_wide_characters_fill_two_columns() -> None:
    assert width("abc") == 3
    assert width("睡眠") == 4
    assert width("ｍｏｒｎｉｎｇ") == 14
    assert width("é") == 1 and width("e\u0301") == 1  # a combining accent takes no column


def test_padding_counts_columns() -> None:
    assert ljust("朝", 6) == "朝    " and width(ljust("朝", 6)) == 6
    assert rjust("基準", 6) == "  基準"
    assert ljust("bedtime", 4) == "bedtime"  # never cut


def test_japanese_wraps_between_characters_and_never_before_closing_marks() -> None:
    text = (
        "この実験では、ルーティンを行う週と行わない週を交互に比べます。"
        "結果は「anklesleep experiment result」で見られます。"
    )
    lines = wrap(text, 20, "  ", "  ")
    assert all(width(line) <= 20 for line in lines)
    assert all(line[2] not in NO_LINE_START for line in lines)
    assert "".join(line.strip().replace(" ", "") for line in lines) == text.replace(" ", "")
    assert any(line.endswith("anklesleep") or "anklesleep" in line for line in lines)


@given(st.text(alphabet="abcdefghij ,.-", max_size=300), st.integers(min_value=12, max_value=100))
def test_english_wraps_exactly_as_textwrap(text: str, columns: int) -> None:
    assert wrap(text, columns, "  ", "    ") == textwrap.wrap(
        text, columns, initial_indent="  ", subsequent_indent="    "
    )
    assert fill(text, columns) == textwrap.fill(text, columns)


mixed = st.text(
    alphabet=st.sampled_from(list(JAPANESE + PUNCTUATION + OPENING + "abc xyz 12")), max_size=400
)


@given(mixed, st.integers(min_value=8, max_value=90), st.sampled_from(["", "  ", "  - "]))
def test_no_line_is_wider_than_the_limit_or_starts_with_a_closing_mark(
    text: str, columns: int, indent: str
) -> None:
    # a closing mark right after a space or at the very start has nothing to cling to
    assume(
        not any(text[i] in NO_LINE_START for i in range(len(text)) if i == 0 or text[i - 1] == " ")
    )
    # more closing marks in a row than a line holds cannot all stay with their word
    assume(max((len(run) for run in _runs(text)), default=0) <= 2)
    lines = wrap(text, columns, indent, " " * len(indent))
    for line in lines:
        assert width(line) <= columns, (line, columns)
        body = line[len(indent) :]
        assert body, lines
        assert body[0] not in NO_LINE_START, (lines, columns)
    # nothing is lost but spaces
    assert "".join(line[len(indent) :] for line in lines).replace(" ", "") == text.replace(" ", "")


def _runs(text: str) -> list[str]:
    runs, current = [], ""
    for char in text:
        if char in NO_LINE_START:
            current += char
        else:
            if current:
                runs.append(current)
            current = ""
    return [*runs, current] if current else runs
