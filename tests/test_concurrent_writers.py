"""The web server and command-line writers on one SQLite file at once: every acknowledged
write is there afterwards, and no note reaches any output."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from soak import Client, start_server  # noqa: E402

NOTE = "concurrent planted note 8c2d"
DAYS = 24


def day(n: int) -> str:
    return (dt.date(2025, 1, 1) + dt.timedelta(days=n)).isoformat()


@pytest.mark.slow
def test_server_and_cli_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    server, port = start_server(db)
    server_output: list[str] = []
    reader = threading.Thread(target=lambda: server_output.extend(server.stdout or []))
    reader.start()
    acknowledged: list[tuple[str, str]] = []
    failures: list[str] = []

    def web_writer(worker: int) -> None:
        client = Client(port)
        client.request("GET", "/about")
        for n in range(worker, DAYS, 4):
            body = json.dumps({"headache": n % 11, "headache_note": f"{NOTE} web"}).encode()
            status = client.request("PUT", f"/api/symptoms/{day(n)}", body)
            if status == 200:
                acknowledged.append((day(n), "headache"))
            else:
                failures.append(f"web {day(n)}: {status}")
        client.conn.close()

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TZ": "UTC"}

    def cli_writer(worker: int) -> None:
        for n in range(worker, DAYS, 2):
            args = ["--db", str(db), "symptoms", "--day", day(n), "--knee", str(n % 11)]
            done = subprocess.run(
                [sys.executable, "-m", "anklesleep", *args, "--note", f"{NOTE} cli"],
                capture_output=True,
                text=True,
                env=env,
            )
            if NOTE in done.stderr:
                failures.append(f"the note reached the command's error output: {done.stderr}")
            if done.returncode == 0:
                acknowledged.append((day(n), "knee"))
            else:
                failures.append(f"cli {day(n)}: {done.stderr.strip()}")

    threads = [threading.Thread(target=web_writer, args=(w,)) for w in range(4)]
    threads += [threading.Thread(target=cli_writer, args=(w,)) for w in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join()
        if server.stdout is not None:
            server.stdout.close()
    assert not failures, failures[:3]
    assert len(acknowledged) == 2 * DAYS
    with sqlite3.connect(db) as conn:
        stored = set(conn.execute("SELECT day, symptom FROM symptom_entries").fetchall())
    assert {(d, s) for d, s in acknowledged} <= stored
    assert not any(NOTE in line for line in server_output)


def test_threads_sharing_an_in_memory_database_take_turns() -> None:
    """An in-memory database is one connection; threads writing at once must not interleave
    their transactions (the web app's track preparer reads it while requests write)."""
    from sqlalchemy import text

    from anklesleep.store import create

    engine = create("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (worker INTEGER, n INTEGER)"))
    errors: list[BaseException] = []

    def writer(worker: int) -> None:
        try:
            for n in range(150):
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO t VALUES (:w, :n)"), {"w": worker, "n": n})
                    conn.execute(text("SELECT count(*) FROM t")).scalar_one()
                with engine.connect() as conn:
                    conn.execute(text("SELECT max(n) FROM t WHERE worker = :w"), {"w": worker})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 600
    engine.dispose()
