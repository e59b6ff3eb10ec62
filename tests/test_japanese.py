"""The app in Japanese: a complete catalog, and no English left on the pages, in the command
help or on the printable sheet.

These tests fail while the Japanese catalog has gaps, naming each message still in English.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from anklesleep.basics.i18n import reset_language, set_language, translator
from anklesleep.store import create, migrate
from tests.japanese_helpers import (
    ROOT,
    english_left,
    english_left_on_page,
    help_prose,
    ja_messages,
    json_texts,
    placeholders,
)
from tests.test_sheet import ARTIFACTS, CHROMIUM, pdf_pages
from tests.web_helpers import MORNING, Clock, client

NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

#: Every page a person can reach, with a week of data so the tables and charts are filled.
PAGES = (
    "/",
    "/sleep",
    "/sleep?night=2026-03-12",
    "/symptoms",
    "/history",
    "/insights",
    "/settings",
    "/about",
    "/safety",
    "/play/quick",
    "/play/full",
    "/no-such-page",
)


# (a) the catalog ------------------------------------------------------------------------------


def test_every_japanese_message_is_filled_in_and_not_fuzzy() -> None:
    empty = [m.id for m in ja_messages() if not m.string.strip()]
    fuzzy = [m.id for m in ja_messages() if m.fuzzy]
    assert not empty, f"{len(empty)} messages have no Japanese yet, e.g. {empty[:15]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy messages, e.g. {fuzzy[:15]}"


def test_every_japanese_message_keeps_its_placeholders() -> None:
    broken = [
        (m.id, m.string)
        for m in ja_messages()
        if m.string and placeholders(m.string) != placeholders(m.plural or m.id)
    ]
    assert not broken, broken[:15]


def test_the_compiled_catalog_speaks_japanese() -> None:
    t = translator("ja")
    filled = [m for m in ja_messages() if m.string and m.plural is None]
    assert filled, "the Japanese catalog is empty"
    assert all(t(m.id) == m.string for m in filled[:50])


def test_the_scanner_finds_english_and_leaves_japanese_alone() -> None:
    # a message with placeholders is found with any value in them; names stay allowed
    assert "Today" in english_left("Today · 3 of 3")
    assert english_left("今日 · Sleep as Android · anklesleep") == []


# (b) the web pages ----------------------------------------------------------------------------


@pytest.fixture
def in_japanese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ANKLESLEEP_LANG", "ja")  # commands run in a child process
    token = set_language("ja")  # this process's work (the report, the charts)
    yield
    reset_language(token)


def _seeded_client(tmp_path: Path) -> object:
    from tests.test_browser_app import _seed

    engine = create(f"sqlite:///{tmp_path / 'ja.sqlite3'}")
    migrate(engine)
    clock = Clock(MORNING.replace(hour=21, minute=30))
    test_client, _renderer = client(engine, tmp_path, clock=clock)
    test_client.headers["accept-language"] = "ja"  # a Japanese browser
    _seed(SimpleNamespace(engine=engine, clock=clock))  # type: ignore[arg-type]
    return test_client


def test_every_page_is_japanese(in_japanese: None, tmp_path: Path) -> None:
    test_client = _seeded_client(tmp_path)
    left: dict[str, list[str]] = {}
    for path in PAGES:
        response = test_client.get(path)  # type: ignore[attr-defined]
        assert response.status_code in (200, 404), path
        assert '<html lang="ja"' in response.text, path
        found = english_left_on_page(response.text)
        if found:
            left[path] = found
    assert not left, "English left on the pages:\n" + "\n".join(
        f"{path}: {found}" for path, found in left.items()
    )


#: What the pages' scripts fetch and show: the routines, the player's timeline, today.
API = ("/api/routines", "/api/timeline?routine=quick", "/api/timeline?routine=full", "/api/today")


def test_what_the_player_fetches_is_japanese(in_japanese: None, tmp_path: Path) -> None:
    test_client = _seeded_client(tmp_path)
    left: dict[str, list[str]] = {}
    for path in API:
        response = test_client.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, path
        found = sorted({m for text in json_texts(response.json()) for m in english_left(text)})
        if found:
            left[path] = found
    assert not left, "English left in what the pages fetch:\n" + "\n".join(
        f"{path}: {found}" for path, found in left.items()
    )


# (c) the command help -------------------------------------------------------------------------

#: Prints `--help` of the command, of every command and of every subcommand, in order.
HELP_SCRIPT = """
import click
from anklesleep.cli import COMMANDS, cli, main

def helps(command, path):
    yield path
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            yield from helps(command.get_command(ctx, name), [*path, name])

for path in helps(cli, []):
    print("=== " + " ".join(path), flush=True)
    try:
        main([*path, "--help"])
    except SystemExit:
        pass
