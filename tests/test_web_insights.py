"""The Insights page stays light with a full 90 days of everything (three sessions a day, a
diary night and all seven complaints every day)."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path

from sqlalchemy import Engine

from anklesleep.diary.entries import SYMPTOM_KEYS, SleepEntry, SymptomEntry
from anklesleep.practice.records import new_record
from anklesleep.store import diary as diary_store
from tests.session_helpers import store_session
from tests.web_helpers import MORNING, Clock, client

#: what the issue allows for the page with everything it loads
BUDGET = 150 * 1024


def _fill(engine: Engine, days: int) -> None:
    with engine.begin() as conn:
        for back in range(days):
            day = MORNING.date() - dt.timedelta(days=back)
            night = SleepEntry(
                day, dt.time(23, 5), dt.time(23, 20), 10 + back % 30, back % 3, 5 * (back % 3),
                dt.time(6, 40), dt.time(7, 0), 1 + back % 5,
            )  # fmt: skip
            diary_store.save_night(conn, night, MORNING)
            scores = [SymptomEntry(day, k, (3 * back + i) % 11) for i, k in enumerate(SYMPTOM_KEYS)]
            diary_store.save_symptoms(conn, scores, MORNING)
    for back in range(1, days):
        for hour in (7, 18, 22):
            start = (MORNING - dt.timedelta(days=back)).replace(hour=hour, minute=10)
            record = new_record(
                routine="full", local_start=start, planned_seconds=600, source="web"
            )
            store_session(
                engine,
                record,
                completed=back % 4 != 0,
                ended_at=start,
                completed_seconds=600,
                steps_done=[],
            )


def test_insights_with_ninety_full_days_weighs_under_the_budget(
    engine: Engine, tmp_path: Path
) -> None:
    _fill(engine, 100)
    c, _ = client(engine, tmp_path, clock=Clock(MORNING))
    html = c.get("/insights").text
    assert html.count('<circle class="pt') >= 90 * (1 + 4 + 7)  # every value is drawn
    # everything the page loads (style sheet, icon, scripts), read from the page itself
    loaded = re.findall(r'<(?:script|link|img)[^>]*\b(?:src|href)="(/[^"]+)"', html)
    assert {"/static/app.css", "/static/charts.js"} <= set(loaded)
    urls = ["/insights", *loaded]
    sent = sum(len(gzip.compress(c.get(url).content, compresslevel=5)) for url in urls)
    print(f"Insights with 90 full days: {sent / 1024:.1f} KB compressed")
    assert sent < BUDGET
