"""The step pictures: one per step, accessible, themable, small, mirrored for the right foot."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.printouts.illustrations import (
    FEET,
    STEPS,
    caption,
    data_uri,
    illustration,
    source,
    stylesheet,
)
from anklesleep.routine import catalog as routines
from anklesleep.routine.definition import STEP_IDS, TOES

SVG = "{http://www.w3.org/2000/svg}"
ALL = [(step, foot) for step in STEPS for foot in FEET]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_there_is_a_picture_for_every_step_the_routines_know() -> None:
    assert set(STEPS) == set(STEP_IDS)
    folder = resources.files("anklesleep.printouts.illustrations").joinpath("steps")
    shipped = {entry.name for entry in folder.iterdir() if entry.name.endswith(".svg")}
    assert shipped == {f"{step}.svg" for step in STEPS}


@pytest.mark.parametrize(("step", "foot"), ALL)
def test_each_picture_is_valid_accessible_svg(step: str, foot: str) -> None:
    root = parse(illustration(step, foot))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 200 200"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root[0] is title  # the accessible name comes first
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text and title.text.startswith(step)
    assert f"{foot} foot" in (title.text or "")
    assert f"{foot} foot" in (desc.text or "")
    assert len(desc.text or "") > 60  # a real sentence, not a label


@pytest.mark.parametrize(("step", "foot"), ALL)
def test_each_picture_is_under_10_kb_even_with_its_stylesheet(step: str, foot: str) -> None:
    assert len(illustration(step, foot).encode("utf-8")) < 10_000
    assert len(source(step).encode("utf-8")) < 10_000


@pytest.mark.parametrize("step", STEPS)
def test_the_right_foot_is_the_left_drawing_mirrored(step: str) -> None:
    left = parse(illustration(step, "left", style=False))
    right = parse(illustration(step, "right", style=False))
    left_art = [el for el in left if el.tag not in (f"{SVG}title", f"{SVG}desc")]
    (mirror,) = [el for el in right if el.tag not in (f"{SVG}title", f"{SVG}desc")]
    assert mirror.tag == f"{SVG}g"
    assert mirror.get("transform") == "matrix(-1 0 0 1 200 0)"
    assert [ET.tostring(el) for el in mirror] == [ET.tostring(el) for el in left_art]


@pytest.mark.parametrize("step", STEPS)
def test_drawings_follow_the_theme_instead_of_hard_coded_colours(step: str) -> None:
    text = source(step)
    assert not re.search(r'(fill|stroke|color)="(?!none)', text), "use classes, not colours"
    assert "style=" not in text  # a strict Content-Security-Policy refuses inline styles
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|\bblack\b|\bwhite\b", text)
    css = stylesheet()
    assert "currentColor" in css
    assert "var(--as-accent)" in css


def test_the_motion_is_switched_off_for_people_who_ask_for_less_motion() -> None:
    css = stylesheet()
    match = re.search(r"@media \(prefers-reduced-motion: reduce\), print \{(.*?)\}\s*\}", css, re.S)
    assert match is not None
    assert "animation: none" in match.group(1)
    assert ".as-turn" in match.group(1) and ".as-rock" in match.group(1)


@pytest.mark.parametrize(
    ("step", "motion"),
    [("A1", "as-turn as-turn-in"), ("A2", "as-turn as-turn-out"), ("H1", "as-rock")],
)
def test_circles_and_tilts_move_and_grips_and_holds_do_not(step: str, motion: str) -> None:
    assert f'class="{motion}"' in source(step)
    for still in ("T1", "T2", "T3", "T4", "T5", "T6", "A0", "H0"):
        assert "as-turn" not in source(still) and "as-rock" not in source(still)


def test_inward_and_outward_circles_turn_opposite_ways() -> None:
    css = stylesheet()
    assert re.search(r"@keyframes as-turn-in \{ to \{ transform: rotate\(-360deg\)", css)
    assert re.search(r"@keyframes as-turn-out \{ to \{ transform: rotate\(360deg\)", css)


@pytest.mark.parametrize("step", [s for s in STEPS if s.startswith("T")])
def test_toe_captions_name_the_toes_of_the_step_by_their_toe_names(step: str) -> None:
    routine_step = routines.builtin("full").step(step)
    text = caption(step, "left")
    words = f"{text.title} {text.desc}"
    for toe in routine_step.toes:
        assert f"{toe} toe" in words
    for finger in ("thumb", "index", "ring", "pinky", "finger"):
        if step != "T5":  # in T5 a fingertip holds the middle toe still
            assert finger not in words
    assert set(routine_step.toes) <= set(TOES)


def test_the_toes_involved_are_highlighted_and_have_arrows() -> None:
    for step in ("T1", "T2", "T3", "T4", "T5", "T6"):
        text = source(step)
        assert text.count('class="as-hot"') == 2
        assert text.count('class="as-head"') == 2  # one arrow per toe pulled
    assert 'class="as-hand"' in source("T5")  # the fingertip holding the middle toe


def test_grip_pictures_show_where_fingertips_and_thumb_press() -> None:
    # A0: thumb under the inner knob and two fingertips under the outer knob
    assert source("A0").count('class="as-press"') == 3
    assert source("A0").count('class="as-hand"') == 3
    assert 'class="as-hand"' in source("H0")


def test_captions_are_translated_through_the_given_function() -> None:
    french = {
        "right foot": "pied droit",
        "{step}, {foot}: tilt the heel out and in": "{step}, {foot} : basculer le talon",
    }
    svg = illustration("H1", "right", translate=lambda s: french.get(s, s))
    title = parse(svg).find(f"{SVG}title")
    desc = parse(svg).find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == "H1, pied droit : basculer le talon"
    assert "The pied droit seen from behind" in (desc.text or "")


def test_text_is_escaped_for_xml() -> None:
    svg = illustration("T1", "left", translate=lambda s: s.replace("{foot}", "<b>&{foot}"))
    title = parse(svg).find(f"{SVG}title")
    assert title is not None and "<b>&left foot" in (title.text or "")


def test_id_prefix_keeps_ids_unique_on_one_page() -> None:
    one = parse(illustration("A1", "left", id_prefix="a"))
    two = parse(illustration("A1", "left", id_prefix="b"))
    ids = {el.get("id") for root in (one, two) for el in root.iter() if el.get("id")}
    assert len(ids) == 4


def test_style_false_leaves_the_stylesheet_to_the_page() -> None:
    assert "<style>" in illustration("A1", "left")
    assert "<style>" not in illustration("A1", "left", style=False)


@pytest.mark.parametrize("bad", ["T7", "t1", "", "A3", "heel"])
def test_unknown_step_names_the_allowed_steps(bad: str) -> None:
    with pytest.raises(AnkleSleepError) as info:
        illustration(bad, "left")
    message = info.value.message
    assert info.value.field == "step"
    assert repr(bad) in message
    assert all(step in message for step in STEPS)
    assert "\n" not in message


@pytest.mark.parametrize("bad", ["Left", "both", "", "l"])
def test_unknown_foot_names_left_and_right(bad: str) -> None:
    with pytest.raises(AnkleSleepError) as info:
        illustration("T1", bad)
    assert info.value.field == "foot"
    assert repr(bad) in info.value.message
    assert "left or right" in info.value.message


@given(step=st.text(max_size=6), foot=st.sampled_from(FEET))
def test_anything_but_a_step_id_is_refused(step: str, foot: str) -> None:
    if step in STEPS:
        assert parse(illustration(step, foot)).get("data-step") == step
    else:
        with pytest.raises(AnkleSleepError):
            illustration(step, foot)


def test_data_uri_carries_the_whole_picture_for_img_tags() -> None:
    import base64

    uri = data_uri("A2", "right")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    root = parse(svg)
    assert root.get("data-step") == "A2" and root.get("data-foot") == "right"
    assert "prefers-reduced-motion" in svg  # an <img> cannot see the page's stylesheet
