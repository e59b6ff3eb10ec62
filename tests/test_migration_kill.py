"""Killing a start at a random moment of creating or migrating the database leaves the old
schema or the new one, never a mix, and the next start finishes the job."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("ANKLESLEEP_KILL_RUNS", "50"))  # of each kind: 100 kills in all

Schema = tuple[str | None, tuple[tuple[str, tuple[str, ...]], ...]]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}


def start(path: Path, extra: bool) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.migration_child", str(path)] + (["extra"] if extra else [])
    return subprocess.Popen(args, cwd=ROOT, env=env(), stdout=subprocess.PIPE, text=True)


def run(path: Path, extra: bool) -> float:
    """Open the database to the end; how long the work after start-up took."""
    with start(path, extra) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        began = time.perf_counter()
        assert child.stdout.readline() == "done\n"
        took = time.perf_counter() - began
    assert child.returncode == 0
    return took


def kill_during(path: Path, extra: bool, delay: float) -> None:
    with start(path, extra) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        time.sleep(delay)
        child.kill()


def schema(path: Path) -> Schema:
    """The revision and every table with its columns, read without the app."""
    with sqlite3.connect(path) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables = tuple(
            sorted(
                (name, tuple(col[1] for col in conn.execute(f'PRAGMA table_info("{name}")')))
                for name in names
            )
        )
        revision = None
        if "alembic_version" in names:
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            revision = rows[0][0] if rows else None
    return revision, tables


@pytest.mark.slow
@pytest.mark.parametrize("extra", [False, True], ids=["creation", "second-migration"])
def test_a_killed_start_leaves_the_old_or_the_new_schema(tmp_path: Path, extra: bool) -> None:
    rng = random.Random(20)
    reference = tmp_path / "reference.sqlite3"
    run(reference, extra=False)
    template = tmp_path / "template.sqlite3"
    shutil.copyfile(reference, template)  # the previous release's database, checkpointed
    if extra:
        old = schema(reference)
        took = run(reference, extra=True)
        new = schema(reference)
    else:
        old = (None, ())
        fresh = tmp_path / "fresh.sqlite3"
        took = run(fresh, extra=False)
        new = schema(fresh)
    assert old != new
    seen = {"old": 0, "new": 0}
    for attempt in range(RUNS):
        path = tmp_path / f"db{attempt}.sqlite3"
        if extra:
            shutil.copyfile(template, path)
        kill_during(path, extra, rng.uniform(0, took * 1.2))
        found = schema(path) if path.exists() else old
        assert found in (old, new), (attempt, found)
        seen["old" if found == old else "new"] += 1
        if attempt % 5 == 0:
            run(path, extra)  # the next start finishes the job
            assert schema(path) == new
    print(f"kills that left the old schema: {seen['old']}, the new one: {seen['new']}")


def test_starts_at_the_same_time_wait_for_one_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    run(path, extra=False)
    children = [start(path, extra=True) for _ in range(3)]
    for child in children:
        with child:
            assert child.stdout is not None
            assert child.stdout.read() == "ready\ndone\n"
        assert child.returncode == 0
    assert schema(path)[0] == "0099_probe"
    assert len(list(tmp_path.glob("old.sqlite3.*.bak"))) == 1  # one backup for one upgrade
