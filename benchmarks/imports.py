"""Tracker import speed and memory: a generated 1.5 GB Apple Health export and a 10-year Fitbit
Takeout folder.

The Apple Health file is written to a temporary folder (and deleted afterwards), then read by
`anklesleep.trackers.detect.read_export` in a child process, so the peak resident memory
printed is the import's own. The baseline, measured in the same run on the same file, is a bare
expat parse that only looks at each start tag (no tree, no dates): the ratio says what the
import costs over merely scanning the XML.
Goals on the project's 2-core machine: at least 50 MB/s and a peak RSS of at most 200 MB.

Run: PYTHONPATH=src python benchmarks/imports.py [--gb 1.5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anklesleep.testing.tracker_exports import write_apple_health, write_fitbit_folder

_IMPORT = """
import json, resource, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo
from anklesleep.trackers.detect import read_export
start, cpu = time.perf_counter(), time.process_time()
reading = read_export(Path(sys.argv[1]), ZoneInfo("Europe/London"))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu,
                  "nights": len(reading.nights), "merged": reading.merged,
                  "records": reading.records_read,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_BASELINE = """
import json, resource, sys, time
import xml.parsers.expat as expat
seen = [0]
def start(name, attrs):
    if name == "Record":
        seen[0] += 1
parser = expat.ParserCreate()
parser.StartElementHandler = start
began, cpu = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as stream:
    parser.ParseFile(stream)
print(json.dumps({"seconds": time.perf_counter() - began, "cpu": time.process_time() - cpu,
                  "records": seen[0],
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def apple(gigabytes: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        began = time.perf_counter()
        nights = write_apple_health(path, int(gigabytes * 1e9))
        size = path.stat().st_size
        print(
            f"generated {size / 1e6:,.0f} MB Apple Health export ({nights} nights) "
            f"in {time.perf_counter() - began:.1f} s"
        )
        base = child(_BASELINE, path)
        got = child(_IMPORT, path)
    speed = size / got["seconds"] / 1e6
    base_speed = size / base["seconds"] / 1e6
    print(
        f"apple-health import: {got['seconds']:.1f} s, {speed:.1f} MB/s, "
        f"peak RSS {got['rss_mb']:.0f} MB, {got['nights']:.0f} nights "
        f"({got['merged']:.0f} sources merged)"
    )
    print(
        f"baseline bare expat scan: {base['seconds']:.1f} s, {base_speed:.1f} MB/s, "
        f"peak RSS {base['rss_mb']:.0f} MB"
    )
    print(f"ratio import/baseline time: {got['seconds'] / base['seconds']:.2f}")
    # on a shared machine the wall time includes waiting for a core; CPU time does not
    print(
        f"by CPU time: import {size / got['cpu'] / 1e6:.1f} MB/s, "
        f"baseline {size / base['cpu'] / 1e6:.1f} MB/s, ratio {got['cpu'] / base['cpu']:.2f}"
    )
    print(
        f"goals: >= 50 MB/s {'met' if speed >= 50 else 'NOT met'}; "
        f"peak RSS <= 200 MB {'met' if got['rss_mb'] <= 200 else 'NOT met'}"
    )


def fitbit(years: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Global Export Data"
        days = write_fitbit_folder(path, dt.date(2015, 1, 1), round(years * 365.25))
        size = sum(p.stat().st_size for p in path.iterdir())
        got = child(_IMPORT, path)
        began = time.perf_counter()
        for file in sorted(path.iterdir()):
            json.loads(file.read_bytes())
        base_seconds = time.perf_counter() - began
    print(
        f"fitbit json folder, {years} years ({days} nights, {size / 1e6:.1f} MB): "
        f"{got['seconds']:.2f} s, {got['nights']:.0f} nights, peak RSS {got['rss_mb']:.0f} MB"
    )
    print(
        f"baseline json.loads of the same files: {base_seconds:.2f} s; "
        f"ratio {got['seconds'] / base_seconds:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.5, help="size of the Apple Health export")
    parser.add_argument("--years", type=int, default=10, help="years of Fitbit nights")
    args = parser.parse_args()
    apple(args.gb)
    fitbit(args.years)


if __name__ == "__main__":
    main()
