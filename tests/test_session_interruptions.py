"""A web session notes each time its sound stopped without being asked to (a media error, a
stall, the phone pausing it): reported with the progress, kept on the record in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.practice import records
from tests.session_helpers import stored_session
from tests.web_helpers import client, csrf

NOW = dt.datetime(2026, 3, 14, 21, 30, tzinfo=dt.UTC)


def _start(c: Any) -> str:
    response = c.post(
        "/api/sessions", json={"routine": "quick", "planned_seconds": 75.5}, headers=csrf(c)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["uuid"])


def test_interruptions_are_kept_on_the_record_across_reports(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    uuid = _start(c)
    first = c.post(
        f"/api/sessions/{uuid}/checkpoint",
        json={"played": [[0, 12.5]], "interruptions": [{"at": 12.5, "kind": "stalled"}]},
        headers=csrf(c),
    )
    assert first.status_code == 200, first.text
    assert first.json()["options"]["interruptions"] == [{"at": 12.5, "kind": "stalled"}]
    done = c.post(
        f"/api/sessions/{uuid}/finish",
        json={
            "completed": False,
            "played": [[12.5, 30]],
            "interruptions": [{"at": 30, "kind": "error"}, {"at": 31.25, "kind": "interrupted"}],
        },
        headers=csrf(c),
    )
    assert done.status_code == 200, done.text
    stored = stored_session(engine, uuid)
    assert stored is not None
    assert stored.options["interruptions"] == [
        {"at": 12.5, "kind": "stalled"},
        {"at": 30.0, "kind": "error"},
        {"at": 31.25, "kind": "interrupted"},
    ]
    assert stored.completed_seconds == 30  # an interruption takes no credit away


def test_a_report_without_interruptions_leaves_the_record_without_them(
    engine: Engine, tmp_path: Path
) -> None:
    c, _ = client(engine, tmp_path)
    uuid = _start(c)
    c.post(f"/api/sessions/{uuid}/checkpoint", json={"played": [[0, 5]]}, headers=csrf(c))
    stored = stored_session(engine, uuid)
    assert stored is not None
    assert "interruptions" not in stored.options


@pytest.mark.parametrize(
    "value",
    [
        "stalled",
        [{"at": 3}],
        [{"at": "3", "kind": "error"}],
        [{"at": True, "kind": "error"}],
        [{"at": 3, "kind": "error", "why": "x"}],
        [{"at": 3, "kind": "gremlins"}],
        [{"at": 900, "kind": "error"}],
        [{"at": -1, "kind": "error"}],
    ],
)
def test_a_bad_interruption_is_refused_and_names_the_field(
    engine: Engine, tmp_path: Path, value: Any
) -> None:
    c, _ = client(engine, tmp_path)
    uuid = _start(c)
    response = c.post(
        f"/api/sessions/{uuid}/checkpoint", json={"interruptions": value}, headers=csrf(c)
    )
    assert response.status_code == 400, response.text
    assert response.json()["field"] == "interruptions"
    stored = stored_session(engine, uuid)
    assert stored is not None and "interruptions" not in stored.options


def test_a_record_keeps_at_most_so_many_interruptions() -> None:
    record = records.new_record(routine="quick", local_start=NOW, planned_seconds=60, source="web")
    many = tuple((float(i % 60), "stalled") for i in range(records.MAX_INTERRUPTIONS + 7))
    after = records.progressed(record, records.Progress(interruptions=many), now=NOW)
    kept = after.options["interruptions"]
    assert len(kept) == records.MAX_INTERRUPTIONS
    assert kept[0] == {"at": 0.0, "kind": "stalled"}
    with pytest.raises(AnkleSleepError, match="interruptions"):
        records.progressed(record, records.Progress(interruptions=((1.0, "bored"),)), now=NOW)
