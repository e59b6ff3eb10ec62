"""CLI start-up time: the commands people type most, against bare Python.

Prints the median wall time of each command over several runs, measured in the same run as
`python -c pass` and `python -c "import sqlalchemy"`, and the ratios. Goals: `--help` under
100 ms and within 8x bare Python; `today`, `history` and `slots` (which open the database)
within 1.5x importing SQLAlchemy. The database is created and migrated before timing, as it is
on every run but the first, and bytecode is cached as it is once installed.
"""

from __future__ import annotations

import os
import resource
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


def median_seconds(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of `cmd` over RUNS runs.

    CPU time is printed beside wall time because it hardly changes when other programs load
    the machine, while wall time does.
    """
    walls, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


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
    print(f"median of {RUNS} runs; wall time, and CPU time (user + system) in brackets")
    print(f"{'command':<30}{'ms':>8}{'x bare':>9}{'x sqla':>9}{'(cpu ms':>10}{'x sqla)':>9}")
    rows = [("python -c pass", bare), ('python -c "import sqlalchemy"', sqla)]
    rows += [(f"anklesleep {name}", figures) for name, figures in timed.items()]
    for name, (wall, cpu) in rows:
        print(
            f"{name:<30}{wall * 1000:>8.1f}{wall / bare[0]:>9.1f}{wall / sqla[0]:>9.2f}"
            f"{cpu * 1000:>10.1f}{cpu / sqla[1]:>9.2f}"
        )
    help_wall = timed["--help"][0]
    help_ratio = help_wall / bare[0]
    verdict = "met" if help_wall < 0.1 and help_ratio <= HELP_GOAL else "NOT met"
    print(f"goal (--help < 100 ms and <= {HELP_GOAL:g}x bare python): {help_ratio:.1f}x, {verdict}")
    for name in ("today", "history", "slots"):
        ratio = timed[name][0] / sqla[0]
        verdict = "met" if ratio <= DATABASE_GOAL else "NOT met"
        print(
            f"goal ({name} <= {DATABASE_GOAL:g}x import sqlalchemy, wall): {ratio:.2f}x, "
            f"{verdict} (CPU {timed[name][1] / sqla[1]:.2f}x)"
        )


if __name__ == "__main__":
    main()
