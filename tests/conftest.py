"""Shared fixtures: an isolated home folder for every test and fresh databases.

Every test that uses `engine` runs twice: on an in-memory SQLite database and on a fresh schema
of a throwaway PostgreSQL server that the test session starts on loopback (from Debian's
PostgreSQL 15 binaries) and stops at the end. Where no server can be started the PostgreSQL
variants are skipped with the reason; with `CI=true` they fail instead. Set
`ANKLESLEEP_TEST_POSTGRES_URL=postgresql+psycopg://user@host:port/db` to use a server you run.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine


def _pg_bin() -> Path:
    """PostgreSQL's server binaries: $ANKLESLEEP_TEST_PG_BIN, else 15, else the newest installed."""
    if os.environ.get("ANKLESLEEP_TEST_PG_BIN"):
        return Path(os.environ["ANKLESLEEP_TEST_PG_BIN"])
    preferred = Path("/usr/lib/postgresql/15/bin")
    if (preferred / "initdb").exists():
        return preferred
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else preferred


_schema_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and cache folders; no test touches the real ones."""
    home = tmp_path / "home"
    monkeypatch.setenv("ANKLESLEEP_HOME", str(home))
    monkeypatch.delenv("ANKLESLEEP_DATABASE_URL", raising=False)
    monkeypatch.delenv("ANKLESLEEP_LANG", raising=False)
    # the CLI follows the locale: tests run in English whatever the developer's locale is
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    # espeak-ng speaks English in tests unless a test chooses otherwise: it synthesizes every
    # clip of a fresh cache in about a second, the more natural voices take half a minute (and
    # Kokoro's Japanese minutes), so Japanese plays tones and text unless a test asks for a voice
    monkeypatch.setenv("ANKLESLEEP_VOICE", "espeak-ng,none")
    return home


@dataclass(frozen=True)
class PostgresServer:
    """A running PostgreSQL server the tests may create schemas and databases in."""

    base_url: str  # postgresql+psycopg://user@host:port/dbname

    def url(self, schema: str | None = None) -> str:
        if schema is None:
            return self.base_url
        joiner = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{joiner}options=-csearch_path%3D{schema}"


def _run(args: list[str], as_postgres: bool) -> None:
    command = ["runuser", "-u", "postgres", "--", *args] if as_postgres else args
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _throwaway_server() -> Iterator[PostgresServer | str]:
    """Start a private server on loopback; yield it, or the reason it could not start."""
    external = os.environ.get("ANKLESLEEP_TEST_POSTGRES_URL")
    if external:
        yield PostgresServer(external)
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    pg_bin = _pg_bin()
    if not (pg_bin / "initdb").exists():
        yield f"PostgreSQL binaries not found in {pg_bin} (run scripts/system-deps.sh test)"
        return
    if is_root and shutil.which("runuser") is None:
        yield "running as root and `runuser` is missing, so PostgreSQL cannot be started"
        return
    folder = Path(tempfile.mkdtemp(prefix="anklesleep-pg-"))
    data = folder / "data"
    port = _free_port()
    started = False
    try:
        if is_root:
            shutil.chown(folder, user="postgres")
        _run(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            is_root,
        )
        _run(
            [
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "server.log"),
                "-w",
                "-o",
                f"-h 127.0.0.1 -p {port} -k {folder} -F -c fsync=off",
                "start",
            ],
            is_root,
        )
        started = True
        yield PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        yield f"could not start PostgreSQL: {exc} {detail.decode(errors='replace')[:300]}"
    finally:
        if started:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                _run(
                    [str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                    is_root,
                )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | str]:
    """The session's PostgreSQL server, or why there is none."""
    with _throwaway_server() as server:
        yield server


def require_postgres(server: PostgresServer | str) -> PostgresServer:
    """The server, or skip (fail under CI=true) with the reason it is missing."""
    if isinstance(server, str):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {server}")
        pytest.skip(server)
    return server


@contextlib.contextmanager
def fresh_postgres_schema(server: PostgresServer) -> Iterator[str]:
    """A new empty schema; yields the URL whose connections use it. Dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"t{os.getpid()}_{next(_schema_numbers)}"
    admin = create_engine(server.url())
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        yield server.url(name)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh, empty database: in-memory SQLite, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield "sqlite://"
        return
    server = require_postgres(request.getfixturevalue("postgres_server"))
    with fresh_postgres_schema(server) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A fresh, migrated database: SQLite in memory, and again on PostgreSQL."""
    from anklesleep.store import create, migrate

    eng = create(database_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for a test module (Debian's, never a downloaded one); skipped where it
    is not installed."""
    from tests.browser_helpers import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


# --- tests slower than a few seconds carry the `slow` marker -------------------------------------

SLOW_SECONDS = 3.0
_durations: dict[str, float] = {}
_marked_slow: set[str] = set()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration
    if "slow" in report.keywords:
        _marked_slow.add(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """List the tests that took more than SLOW_SECONDS (setup, call and teardown) without the
    `slow` marker, so the marker stays true; a report, not a failure (timings vary by machine)."""
    unmarked = sorted(
        ((seconds, node) for node, seconds in _durations.items() if node not in _marked_slow),
        reverse=True,
    )
    unmarked = [(s, n) for s, n in unmarked if s > SLOW_SECONDS]
    if unmarked:
        terminalreporter.section(f"over {SLOW_SECONDS:g} s without the slow marker")
        for seconds, node in unmarked:
            terminalreporter.write_line(f"{seconds:6.1f} s  {node}")
