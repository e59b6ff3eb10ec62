"""Opening the database: which one, migrating it to the current schema, backing it up first.

The URL comes from `--db PATH`, else `$ANKLESLEEP_DATABASE_URL` (any SQLAlchemy URL, for
example `postgresql+psycopg://user@localhost/anklesleep`), else a SQLite file in the user data
folder. Before an existing SQLite file is migrated, a timestamped copy is made beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool

from anklesleep.basics import files
from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.store.backup import copy_sqlite
from anklesleep.store.location import DB_NAME as DB_NAME
from anklesleep.store.location import ENV_URL as ENV_URL
from anklesleep.store.location import HEAD_REVISION as HEAD_REVISION
from anklesleep.store.location import database_url as database_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
#: the PostgreSQL advisory lock that orders concurrent migrations (any fixed number)
PG_LOCK_ID = 7_305_202_611
LOG = logging.getLogger("anklesleep.store")


class SerialStaticPool(StaticPool):
    """The one connection of an in-memory SQLite database, lent to one thread at a time.

    An in-memory database lives in a single connection, so every user shares it. Two threads
    using it at once would interleave their transactions ("cannot start a transaction within a
    transaction"); here a thread waits until the other has given the connection back. The
    thread holding it may ask again without waiting for itself.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = threading.Condition()
        self._holder: int | None = None

    def _do_get(self) -> Any:
        me = threading.get_ident()
        with self._turn:
            self._turn.wait_for(lambda: self._holder in (None, me))
            self._holder = me
        try:
            return super()._do_get()
        except BaseException:
            self._give_back()
            raise

    def _do_return_conn(self, record: Any) -> None:
        super()._do_return_conn(record)
        self._give_back()

    def _give_back(self) -> None:
        with self._turn:
            self._holder = None
            self._turn.notify_all()


class DamagedJSON(str):
    """A stored JSON value that is not JSON (a hand edit, damaged bytes): kept as its text, so
    reads can fall back to a default and `anklesleep doctor` can name and remove it."""


def read_stored_json(text: str) -> Any:
    """A JSON column's value, or `DamagedJSON` when the stored text is not JSON."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return DamagedJSON(text[:200])


def _text_of(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling commits before DDL; with it off, the `begin` event
    # below starts every transaction, so a migration's DDL and its version row commit together
    # (SQLAlchemy's documented recipe for pysqlite).
    dbapi_connection.isolation_level = None
    # Text whose bytes were damaged on disk (which the quick check cannot see) reads with
    # U+FFFD in place of the bad bytes instead of failing every command that shows it.
    dbapi_connection.text_factory = _text_of
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # WAL keeps every committed checkpoint when the process is killed, and lets the web app
    # read while a session writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL syncs the log at every commit: a diary entry that was confirmed survives a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A read-modify-write (`for_update`) takes SQLite's write lock at BEGIN, so two writers
    # of the same row wait for each other instead of one overwriting the other's change.
    immediate = conn.get_execution_options().get(FOR_UPDATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


#: the execution option that asks for a transaction that will read, then write, the same rows
FOR_UPDATE = "anklesleep_for_update"


@contextlib.contextmanager
def for_update(engine: Engine) -> Iterator[Connection]:
    """A transaction for read-then-write: on SQLite it holds the write lock from the start
    (`BEGIN IMMEDIATE`); on PostgreSQL the caller's `SELECT ... FOR UPDATE` locks the rows."""
    with engine.connect().execution_options(**{FOR_UPDATE: True}) as conn, conn.begin():
        yield conn


def _sqlite_file_error(path: Path, exc: OSError) -> AnkleSleepError:
    return AnkleSleepError(
        _("database: cannot use {path!r} ({strerror}); pass --db with a writable path").format(
            path=str(path), strerror=exc.strerror
        ),
        field="db",
    )


def create(url: str) -> Engine:
    """An engine for `url`, with SQLite tuned for safety. No migrations.

    Statement parameters (which hold diary text) never appear in error messages or logs.
    """
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
            kwargs = {"poolclass": SerialStaticPool, "connect_args": {"check_same_thread": False}}
        else:
            path = Path(database)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                files.create_empty(path, files.PRIVATE)  # the diary: owner only
                _owner_only(path)
            except OSError as exc:
                raise _sqlite_file_error(path, exc) from None
            kwargs = {"connect_args": {"check_same_thread": False}}
        engine = create_engine(
            url, hide_parameters=True, json_deserializer=read_stored_json, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    except ModuleNotFoundError as exc:
        raise AnkleSleepError(
            _(
                "{env_url}: the driver for {drivername!r} is not installed ({name}); "
                "install anklesleep[postgres]"
            ).format(env_url=ENV_URL, drivername=parsed.drivername, name=exc.name),
            field="database_url",
        ) from None


def _owner_only(path: Path) -> None:
    """Make a database (and its log files) readable by its owner only, as it is when new."""
    for item in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            info = item.stat() if item.exists() else None
            if info is not None and info.st_mode & 0o077 and info.st_uid == os.getuid():
                item.chmod(0o600)
        except (OSError, AttributeError):  # (no getuid on Windows)
            pass  # not ours to change (a shared file); SQLite still works


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
        return _revision_in(conn)


def _revision_in(conn: Connection) -> str | None:
    if not conn.dialect.has_table(conn, "alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def backup_sqlite(path: Path, now: dt.datetime) -> Path:
    """Copy a SQLite file consistently (the online backup API) to `<name>.<stamp>.bak`."""
    target = path.with_name(f"{path.name}.{now:%Y%m%d-%H%M%S}.bak")
    with files.replacing(target, files.PRIVATE, field="db") as temp:
        copy_sqlite(path, temp)
    return target


def _newer_release(current: str) -> AnkleSleepError:
    return AnkleSleepError(
        _(
            "database: it was last used by a newer release of anklesleep (schema {revision}); "
            "upgrade anklesleep, or pass --db with another file"
        ).format(revision=current),
        field="db",
    )


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Held while the schema is checked, backed up and upgraded, so concurrent starts wait.

    SQLite: an OS lock on `<database>.lock` beside the file (where the platform has one).
    Other databases take a lock inside the migration's own transaction (see `migrate`).
    """
    database = engine.url.database or ""
    if engine.url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: SQLite's own write lock (BEGIN) still orders the writers
        yield
        return
    path = Path(database).with_name(Path(database).name + ".lock")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, files.PRIVATE)
    except OSError as exc:
        raise _sqlite_file_error(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def migrate(engine: Engine, now: Callable[[], dt.datetime] | None = None) -> Path | None:
    """Bring the schema to the newest revision; back up an existing SQLite file first.

    The schema check, the backup and the upgrade happen under a lock, and the upgrade is one
    transaction: a start that is killed leaves the old schema or the new one, and a second
    start waits for the first, then finds the schema current. A database from a newer release
    is refused with one line and left untouched. Returns the backup's path when one was made.
    """
    head = head_revision()
    current = _read_revision(engine)
    if current == head:
        return None
    with _migration_lock(engine):
        current = _read_revision(engine)  # another process may have migrated meanwhile
        if current == head:
            return None
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError

        config = _alembic_config()
        if current is not None:
            try:
                known = ScriptDirectory.from_config(config).get_revision(current)
            except CommandError:
                known = None
            if known is None:
                raise _newer_release(current)
        backup = None
        database = engine.url.database or ""
        if engine.url.get_backend_name() == "sqlite" and current is not None and database:
            path = Path(database)
            if path.exists():
                backup = _fresh_backup(path, current)
                if backup is None:
                    stamp = (now or (lambda: dt.datetime.now(dt.UTC)))()
                    backup = backup_sqlite(path, stamp)
        from alembic import command

        with engine.begin() as conn:
            if engine.url.get_backend_name() == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_ID})")
                if _revision_in(conn) == head:
                    return backup
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    return backup


def _fresh_backup(path: Path, revision: str) -> Path | None:
    """A backup made for this same upgrade by a start that then failed: at `revision`, and
    newer than every change to the database. One upgrade makes one backup, however many tries
    it takes."""
    import sqlite3

    changed = max(
        (p.stat().st_mtime_ns for p in (path, path.with_name(path.name + "-wal")) if p.exists()),
        default=0,
    )
    for candidate in sorted(path.parent.glob(f"{path.name}.*.bak"), reverse=True):
        if candidate.stat().st_mtime_ns < changed:
            continue
        try:
            with contextlib.closing(
                sqlite3.connect(f"{candidate.as_uri()}?mode=ro", uri=True)
            ) as conn:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            continue
        if row is not None and row[0] == revision:
            return candidate
    return None


def _read_revision(engine: Engine) -> str | None:
    try:
        return current_revision(engine)
    except OperationalError as exc:
        raise AnkleSleepError(
            _("database: cannot open {url!r} ({orig}); check the path or URL").format(
                url=engine.url.render_as_string(hide_password=True),
                orig=" ".join(str(exc.orig).split())[:200],
            ),
            field="db",
        ) from None


def integrity_problem(engine: Engine, quick: bool = False) -> str | None:
    """What SQLite's own check finds wrong with the file (one line), or None when it is sound
    (always None for other databases, which check themselves)."""
    database = engine.url.database or ""
    if engine.url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    return sqlite_problem(Path(database), quick)


def sqlite_problem(path: Path, quick: bool = True) -> str | None:
    """SQLite's quick (or full) check of the file at `path`, read-only: None when it is sound."""
    import sqlite3

    if not path.exists() or path.stat().st_size == 0:
        return None
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        ) as conn:
            conn.text_factory = _text_of  # its report can quote damaged names
            rows = conn.execute(f"PRAGMA {pragma}(3)").fetchall()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # another program is writing; it was sound enough to open
        return str(exc)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except UnicodeDecodeError:  # SQLite's own message quotes a damaged name
        return "malformed database schema"
    if rows == [("ok",)]:
        return None
    return " ".join("; ".join(str(row[0]) for row in rows).split())[:200]


def set_aside(path: Path, now: dt.datetime) -> Path:
    """Move a damaged database (and its log files) to `<name>.corrupt-<stamp>`."""
    target = path.with_name(f"{path.name}.corrupt-{now:%Y%m%d-%H%M%S}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    path.replace(target)
    files.sync_folder(path.parent)
    return target


def open_database(db_path: str | os.PathLike[str] | None = None, url: str | None = None) -> Engine:
    """The engine for the user's database, checked and migrated to the current schema.

    A SQLite file that fails SQLite's quick check is never written to: it is moved aside as
    `<name>.corrupt-<time>`, a new empty database takes its place, and a warning says how to
    bring a backup back.
    """
    target = url or database_url(db_path)
    try:
        parsed = make_url(target)
    except ArgumentError:
        parsed = None  # `create` says what is wrong with it
    if parsed is not None and parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database)
        problem = sqlite_problem(path)
        if problem is not None:
            moved = set_aside(path, dt.datetime.now(dt.UTC))
            LOG.warning(
                "%s",
                _(
                    "database: {path} is damaged ({problem}); it was moved to {moved} and a new "
                    "empty database was started. To bring your data back, run `anklesleep "
                    "import` with your latest backup or export (for example {path}.*.bak)"
                ).format(path=str(path), problem=problem, moved=moved.name),
            )
    engine = create(target)
    migrate(engine)
    return engine
