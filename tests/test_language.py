"""Choosing the language: per request on the web, per command in the terminal, never mixed."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from anklesleep.basics import formats
from anklesleep.basics.i18n import _, available, current_language, translator, using
from anklesleep.store import create, migrate
from anklesleep.store import language as language_store
from anklesleep.web.language import negotiate, preferred
from tests.cli_helpers import run_cli
from tests.web_helpers import MORNING, client, csrf, form_csrf

JA_TODAY = translator("ja")("Today")


@pytest.fixture(autouse=True)
def quick_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    """No speech engine: lengths are estimated, so no clip is synthesized in either language."""
    monkeypatch.setenv("ANKLESLEEP_VOICE", "none")


def _lang_of(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match, page[:200]
    return match.group(1)


# --- the catalogs and the current language --------------------------------------------------


def test_the_languages_come_from_the_shipped_catalogs() -> None:
    assert available() == ("en", "ja")
    assert JA_TODAY != "Today"  # the Japanese catalog is compiled and read


def test_the_current_language_belongs_to_its_context() -> None:
    assert current_language() == "en"
    with using("ja"):
        assert _("Today") == JA_TODAY
        assert translator()("Today") == JA_TODAY
    assert _("Today") == "Today"
    with using("xx"):  # not offered: English
        assert current_language() == "en"


def test_threads_keep_their_own_language() -> None:
    seen: dict[str, list[str]] = {"en": [], "ja": []}
    barrier = threading.Barrier(8)

    def work(lang: str) -> None:
        with using(lang):
            barrier.wait()
            for _i in range(200):
                seen[lang].append(_("Today"))

    threads = [threading.Thread(target=work, args=(lang,)) for lang in ("en", "ja") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen["en"]) == {"Today"}
    assert set(seen["ja"]) == {JA_TODAY}


# --- Accept-Language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ja-JP", "ja"),
        ("ja", "ja"),
        ("ja-jp,ja;q=0.9,en;q=0.8", "ja"),
        ("en-US,en;q=0.9,ja;q=0.8", "en"),
        ("fr-FR, ja;q=0.5", "ja"),
        ("en;q=0.4, ja;q=0.6", "ja"),
        ("ja;q=0, en", "en"),
        ("fr, de", "en"),
        ("", "en"),
        ("*", "en"),
        ("ja;q=banana, en;q=0.1", "en"),
    ],
)
def test_negotiation_honours_q_values(header: str, expected: str) -> None:
    assert negotiate(header) == expected


def test_preferred_orders_by_q_then_position() -> None:
    assert preferred("a;q=0.5, b, c;q=0.9, d") == ["b", "d", "c", "a"]


@given(st.text(max_size=200))
def test_negotiation_always_gives_an_offered_language(header: str) -> None:
    assert negotiate(header) in ("en", "ja")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.one_of(
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=120),
        st.lists(
            st.tuples(
                st.sampled_from(["ja", "ja-JP", "en", "en-GB", "fr", "*", "zh-Hant", "x"]),
                st.one_of(st.none(), st.floats(-1, 2), st.text("0123456789.q=;", max_size=5)),
            ),
            max_size=6,
        ).map(lambda items: ", ".join(f"{t};q={q}" if q is not None else t for t, q in items)),
    )
)
def test_any_accept_language_header_gives_a_page_in_en_or_ja(
    engine: Engine, tmp_path: Path, header: str
) -> None:
    if id(engine) not in _CLIENTS:  # one app for all the examples
        _CLIENTS.clear()
        _CLIENTS[id(engine)] = client(engine, tmp_path)[0]
    response = _CLIENTS[id(engine)].get("/about", headers={"accept-language": header})
    assert response.status_code == 200
    assert _lang_of(response.text) in ("en", "ja")


_CLIENTS: dict[int, Any] = {}


def test_the_page_follows_the_browser_and_says_it_varies(engine: Engine, tmp_path: Path) -> None:
    c, _r = client(engine, tmp_path)
    ja = c.get("/", headers={"accept-language": "ja-JP,ja;q=0.9,en;q=0.8"})
    en = c.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert _lang_of(ja.text) == "ja"
    assert JA_TODAY in ja.text
    assert _lang_of(en.text) == "en"
    for response in (ja, en):
        assert "accept-language" in response.headers["vary"].lower()
    # the static files are the same in every language
    assert "accept-language" not in c.get("/static/app.css").headers.get("vary", "").lower()


def test_settings_choice_is_kept_and_wins_over_the_browser(engine: Engine, tmp_path: Path) -> None:
    c, _r = client(engine, tmp_path)
    page = c.get("/settings", headers={"accept-language": "en"}).text
    assert 'name="language" value="auto" checked' in page
    assert ">日本語<" in page and ">English<" in page
    form = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"[^>]*checked', page))
    form.update(
        {
            "csrf_token": form_csrf(c),
            "language": "ja",
            "timezone": "UTC",
            "tempo": "1",
            "slot_morning_time": "07:00",
            "slot_home_time": "18:00",
            "slot_bedtime_time": "22:30",
            "slot_morning_routine": "quick",
            "slot_home_routine": "full",
            "slot_bedtime_routine": "full",
        }
    )
    response = c.post(
        "/settings", data=form, headers={"accept-language": "en"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    with engine.connect() as conn:
        assert language_store.load(conn) == "ja"
    shown = c.get("/settings?saved=1", headers={"accept-language": "en-US,en"})
    assert _lang_of(shown.text) == "ja"
    assert 'name="language" value="ja" checked' in shown.text
    # the answer no longer depends on the header
    assert "accept-language" not in shown.headers.get("vary", "").lower()


def test_the_api_shares_the_stored_choice(engine: Engine, tmp_path: Path) -> None:
    c, _r = client(engine, tmp_path)
    assert c.get("/api/settings").json()["language"] == "auto"
    answer = c.put("/api/settings", json={"language": "ja"}, headers=csrf(c))
    assert answer.status_code == 200, answer.text
    assert answer.json()["language"] == "ja"
    assert _lang_of(c.get("/about", headers={"accept-language": "en"}).text) == "ja"
    bad = c.put("/api/settings", json={"language": "xx"}, headers=csrf(c))
    assert bad.status_code == 400
    assert bad.json()["field"] == "language"
    with engine.connect() as conn:
        assert language_store.load(conn) == "ja"


def test_a_stored_language_without_a_catalog_reads_as_auto(engine: Engine) -> None:
    from anklesleep.store import settings as settings_store

    with engine.begin() as conn:
        settings_store.put(conn, "language", "xx", MORNING)
        assert language_store.load(conn) == "auto"


def test_concurrent_requests_each_get_their_own_language(tmp_path: Path) -> None:
    # a database file, so that the app also remembers answers between requests (web.memo)
    engine = create(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(engine)
    c, _r = client(engine, tmp_path)
    c.get("/")  # the first answer is remembered; the others must not borrow it
    results: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def visit(lang: str) -> None:
        barrier.wait()
        for path in ("/", "/about", "/history", "/api/timeline?routine=quick"):
            response = c.get(path, headers={"accept-language": lang})
            text = response.text
            got = (
                "ja" if any("\u3040" <= ch <= "\u30ff" for ch in text) else "en"
            )  # any kana: Japanese
            if path.startswith("/api/"):
                got = response.json()["options"]["language"]
            elif got == "ja":
                assert _lang_of(text) == "ja"
            with lock:
                results.append((lang, path, got))

    threads = [threading.Thread(target=visit, args=(lang,)) for lang in ("en", "ja") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert len(results) == 32
    assert [r for r in results if r[0] != r[2]] == []


def test_timeline_text_and_track_follow_the_page_language(engine: Engine, tmp_path: Path) -> None:
    c, renderer = client(engine, tmp_path)
    en = c.get("/api/timeline?routine=quick", headers={"accept-language": "en"}).json()
    ja = c.get("/api/timeline?routine=quick", headers={"accept-language": "ja"}).json()
    assert en["options"]["language"] == "en"
    assert ja["options"]["language"] == "ja"
    assert en["cues"][1]["text"] != ja["cues"][1]["text"]
    assert ja["cues"][1]["text"] == translator("ja")(en["cues"][1]["text"])
    c.get("/api/track?routine=quick", headers={"accept-language": "ja"})
    c.get("/api/track?routine=quick", headers={"accept-language": "en"})
    assert [options.language for _id, options, _fmt in renderer.calls[-2:]] == ["ja", "en"]


def test_the_track_cache_key_includes_the_language() -> None:
    from anklesleep.audio.encoding import format_named
    from anklesleep.audio.mixing import cache_key
    from anklesleep.audio.voices import ENGINES
    from anklesleep.routine.catalog import builtin
    from anklesleep.routine.options import Options

    routine = builtin("quick")
    engine = ENGINES["none"](130)
    fmt = format_named("wav")
    keys = {
        cache_key(routine, Options(language=lang), engine, fmt, True, "same words")
        for lang in ("en", "ja")
    }
    assert len(keys) == 2


# --- the command line -------------------------------------------------------------------------


def test_cli_follows_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    full_ja = translator("ja")("Full routine")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert full_ja in run_cli(capsys, "routines").out
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")  # stronger than LANG
    assert "Full routine" in run_cli(capsys, "routines").out
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")  # strongest
    assert full_ja in run_cli(capsys, "routines").out
    monkeypatch.setenv("LC_ALL", "C")
    assert "Full routine" in run_cli(capsys, "routines").out


def test_cli_order_of_precedence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    full_ja = translator("ja")("Full routine")

    def lang_of(*args: str) -> str:
        out = run_cli(capsys, *args, "routines").out
        return "ja" if full_ja in out else "en" if "Full routine" in out else "?"

    assert lang_of() == "en"  # nothing set: English
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert lang_of() == "ja"  # the locale
    assert run_cli(capsys, "language", "en").code == 0
    assert lang_of() == "en"  # the stored choice beats the locale
    monkeypatch.setenv("ANKLESLEEP_LANG", "ja")
    assert lang_of() == "ja"  # the environment beats the stored choice
    assert lang_of("--lang", "en") == "en"  # the flag beats everything
    assert lang_of("--lang=en") == "en"
    monkeypatch.delenv("ANKLESLEEP_LANG")
    assert run_cli(capsys, "language", "auto").code == 0
    assert lang_of() == "ja"  # auto: the locale again


def test_language_command_shows_where_the_language_comes_from(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = run_cli(capsys, "language")
    assert shown.code == 0
    assert "English (en)" in shown.out
    assert "auto" in shown.out
    chosen = run_cli(capsys, "language", "ja")
    assert "日本語" in chosen.out
    again = run_cli(capsys, "--lang", "en", "language")
    assert "from --lang" in again.out
    assert "Stored choice: ja" in again.out
    bad = run_cli(capsys, "language", "xx")
    assert bad.code == 2
    assert bad.err.count("\n") == 1


def test_bad_lang_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "--lang", "xx", "routines")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith("anklesleep: error: --lang: got 'xx'")
    assert "en, ja" in result.err
    assert result.out == ""


CLICK_ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message and exit.",
    "Show the version and exit.",
    "positional arguments",
)


@pytest.mark.parametrize("command", [(), ("show",), ("sleep",), ("slots", "set"), ("experiment",)])
def test_help_in_japanese_has_no_english_boilerplate(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    result = run_cli(capsys, "--lang", "ja", *command, "--help")
    assert result.code == 0
    for words in CLICK_ENGLISH:
        assert words not in result.out, words
    assert translator("ja")("Usage:") in result.out
    # the command's own description is translated too
    assert re.search(r"[\u3040-\u30ff]", result.out.split("\n\n")[1])


def test_click_errors_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "--lang", "ja", "dance")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "No such command" not in result.err
    assert "see `" not in result.err
    assert "'dance'" in result.err


# --- formats ----------------------------------------------------------------------------------


SUNDAY = dt.date(2026, 11, 29)


def test_japanese_dates_times_and_durations() -> None:
    assert formats.day(SUNDAY, "ja") == "11月29日(日)"
    assert formats.day(dt.date(2026, 11, 30), "ja") == "11月30日(月)"
    assert formats.day_with_year(SUNDAY, "ja") == "2026年11月29日(日)"
    assert formats.long_day(SUNDAY, "ja") == "11月29日日曜日"
    assert formats.short_day(SUNDAY, "ja") == "29日(日)"
    assert formats.month(SUNDAY, "ja") == "11月"
    assert formats.date(SUNDAY, "ja") == "2026年11月29日"
    assert formats.time_of_day(dt.time(7, 5)) == "07:05"
    assert formats.time_of_day(dt.time(23, 45)) == "23:45"
    assert formats.duration(675, "ja") == "11分15秒"
    assert formats.duration(3723, "ja") == "1時間2分3秒"
    assert formats.duration(600, "ja") == "10分"
    assert formats.duration(45, "ja") == "45秒"
    assert formats.duration(0, "ja") == "0秒"
    assert formats.duration_minutes(425, "ja") == "7時間5分"
    assert formats.hours_minutes(405, "ja") == "6時間45分"


def test_english_forms_are_unchanged() -> None:
    assert formats.day(SUNDAY, "en") == "Sun 29 Nov"
    assert formats.day_with_year(SUNDAY, "en") == "Sun 2026-11-29"
    assert formats.long_day(SUNDAY, "en") == "Sunday 29 November"
    assert formats.duration(675, "en") == "11:15"
    assert formats.duration(3723, "en") == "1:02:03"
    assert formats.duration_minutes(425, "en") == "7 h 05 min"
    assert formats.hours_minutes(405, "en") == "6 h 45"
    assert formats.date_time(dt.datetime(2026, 11, 29, 23, 5), "en") == "2026-11-29 23:05"


def test_formats_follow_the_current_language() -> None:
    with using("ja"):
        assert formats.duration(675) == "11分15秒"
    assert formats.duration(675) == "11:15"


def test_pages_show_japanese_dates(engine: Engine, tmp_path: Path) -> None:
    c, _r = client(engine, tmp_path)
    page = c.get("/", headers={"accept-language": "ja"}).text
    # MORNING is Saturday 14 March 2026
    assert "3月14日土曜日" in page
    assert "Saturday" not in page


# --- machine outputs stay language-neutral ------------------------------------------------------


def test_exports_are_the_same_in_every_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run_cli(capsys, "sleep", "--night", "2026-03-14", "--into-bed", "23:10",
                   "--tried", "23:30", "--sol", "20", "--awakenings", "2", "--waso", "35",
                   "--final", "06:50", "--out", "07:05", "--quality", "good").code == 0  # fmt: skip
    assert run_cli(capsys, "symptoms", "--day", "2026-03-14", "--knee", "3").code == 0
    outputs = {}
    for lang in ("en", "ja"):
        target = tmp_path / f"export-{lang}.json"
        assert run_cli(capsys, "--lang", lang, "export", "-o", str(target)).code == 0
        data = json.loads(target.read_text())
        data.pop("exported_at", None)
        csv_target = tmp_path / f"export-{lang}.zip"
        run_cli(capsys, "--lang", lang, "export", "--format", "csv", "-o", str(csv_target))
        night = ("sleep", "--night", "2026-03-14", "--show", "--json")
        day = ("symptoms", "--day", "2026-03-14", "--show", "--json")
        outputs[lang] = (
            data,
            run_cli(capsys, "--lang", lang, *night).out,
            run_cli(capsys, "--lang", lang, "history", "--json").out,
            run_cli(capsys, "--lang", lang, *day).out,
            run_cli(capsys, "--lang", lang, "today", "--json").out,
            run_cli(capsys, "--lang", lang, "stats", "--json").out,
        )
    assert outputs["en"] == outputs["ja"]
    assert outputs["en"][1].strip()


def test_api_values_and_calendar_times_are_language_neutral(engine: Engine, tmp_path: Path) -> None:
    c, _r = client(engine, tmp_path)
    routines = {
        lang: c.get("/api/routines", headers={"accept-language": lang}).json()["routines"]
        for lang in ("en", "ja")
    }
    for en, ja in zip(routines["en"], routines["ja"], strict=True):
        assert (en["id"], en["origin"]) == (ja["id"], ja["origin"])
        assert re.fullmatch(r"\d+:\d\d", ja["total"])  # a clock value, never 11分15秒
    calendars = {
        lang: c.get("/calendar.ics", headers={"accept-language": lang}).text
        for lang in ("en", "ja")
    }
    text_fields = ("SUMMARY", "DESCRIPTION", "LOCATION", "NAME", "CATEGORIES", "X-WR-CAL")

    # the event lasts as long as the routine does when spoken in that language, and an event
    # whose words changed gets a new SEQUENCE so calendars update it
    lengths = ("DTSTAMP", "DURATION", "DTEND", "SEQUENCE")

    def values(ics: str) -> list[str]:
        unfolded = ics.replace("\r\n ", "")
        return [
            line
            for line in unfolded.splitlines()
            if not line.startswith(text_fields) and not line.startswith(lengths)
        ]

    assert values(calendars["en"]) == values(calendars["ja"])
    assert calendars["en"] != calendars["ja"]  # the words do change


def test_japanese_help_fits_the_terminal_and_keeps_punctuation_on_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from anklesleep.basics.textwidth import NO_LINE_START
    from anklesleep.cli.wrapping import display_width

    out = run_cli(capsys, "--lang", "ja", "show", "--help").out
    lines = out.splitlines()
    assert max(display_width(line) for line in lines) <= 100
    assert not [line for line in lines if line.strip() and line.strip()[0] in NO_LINE_START]
    english = run_cli(capsys, "show", "--help").out  # English wraps as click always did
    assert "Show ROUTINE step by step for both feet" in english


def test_help_follows_each_run_in_one_process(capsys: pytest.CaptureFixture[str]) -> None:
    for lang, words in (("en", "Show this message and exit."), ("ja", "使い方"), ("en", "Usage:")):
        for command in ((), ("show",)):
            out = run_cli(capsys, "--lang", lang, *command, "--help").out
            assert words in out, (lang, command)
            assert ("Show this message and exit." in out) == (lang == "en")


def _kana(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in text)


def test_api_errors_come_in_the_browsers_language(engine: Engine, tmp_path: Path) -> None:
    """An error raised in the core (a diary value off its scale, an unknown option value) is
    worded in the language of the request that caused it."""
    c, _r = client(engine, tmp_path)
    night = {
        "into_bed": "23:00",
        "tried_to_sleep": "23:15",
        "final_awakening": "06:45",
        "out_of_bed": "07:00",
        "quality": 4,
        "sol_minutes": 20,
        "awakenings": 1,
        "waso_minutes": 5,
        "note": "\x00",
    }
    for path, send in (
        ("/api/sleep/2026-03-14", lambda h: c.put("/api/sleep/2026-03-14", json=night, headers=h)),
        (
            "/api/timeline?intro=sideways",
            lambda h: c.get("/api/timeline?intro=sideways", headers=h),
        ),
    ):
        answers = {lang: send({**csrf(c), "accept-language": lang}) for lang in ("en", "ja")}
        for lang, answer in answers.items():
            assert answer.status_code == 400, (path, lang, answer.text)
        assert not _kana(answers["en"].json()["error"]), path
        assert _kana(answers["ja"].json()["error"]), (path, answers["ja"].json())
