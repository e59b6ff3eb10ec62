"""The built wheel carries its data files and works from a fresh virtual environment."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("anklesleep-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "anklesleep/routine/builtin/full.toml",
        "anklesleep/routine/builtin/quick.toml",
        "anklesleep/store/migrations/env.py",
        "anklesleep/store/migrations/versions/0001_initial.py",
        "anklesleep/locale/anklesleep.pot",
    ):
        assert needed in names, needed

    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    # Install the wheel alone; the dependencies come from this test run's environment.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    deps = os.pathsep.join(site.getsitepackages())
    env = {**os.environ, "PYTHONPATH": deps, "ANKLESLEEP_HOME": str(tmp_path / "home")}
    where = subprocess.run(
        [str(python), "-c", "import anklesleep; print(anklesleep.__file__)"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(fresh)), where.stdout
    result = subprocess.run(
        [str(fresh / "bin" / "anklesleep"), "routines"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "full"
    assert "quick" in result.stdout
