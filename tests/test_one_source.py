"""Facts declared once in the core (option ranges, symptom keys, slot names) reach every place
that shows them: the command-line help, the settings form, the API document and the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from sqlalchemy import Engine

from anklesleep.cli.common import timeline_options
from anklesleep.diary.entries import SYMPTOM_KEYS
from anklesleep.routine.options import RANGES, range_text
from anklesleep.schedule.slots import SLOTS
from tests.web_helpers import client

README = Path(__file__).resolve().parents[1] / "README.md"


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


@pytest.mark.parametrize("name", sorted(RANGES))
def test_command_line_help_gives_the_cores_range(name: str) -> None:
    command = click.command()(timeline_options(lambda **_: None))
    params = {p.name: p for p in command.params if isinstance(p, click.Option)}
    assert f"({range_text(name)}" in (params[name].help or "")


@pytest.mark.parametrize("name", sorted(RANGES))
def test_readme_table_gives_the_cores_range(name: str) -> None:
    rows = [
        line for line in README.read_text().splitlines() if line.startswith(f"| `{_flag(name)} ")
    ]
    assert len(rows) == 1, name
    assert f"({range_text(name)})" in rows[0]


def test_settings_form_limits_are_the_cores(engine: Engine, tmp_path: Path) -> None:
    c, _ = client(engine, tmp_path)
    page = c.get("/settings").text
    for name, (low, high) in RANGES.items():
        found = re.search(rf'<input [^>]*id="{name}"[^>]*>', page)
        assert found, name
        assert f'min="{low:g}"' in found.group(0) and f'max="{high:g}"' in found.group(0), name


def test_api_document_takes_ranges_symptoms_and_slots_from_the_core(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    doc = c.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name, (low, high) in RANGES.items():
        number = next(
            s for s in schemas["OptionsIn"]["properties"][name]["anyOf"] if "minimum" in s
        )
        assert (number["minimum"], number["maximum"]) == (low, high), name
        query = {p["name"]: p["schema"] for p in doc["paths"]["/api/timeline"]["get"]["parameters"]}
        assert (query[name]["minimum"], query[name]["maximum"]) == (low, high), name
    assert tuple(schemas["SymptomsIn"]["properties"]) == (
        *SYMPTOM_KEYS,
        *(f"{key}_note" for key in SYMPTOM_KEYS),
    )
    slot = schemas["SessionStart"]["properties"]["slot"]["anyOf"][0]
    assert tuple(slot["enum"]) == SLOTS
    put = doc["paths"]["/api/sleep/{night}"]["put"]["responses"]
    assert {"200", "201"} <= set(put)  # replacing, and saving the first time


def test_diary_forms_and_the_api_take_their_limits_from_the_core(
    engine: Engine, tmp_path: Path
) -> None:
    from anklesleep.diary.entries import AWAKENINGS_MAX, MINUTES_MAX, SCORE_MAX, SCORE_MIN

    c, _ = client(engine, tmp_path)
    sleep_page = c.get("/sleep").text
    for name, top in (
        ("sol_minutes", MINUTES_MAX),
        ("awakenings", AWAKENINGS_MAX),
        ("waso_minutes", MINUTES_MAX),
    ):
        found = re.search(rf'<input [^>]*id="{name}"[^>]*>', sleep_page)
        assert found and f'max="{top}"' in found.group(0), name
    symptoms_page = c.get("/symptoms").text
    for key in SYMPTOM_KEYS:
        values = re.findall(rf'name="{key}" value="(\d+)"', symptoms_page)
        assert [int(v) for v in values] == list(range(SCORE_MIN, SCORE_MAX + 1)), key
    schemas = c.get("/openapi.json").json()["components"]["schemas"]
    night = schemas["NightIn"]["properties"] if "NightIn" in schemas else None
    for key in SYMPTOM_KEYS:
        score = next(s for s in schemas["SymptomsIn"]["properties"][key]["anyOf"] if "maximum" in s)
        assert (score["minimum"], score["maximum"]) == (SCORE_MIN, SCORE_MAX), key
    assert night is not None, sorted(schemas)
    sol = night["sol_minutes"]
    sol_number = next(s for s in sol.get("anyOf", [sol]) if "maximum" in s)
    assert sol_number["maximum"] == MINUTES_MAX
