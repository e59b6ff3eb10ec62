"""Export and import speed for years of data: JSON, CSV zip, import, and importing again.

Synthetic histories (up to three sessions a day, a diary night, the seven scores weekly) are
stored in a SQLite file; each operation's median wall time is printed next to a baseline
measured in the same run: `json.dumps` of the same rows (serialisation alone, no database).
Goal: ten years export or import in a few seconds, and a repeated import adds nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from anklesleep.store import create, migrate, transfer
from anklesleep.store import diary as diary_store
from anklesleep.store import export_files as exportfiles
from anklesleep.store import sessions as sessions_store
from anklesleep.testing import synthetic

RUNS = 3
YEARS = (1, 10)
NOW = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)
TODAY = dt.date(2036, 1, 1)


def median_seconds(func: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(years: int) -> tuple[int, list[float]]:
    """Rows stored for `years` of history, and the median seconds of each operation."""
    days = round(years * 365.25)
    history = synthetic.history(TODAY - dt.timedelta(days=days), days, seed=years)
    with tempfile.TemporaryDirectory() as folder:
        source = create(f"sqlite:///{Path(folder) / 'source.sqlite3'}")
        migrate(source)
        with source.begin() as conn:
            for record in history.sessions:
                sessions_store.start_session(conn, record)
            for night in history.nights:
                diary_store.save_night(conn, night, NOW)
            diary_store.save_symptoms(conn, history.symptoms, NOW)
        with source.connect() as conn:
            tables = transfer.collect(conn)
        rows = sum(len(r) for r in tables.values())
        text = transfer.to_json(tables, NOW)
        targets: list[Engine] = []
        names = itertools.count()

        def export_json() -> None:
            with source.connect() as conn:
                transfer.to_json(transfer.collect(conn), NOW)

        def export_zip() -> None:
            with source.connect() as conn:
                data = transfer.collect(conn)
            exportfiles.write_export(Path(folder) / f"e{next(names)}.zip", data, "csv", NOW)

        def import_fresh() -> None:
            engine = create(f"sqlite:///{Path(folder) / f'target{next(names)}.sqlite3'}")
            migrate(engine)
            incoming = exportfiles.parse_json(text, "bench.json")
            with engine.begin() as conn:
                transfer.import_rows(conn, incoming, TODAY, NOW)
            targets.append(engine)

        def reimport() -> None:
            incoming = exportfiles.parse_json(text, "bench.json")
            with targets[0].begin() as conn:
                report = transfer.import_rows(conn, incoming, TODAY, NOW)
            assert report.total_added == 0

        def baseline() -> None:
            json.dumps(tables)

        results = [
            median_seconds(export_json),
            median_seconds(export_zip),
            median_seconds(import_fresh),
            median_seconds(reimport),
            median_seconds(baseline),
        ]
        for engine in targets:
            engine.dispose()
        source.dispose()
    return rows, results


def main() -> None:
    print(f"median of {RUNS} runs, SQLite file in a temporary folder")
    print(
        f"{'years':>5} {'rows':>7} {'export json s':>14} {'export zip s':>13} {'import s':>9} "
        f"{'re-import s':>12} {'baseline s':>11}"
    )
    for years in YEARS:
        rows, r = measure(years)
        print(
            f"{years:>5} {rows:>7} {r[0]:>14.2f} {r[1]:>13.2f} {r[2]:>9.2f} {r[3]:>12.2f} "
            f"{r[4]:>11.3f}"
        )


if __name__ == "__main__":
    main()
