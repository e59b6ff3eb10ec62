"""Export and import speed for years of data: JSON, CSV zip, import, and importing again.

Synthetic histories (up to three sessions a day, a diary night, the seven scores weekly) are
stored in a SQLite file; each operation's median wall time is printed next to a baseline
measured in the same run: `json.dumps` of the same rows (serialisation alone, no database).
Goal: ten years export or import in a few seconds, and a repeated import adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from anklesleep import exportfiles, synthetic, transfer
from anklesleep.store import create, migrate
from anklesleep.store import diary as diary_store
from anklesleep.store import sessions as sessions_store

RUNS = 3
YEARS = (1, 5, 10)
NOW = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)
TODAY = dt.date(2036, 1, 1)


def median_seconds(func: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"median of {RUNS} runs, SQLite file in a temporary folder")
    print(
        f"{'years':>5} {'rows':>7} {'export json s':>14} {'export zip s':>13} {'import s':>9} "
        f"{'re-import s':>12} {'baseline s':>11}"
    )
    for years in YEARS:
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

            def export_json() -> None:
                with source.connect() as conn:
                    transfer.to_json(transfer.collect(conn), NOW)

            def export_zip(n: list[int] = [0]) -> None:  # noqa: B006 - a counter for new names
                n[0] += 1
                with source.connect() as conn:
                    data = transfer.collect(conn)
                exportfiles.write_export(Path(folder) / f"e{n[0]}.zip", data, "csv", NOW)

            targets: list[object] = []

            def import_fresh(n: list[int] = [0]) -> None:  # noqa: B006
                n[0] += 1
                engine = create(f"sqlite:///{Path(folder) / f'target{n[0]}.sqlite3'}")
                migrate(engine)
                incoming = exportfiles.parse_json(text, "bench.json")
                with engine.begin() as conn:
                    transfer.import_rows(conn, incoming, TODAY, NOW)
                targets.append(engine)

            def reimport() -> None:
                engine = targets[0]
                incoming = exportfiles.parse_json(text, "bench.json")
                with engine.begin() as conn:  # type: ignore[attr-defined]
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
                engine.dispose()  # type: ignore[attr-defined]
            source.dispose()
        print(
            f"{years:>5} {rows:>7} {results[0]:>14.2f} {results[1]:>13.2f} {results[2]:>9.2f} "
            f"{results[3]:>12.2f} {results[4]:>11.3f}"
        )


if __name__ == "__main__":
    main()
