"""Seeded synthetic histories (sessions, diary nights, complaint scores) for benchmarks, tests
and screenshots. Never mixed with a user's data: nothing here touches the store.

Sleep is drawn from a plausible adult pattern: about 25 min to fall asleep, 30 min awake in the
night, bed around 23:00 and up around 07:00, quality 1-5. `effect` shifts nights after a
completed bedtime session (in standard deviations of each measure) to simulate a routine that
works; 0 simulates one that does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from anklesleep.diary.entries import SYMPTOM_KEYS, SleepEntry, SymptomEntry
from anklesleep.practice.records import SessionRecord
from anklesleep.schedule.slots import SLOTS

SLOT_TIMES = {"morning": (7, 10), "home": (18, 40), "bedtime": (22, 5)}


@dataclass(frozen=True)
class History:
    sessions: tuple[SessionRecord, ...]
    nights: tuple[SleepEntry, ...]
    symptoms: tuple[SymptomEntry, ...]


def _time(minutes: float) -> dt.time:
    m = round(minutes) % 1440
    return dt.time(m // 60, m % 60)


def night(
    rng: random.Random, day: dt.date, shift: float = 0.0, sol: float | None = None
) -> SleepEntry:
    """One plausible diary night keyed `day` (the morning); `shift` > 0 means better sleep."""
    into = 22 * 60 + 50 + rng.gauss(0, 20)
    tried = into + max(0.0, rng.gauss(10, 5))
    latency = sol if sol is not None else rng.gauss(25 - 10 * shift, 10)
    latency = max(2, min(120, round(latency)))
    wakes = max(0, round(rng.gauss(2 - 0.6 * shift, 1)))
    waso = 0 if wakes == 0 else max(1, min(150, round(rng.gauss(30 - 12 * shift, 12))))
    asleep_window = max(latency + waso + 120, round(rng.gauss(470, 35)))
    final = tried + asleep_window
    out = final + max(0.0, rng.gauss(12, 6))
    quality = max(1, min(5, round(rng.gauss(3.0 + 0.9 * shift, 0.9))))
    return SleepEntry(
        night=day,
        into_bed=_time(into),
        tried_to_sleep=_time(tried),
        sol_minutes=latency,
        awakenings=wakes,
        waso_minutes=waso,
        final_awakening=_time(final),
        out_of_bed=_time(out),
        quality=quality,
    )


def history(
    start: dt.date,
    days: int,
    *,
    seed: int = 0,
    sessions_per_day: int = 3,
    practice_rate: float = 0.8,
    effect: float = 0.0,
    symptoms_every: int = 7,
) -> History:
    """`days` days from `start`: sessions (each slot done with `practice_rate`, up to
    `sessions_per_day` slots), a diary every night and the seven complaints every
    `symptoms_every` days."""
    rng = random.Random(seed)
    sessions: list[SessionRecord] = []
    nights: list[SleepEntry] = []
    symptoms: list[SymptomEntry] = []
    utc = dt.UTC
    bedtime_done: set[dt.date] = set()
    for i in range(days):
        day = start + dt.timedelta(days=i)
        for slot in SLOTS[:sessions_per_day]:
            if rng.random() >= practice_rate:
                continue
            hour, minute = SLOT_TIMES[slot]
            started = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=utc)
            sessions.append(
                SessionRecord(
                    uuid=f"{seed:x}-{i:06d}-{slot}",
                    routine="full",
                    slot=slot,
                    started_at=started,
                    utc_offset_minutes=0,
                    local_date=day,
                    planned_seconds=600.0,
                    ended_at=started + dt.timedelta(minutes=10),
                    completed_seconds=600.0,
                    completed=True,
                    source="import",
                )
            )
            if slot == "bedtime":
                bedtime_done.add(day)
        morning = day + dt.timedelta(days=1)
        shift = effect if day in bedtime_done else 0.0
        nights.append(night(rng, morning, shift))
        if i % symptoms_every == 0:
            for k, key in enumerate(SYMPTOM_KEYS):
                base = 2 + k % 4
                score = max(0, min(10, round(rng.gauss(base - 2 * (i / max(days, 1)), 1.2))))
                symptoms.append(SymptomEntry(day, key, score))
    return History(tuple(sessions), tuple(nights), tuple(symptoms))
