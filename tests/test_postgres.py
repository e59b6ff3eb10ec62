"""The same code on PostgreSQL: the CLI through ANKLESLEEP_DATABASE_URL, and the small stores
(settings, slots) on both back ends through the `engine` fixture."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Engine

from anklesleep.cli import localtime as local
from anklesleep.schedule.slots import SlotSettings
from anklesleep.store import settings, slots
from tests.cli_helpers import run_cli
from tests.conftest import fresh_postgres_schema, require_postgres

NOW = dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)


def test_settings_upsert_json_and_slots(engine: Engine) -> None:
    value = {"nested": [1, 2.5, True, None, "ü"], "n": 3}
    with engine.begin() as conn:
        settings.put(conn, "custom", value, NOW)
        settings.put(conn, "custom", {**value, "n": 4}, NOW)
        slots.save(conn, SlotSettings(timezone="Asia/Tokyo"), NOW)
    with engine.connect() as conn:
        assert settings.get(conn, "custom") == {**value, "n": 4}
        assert slots.load(conn) == SlotSettings(timezone="Asia/Tokyo")
        assert settings.get_all(conn)["custom"]["n"] == 4


@pytest.mark.postgres
def test_the_cli_runs_on_postgresql(
    postgres_server: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Any,
) -> None:
    server = require_postgres(postgres_server)
    monkeypatch.setenv("TZ", "UTC")  # the user's zone, whatever this machine's
    monkeypatch.setattr(local, "utc_now", lambda: NOW)  # 14 March 2026 in UTC
    with fresh_postgres_schema(server) as url:
        monkeypatch.setenv("ANKLESLEEP_DATABASE_URL", url)
        saved = run_cli(
            capsys, "sleep", "--into-bed", "23:50", "--tried", "00:10", "--sol", "25",
            "--awakenings", "0", "--waso", "0", "--final", "06:30", "--out", "06:45",
            "--quality", "fair", "--json",
        )  # fmt: skip
        assert saved.code == 0, saved.err
        assert json.loads(saved.out)["metrics"]["tst_minutes"] == 355
        assert run_cli(capsys, "symptoms", "--fatigue", "6").code == 0
        exported = run_cli(capsys, "export", "-o", str(tmp_path / "pg.json"))
        assert exported.code == 0, exported.err
        again = run_cli(capsys, "import", str(tmp_path / "pg.json"))
        assert "Imported nothing." in again.out
        refused = run_cli(capsys, "backup", "-o", str(tmp_path / "x.sqlite3"))
        assert refused.code == 2 and "use `anklesleep export` (or pg_dump)" in refused.err
    # the PostgreSQL export imports into SQLite unchanged
    monkeypatch.delenv("ANKLESLEEP_DATABASE_URL")
    lite = str(tmp_path / "lite.sqlite3")
    assert run_cli(capsys, "--db", lite, "import", str(tmp_path / "pg.json")).code == 0
    doc = json.loads(run_cli(capsys, "--db", lite, "export", "-o", "-").out)
    original = json.loads((tmp_path / "pg.json").read_text())
    assert doc["tables"] == original["tables"]