"""


def test_every_command_help_is_japanese() -> None:
    env = {**os.environ, "ANKLESLEEP_LANG": "ja", "COLUMNS": "100"}
    result = subprocess.run(
        [sys.executable, "-c", HELP_SCRIPT],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    sections = result.stdout.split("=== ")[1:]
    assert len(sections) > 20  # every command, and the subcommands of the groups
    left: dict[str, list[str]] = {}
    for section in sections:
        name, _, text = section.partition("\n")
        found = english_left(help_prose(text), phrases_only=True)
        if found:
            left[f"anklesleep {name} --help".replace("  ", " ")] = found
    assert not left, "English left in the help:\n" + "\n".join(
        f"{command}: {found}" for command, found in left.items()
    )


# the printable sheet and the calendar file ----------------------------------------------------


def _sheet(routine_id: str = "full") -> str:
    from anklesleep.printouts import sheet
    from anklesleep.routine import catalog as routines
    from anklesleep.routine.options import validate
    from anklesleep.routine.timeline import estimate_speech_seconds, expand

    t = translator("ja")
    routine = routines.builtin(routine_id)
    timeline = expand(routine, validate(tempo=1.0), estimate_speech_seconds, t)
    return sheet.sheet_html(routine, timeline, t)


@pytest.mark.parametrize("routine_id", ["full", "quick"])
def test_the_sheet_is_japanese(routine_id: str) -> None:
    page = _sheet(routine_id)
    assert '<html lang="ja"' in page
    assert english_left_on_page(page) == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="needs Chromium at /usr/bin/chromium")
@pytest.mark.parametrize("routine_id", ["full", "quick"])
def test_the_japanese_sheet_prints_on_one_a4_page(routine_id: str, tmp_path: Path) -> None:
    from anklesleep.printouts import sheet

    out = tmp_path / f"{routine_id}-ja.pdf"
    sheet.ChromiumPrinter(CHROMIUM).print_pdf(_sheet(routine_id), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == 1
    assert b"NotoSansCJK" in data or not _has_noto_cjk()  # Japanese glyphs, not boxes
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(out, ARTIFACTS / f"sheet-{routine_id}-ja.pdf")


def _has_noto_cjk() -> bool:
    return Path(NOTO_CJK).is_file()


# the report, its charts and the calendar file -------------------------------------------------


def test_the_report_and_its_charts_are_japanese(in_japanese: None) -> None:
    from anklesleep.experiment import analysis as trial
    from anklesleep.experiment import design as experiment
    from anklesleep.experiment.analysis import ExperimentReport
    from anklesleep.insights import progress as insights
    from anklesleep.printouts import charts, report
    from anklesleep.testing import synthetic
    from tests.test_report import NOW, TODAY

    assert any("CJK" in name for name in charts.font_families()) or not Path(NOTO_CJK).is_file()
    t = translator("ja")
    h = synthetic.history(TODAY - dt.timedelta(days=70), 70, seed=9, practice_rate=0.6)
    o = insights.overview(h.sessions, h.nights, h.symptoms, today=TODAY, t=t, days=60)
    start = TODAY - dt.timedelta(days=40)
    e = experiment.new_experiment(
        experiment.design(seed=2, block_days=4), start, today=start, uuid="r", created_at=NOW
    )
    values = trial.outcome_values(o.nights, e.outcome)
    followed = experiment.adherence(e, trial.sessions_per_day(h.sessions), set(values), TODAY)
    x = ExperimentReport(e, followed, trial.analyse(e, values, TODAY, followed, t=t))
    with warnings.catch_warnings():
        # a missing glyph is a warning ("Glyph ... missing from font(s)"): fail on it
        warnings.simplefilter("error")
        drawn = report.draw_charts(o, x)
        pngs = [chart.png(dpi=50) for chart in drawn.all()]
    assert all(png.startswith(b"\x89PNG") for png in pngs)
    page = report.render(o, x, charts=drawn, generated_at=NOW)
    assert '<html lang="ja"' in page
    left = english_left_on_page(page)
    assert left == [], left


@pytest.mark.slow
def test_the_calendar_file_is_japanese_and_valid() -> None:
    import icalendar
    import recurring_ical_events

    from anklesleep.schedule.calendar_file import calendar_bytes
    from anklesleep.schedule.slots import SlotSettings

    data = calendar_bytes(SlotSettings(timezone="Asia/Tokyo"), now=MORNING, t=translator("ja"))
    lines = data.split(b"\r\n")
    # folded at 75 octets, never inside a character: every line is whole UTF-8
    assert all(len(line) <= 75 for line in lines)
    assert all(line.decode("utf-8") is not None for line in lines)
    calendar = icalendar.Calendar.from_ical(data)
    events = recurring_ical_events.of(calendar).between(
        dt.datetime(2026, 3, 20, tzinfo=dt.UTC), dt.datetime(2026, 3, 21, tzinfo=dt.UTC)
    )
    assert len(events) == 3
    for event in events:
        summary, text = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert summary != summary.encode("ascii", "ignore").decode(), summary
        assert english_left(summary) == [] and english_left(text) == [], text
    # a second, independent reader unfolds the same Japanese text
    import vobject

    read = vobject.readOne(data.decode("utf-8"))
    assert sorted(e.summary.value for e in read.vevent_list) == sorted(
        str(e["SUMMARY"]) for e in events
    )
    assert {e.description.value for e in read.vevent_list} == {
        str(e["DESCRIPTION"]) for e in events
    }


@pytest.mark.parametrize("routine_id", ["full", "quick"])
def test_the_japanese_step_table_is_as_wide_as_the_english_one(routine_id: str) -> None:
    from anklesleep.basics.textwidth import width

    def table(language: str) -> list[str]:
        env = {**os.environ, "ANKLESLEEP_LANG": language, "COLUMNS": "100"}
        result = subprocess.run(
            [sys.executable, "-m", "anklesleep", "show", routine_id],
            capture_output=True, text=True, env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        return result.stdout.split("\n\n", 1)[1].splitlines()

    ja, en = table("ja"), table("en")
    assert len(ja) > 5
    # kanji take two cells: the columns are measured in cells, so the table is no wider
    assert max(width(line) for line in ja) <= max(width(line) for line in en), ja
    # and the times line up under the time column's head
    ends = {width(line) for line in ja if re.match(r"\s*\d+\s.*(?:\d:\d\d|\d秒)$", line)}
    assert len(ends) == 1, ja
