"""CLI start-up time: `anklesleep --help` and `anklesleep show full` against bare Python.

Prints the median wall time of each over several runs, measured in the same run as
`python -c pass`, and the ratio. Goal: `--help` under 100 ms and within 8x bare Python.
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

RUNS = 15


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
    exe = shutil.which("anklesleep", path=str(Path(sys.executable).parent)) or "anklesleep"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ANKLESLEEP_HOME": home}
        base = median_seconds([sys.executable, "-c", "pass"], env)
        rows = [
            ("python -c pass", base),
            ("anklesleep --help", median_seconds([exe, "--help"], env)),
            ("anklesleep show full", median_seconds([exe, "show", "full"], env)),
        ]
    print(f"median of {RUNS} runs")
    print(f"{'command':<24}{'ms':>8}{'x bare':>9}")
    for name, seconds in rows:
        print(f"{name:<24}{seconds * 1000:>8.1f}{seconds / base:>9.1f}")
    help_ms = rows[1][1] * 1000
    verdict = "met" if help_ms < 100 and rows[1][1] / base <= 8 else "NOT met"
    print(f"goal (--help < 100 ms and <= 8x bare python): {verdict}")


if __name__ == "__main__":
    main()
