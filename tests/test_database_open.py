"""Opening the database: Alembic is loaded only when the schema has to change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from anklesleep.store import database

_OPEN_AND_LIST = """
import sys
from anklesleep.store import database
engine = database.open_database(sys.argv[1])
print(database.current_revision(engine))
print("alembic" in sys.modules)
"""


def test_the_head_constant_is_the_newest_migration_script() -> None:
    assert database.scripts_head() == database.HEAD_REVISION == database.head_revision()


def test_alembic_is_imported_for_a_new_database_and_not_for_an_up_to_date_one(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "a.sqlite3")

    def open_in_a_new_process() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _OPEN_AND_LIST, path],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.split()

    assert open_in_a_new_process() == [database.HEAD_REVISION, "True"]  # migrated
    assert open_in_a_new_process() == [database.HEAD_REVISION, "False"]


def test_a_new_database_has_no_revision(tmp_path: Path) -> None:
    engine = database.create(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert database.current_revision(engine) is None
        database.migrate(engine)
        assert database.current_revision(engine) == database.HEAD_REVISION
    finally:
        engine.dispose()
