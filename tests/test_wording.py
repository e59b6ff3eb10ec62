"""Whole sentences in every language: joining, names people read, and no English left over
(checked with a pseudo language whose every catalog message comes out in wide letters)."""

from __future__ import annotations

import datetime as dt

from anklesleep.basics.i18n import translator
from anklesleep.basics.wording import join_list, join_sentences
from anklesleep.insights.association import METRICS, Comparison, summary
from anklesleep.routine.names import short_name
from anklesleep.schedule.reminders import Reminder, message
from anklesleep.schedule.slots import SLOTS, Slot, slot_name
from tests.pseudo_language import PseudoTranslate, english_words

T = PseudoTranslate()


def test_english_joins_as_before() -> None:
    t = translator("en")
    assert join_sentences(["One.", "", "Two."], t) == "One. Two."
    assert join_list(["a", "b", "c"], t) == "a, b, c"
    assert join_list([], t) == "" and join_sentences([], t) == ""


def test_a_language_chooses_its_own_separators() -> None:
    assert join_sentences(["眠れました。", "よかったです。"], T) == "眠れました。よかったです。"
    assert join_list(["朝", "帰宅後", "就寝前"], T) == "朝、帰宅後、就寝前"


def test_slots_and_routines_have_names_in_the_catalog() -> None:
    for slot in SLOTS:
        assert slot_name(slot, translator("en")) == slot
        assert not english_words(slot_name(slot, T))
    for routine in ("full", "quick"):
        assert short_name(routine, translator("en")) == routine
        assert not english_words(short_name(routine, T))
    assert short_name("evening-stretch", T) == "evening-stretch"  # a user's own keeps its id


def test_a_reminder_names_the_routine_and_keeps_the_command() -> None:
    slot = Slot("home", dt.time(18, 30), routine="quick")
    reminder = Reminder("home", dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 18, 30, tzinfo=dt.UTC))
    title, body = message(slot, reminder, T)
    # the routine's name is translated; only the command's argument stays the id
    assert english_words(title + body) == ["quick"]
    assert "ｑｕｉｃｋ" in body
    english = message(slot, reminder, translator("en"))[1]
    assert english == (
        "Back home: time for your quick routine. Start it with: anklesleep start quick"
    )


def _comparison(metric: str, difference: float) -> Comparison:
    return Comparison(
        metric=metric, label="", unit="", decimals=0,
        higher_is_better=metric in ("tst", "se", "quality"),
        mean_after=1.0, mean_without=1.0, difference=difference, low=difference - 1,
        high=difference + 1, nights_after=10, nights_without=10,
    )  # fmt: skip


def test_each_measure_has_its_own_sentence_and_sentences_join_without_spaces() -> None:
    comparisons = [_comparison(m, d) for m in METRICS for d in (5.0, -5.0)]
    text = summary(comparisons, 10, 10, True, T)
    assert not english_words(text), text
    assert "。 " not in text and ". " not in text.replace("...", "")
    english = summary(comparisons[:2], 10, 10, True, translator("en"))
    assert "Time to fall asleep was 5 min higher (worse; 95 % interval +4 min … +6 min)." in english
    assert "Time to fall asleep was 5 min lower (better; 95 % interval -6 min … -4 min)." in english


def test_the_key_bar_says_more_circles_in_its_own_words() -> None:
    from anklesleep.player.screen import Snapshot, key_items

    s = Snapshot(
        routine_name="", section="", foot="", step="A1", step_number=3, step_count=12,
        instruction="", kind="circle", phase="", rep=1, reps=5, cue_remaining=1.0, position=5.0,
        total=75.0, next_cue="", next_step="", paused=False, can_more=True, can_next=True,
        confirming=False, message="",
    )  # fmt: skip
    marked = {key: short for key, _short_key, _long, short in key_items(s, lambda m: f"<{m}>")}
    # the terminal's short word is about circles; the web's button that shows more text has
    # its own message ("show more"), so each language can word the two apart
    assert marked["m"] == "<more>"
    from anklesleep.basics.i18n import translator

    ja = translator("ja")
    assert ja("more") != ja("show more")
