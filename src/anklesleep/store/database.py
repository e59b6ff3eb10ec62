"""Opening the database: which one, migrating it to the current schema, backing it up first.

The URL comes from `--db PATH`, else `$ANKLESLEEP_DATABASE_URL` (any SQLAlchemy URL, for
example `postgresql+psycopg://user@localhost/anklesleep`), else a SQLite file in the user data
folder. Before an existing SQLite file is migrated, a timestamped copy is made beside it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool

from anklesleep.basics import files
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.basics.paths import data_dir
from anklesleep.store.backup import copy_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

ENV_URL = "ANKLESLEEP_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
DB_NAME = "anklesleep.sqlite3"
#: the newest migration's revision id. Checked against the migration scripts by a test, so that
#: opening an up-to-date database never has to import Alembic (a third of a command's start-up).
HEAD_REVISION = "0004_tracker_nights"


def database_url(db_path: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL to use (see the module docstring for the order)."""
    if db_path is not None:
        return f"sqlite:///{Path(db_path).expanduser().absolute()}"
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return f"sqlite:///{data_dir() / DB_NAME}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # WAL keeps every committed checkpoint when the process is killed, and lets the web app
    # read while a session writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create(url: str) -> Engine:
    """An engine for `url`, with SQLite tuned for safety. No migrations."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AnkleSleepError(
            _(
                "{env_url}: got {url!r}; expected a SQLAlchemy URL such as "
                "sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user@host/db"
            ).format(env_url=ENV_URL, url=url),
            field="database_url",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        kwargs: dict[str, Any] = {}
        if database in ("", ":memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        else:
            folder = Path(database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
                files.create_empty(Path(database), files.PRIVATE)  # the diary: owner only
            except OSError as exc:
                raise AnkleSleepError(
                    _(
                        "database: cannot create folder {folder!r} ({strerror}); pass --db "
                        "with a writable path"
                    ).format(folder=str(folder), strerror=exc.strerror),
                    field="db",
                ) from None
            kwargs = {"connect_args": {"check_same_thread": False}}
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise AnkleSleepError(
            _(
                "{env_url}: the driver for {drivername!r} is not installed ({name}); "
                "install anklesleep[postgres]"
            ).format(env_url=ENV_URL, drivername=parsed.drivername, name=exc.name),
            field="database_url",
        ) from None


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The revision this release's schema is at."""
    return HEAD_REVISION


def scripts_head() -> str | None:
    """The head revision according to the migration scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the database (None for a new one), read without Alembic."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def backup_sqlite(path: Path, now: dt.datetime) -> Path:
    """Copy a SQLite file consistently (the online backup API) to `<name>.<stamp>.bak`."""
    target = path.with_name(f"{path.name}.{now:%Y%m%d-%H%M%S}.bak")
    with files.replacing(target, files.PRIVATE, field="db") as temp:
        copy_sqlite(path, temp)
    return target


def migrate(engine: Engine, now: Callable[[], dt.datetime] | None = None) -> Path | None:
    """Bring the schema to the newest revision; back up an existing SQLite file first.

    Returns the backup's path when one was made.
    """
    head = head_revision()
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise AnkleSleepError(
            _("database: cannot open {url!r} ({orig}); check the path or URL").format(
                url=engine.url.render_as_string(hide_password=True), orig=exc.orig
            ),
            field="db",
        ) from None
    if current == head:
        return None
    backup = None
    database = engine.url.database or ""
    if engine.url.get_backend_name() == "sqlite" and current is not None and database:
        path = Path(database)
        if path.exists():
            stamp = (now or (lambda: dt.datetime.now(dt.UTC)))()
            backup = backup_sqlite(path, stamp)
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return backup


def open_database(db_path: str | os.PathLike[str] | None = None, url: str | None = None) -> Engine:
    """The engine for the user's database, migrated to the current schema."""
    engine = create(url or database_url(db_path))
    migrate(engine)
    return engine
