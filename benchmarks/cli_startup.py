"""CLI start-up time: the commands people type most, against bare Python.

Prints the median wall time of each command over several runs, measured in the same run as
`python -c pass` and `python -c "import sqlalchemy"`, and the ratios. Goals: `--help` under
100 ms and within 8x bare Python; `today`, `history` and `slots` (which open the database)
within 1.5x importing SQLAlchemy. The database is created and migrated before timing, as it is
on every run but the first, and bytecode is cached as it is once installed.

The commands take turns (one run of each per round), so a machine that other programs load
unevenly slows them alike; the ratios are the median of each round's ratio.
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


def seconds(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of `cmd`.

    CPU time is printed beside wall time because it hardly changes when other programs load
    the machine, while wall time does.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def timed_in_turns(
    commands: dict[str, list[str]], env: dict[str, str]
) -> dict[str, list[tuple[float, float]]]:
    """RUNS rounds of one run of every command in turn: each command's (wall, CPU) per round."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, cmd in commands.items():
            runs[name].append(seconds(cmd, env))
    return runs


def median_ratio(runs: list[tuple[float, float]], base: list[tuple[float, float]], i: int) -> float:
    """The median over the rounds of a command's time over the base's (0: wall, 1: CPU)."""
    return statistics.median(run[i] / ref[i] for run, ref in zip(runs, base, strict=True))


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
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            'python -c "import sqlalchemy"': [sys.executable, "-c", "import sqlalchemy"],
            "anklesleep --help": [*program, "--help"],
            "anklesleep show full": [*program, "show", "full"],
            "anklesleep today": [*program, "today"],
            "anklesleep history": [*program, "history"],
            "anklesleep slots": [*program, "slots"],
        }
        runs = timed_in_turns(commands, env)
    bare, sqla = runs["python -c pass"], runs['python -c "import sqlalchemy"']
    load = os.getloadavg()[0]
    print(f"median of {RUNS} rounds (load average {load:.2f} at the end); wall time, and CPU time")
    print("(user + system) in brackets; ratios are medians of each round's ratio")
    print(f"{'command':<30}{'ms':>8}{'x bare':>9}{'x sqla':>9}{'(cpu ms':>10}{'x sqla)':>9}")
    for name, figures in runs.items():
        wall = statistics.median(run[0] for run in figures)
        cpu = statistics.median(run[1] for run in figures)
        print(
            f"{name:<30}{wall * 1000:>8.1f}{median_ratio(figures, bare, 0):>9.1f}"
            f"{median_ratio(figures, sqla, 0):>9.2f}{cpu * 1000:>10.1f}"
            f"{median_ratio(figures, sqla, 1):>9.2f}"
        )
    help_wall = statistics.median(run[0] for run in runs["anklesleep --help"])
    help_ratio = median_ratio(runs["anklesleep --help"], bare, 0)
    verdict = "met" if help_wall < 0.1 and help_ratio <= HELP_GOAL else "NOT met"
    print(f"goal (--help < 100 ms and <= {HELP_GOAL:g}x bare python): {help_ratio:.1f}x, {verdict}")
    for name in ("today", "history", "slots"):
        figures = runs[f"anklesleep {name}"]
        ratio = median_ratio(figures, sqla, 0)
        verdict = "met" if ratio <= DATABASE_GOAL else "NOT met"
        print(
            f"goal ({name} <= {DATABASE_GOAL:g}x import sqlalchemy, wall): {ratio:.2f}x, "
            f"{verdict} (CPU {median_ratio(figures, sqla, 1):.2f}x)"
        )


if __name__ == "__main__":
    main()
