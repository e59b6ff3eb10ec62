"""CLI start-up time: the commands people type most, against bare Python.

Prints the median wall time of each command over several runs, measured in the same run as
`python -c pass` and `python -c "import sqlalchemy"`, and the ratios. Goals: `--help` under
100 ms and within 8x bare Python; `today`, `history` and `slots` (which open the database)
within 1.5x importing SQLAlchemy. The database is created and migrated before timing, as it is
on every run but the first, and bytecode is cached as it is once installed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("RUNS", "15"))
HELP_GOAL = 8.0
DATABASE_GOAL = 1.5


def median_seconds(cmd: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    exe = shutil.which("anklesleep", path=str(Path(sys.executable).parent))
    program = [exe] if exe else [sys.executable, "-m", "anklesleep"]
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as pycache:
        # As installed: compiled bytecode is cached (here in a throwaway folder, for all).
        env = {**os.environ, "ANKLESLEEP_HOME": home, "PYTHONPYCACHEPREFIX": pycache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("ANKLESLEEP_DATABASE_URL", None)
        subprocess.run([*program, "today"], env=env, stdout=subprocess.DEVNULL, check=True)
        for warm in ([sys.executable, "-c", "import sqlalchemy"], [*program, "slots"]):
            subprocess.run(warm, env=env, stdout=subprocess.DEVNULL, check=True)
        bare = median_seconds([sys.executable, "-c", "pass"], env)
        sqla = median_seconds([sys.executable, "-c", "import sqlalchemy"], env)
        commands = {
            "--help": [*program, "--help"],
            "show full": [*program, "show", "full"],
            "today": [*program, "today"],
            "history": [*program, "history"],
            "slots": [*program, "slots"],
        }
        timed = {name: median_seconds(cmd, env) for name, cmd in commands.items()}
    print(f"median of {RUNS} runs")
    print(f"{'command':<30}{'ms':>8}{'x bare':>9}{'x sqla':>9}")
    rows = [("python -c pass", bare), ('python -c "import sqlalchemy"', sqla)]
    rows += [(f"anklesleep {name}", seconds) for name, seconds in timed.items()]
    for name, seconds in rows:
        print(f"{name:<30}{seconds * 1000:>8.1f}{seconds / bare:>9.1f}{seconds / sqla:>9.2f}")
    help_ratio = timed["--help"] / bare
    verdict = "met" if timed["--help"] < 0.1 and help_ratio <= HELP_GOAL else "NOT met"
    print(f"goal (--help < 100 ms and <= {HELP_GOAL:g}x bare python): {verdict}")
    for name in ("today", "history", "slots"):
        ratio = timed[name] / sqla
        verdict = "met" if ratio <= DATABASE_GOAL else "NOT met"
        print(f"goal ({name} <= {DATABASE_GOAL:g}x import sqlalchemy): {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
