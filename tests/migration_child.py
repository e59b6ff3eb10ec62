"""Run in a subprocess by the kill test: open (create or migrate) a database, then say done.

`python -m tests.migration_child PATH [extra]`: with `extra`, the test-only migration in
`tests/extra_migration` is the newest revision.
"""

from __future__ import annotations

import sys
from pathlib import Path

from anklesleep.store import database

EXTRA = Path(__file__).parent / "extra_migration"
EXTRA_HEAD = "0099_probe"


def use_extra_migration() -> None:
    """Make the test-only migration the head, as a newer release's would be."""
    plain = database._alembic_config

    def config():  # type: ignore[no-untyped-def]
        cfg = plain()
        cfg.set_main_option("version_path_separator", "os")
        cfg.set_main_option("version_locations", f"{database.MIGRATIONS / 'versions'}:{EXTRA}")
        return cfg

    database._alembic_config = config  # type: ignore[assignment]
    database.HEAD_REVISION = EXTRA_HEAD


def main() -> None:
    path = Path(sys.argv[1])
    if "extra" in sys.argv[2:]:
        use_extra_migration()
    import alembic.command  # noqa: F401  (loaded before "ready", so kills land in the work)

    print("ready", flush=True)
    engine = database.open_database(path)
    engine.dispose()
    print("done", flush=True)


if __name__ == "__main__":
    main()
