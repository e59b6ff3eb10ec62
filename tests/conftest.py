"""Shared fixtures: an isolated home folder for every test and fresh databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and cache folders; no test touches the real ones."""
    home = tmp_path / "home"
    monkeypatch.setenv("ANKLESLEEP_HOME", str(home))
    monkeypatch.delenv("ANKLESLEEP_DATABASE_URL", raising=False)
    monkeypatch.delenv("ANKLESLEEP_LANG", raising=False)
    return home


@pytest.fixture
def engine() -> Iterator[Engine]:
    """A fresh, migrated in-memory SQLite database."""
    from anklesleep.store import create, migrate

    eng = create("sqlite://")
    migrate(eng)
    yield eng
    eng.dispose()
