"""Credit for time played and the session lifecycle: the rules in `practice` and the service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.practice import credit
from anklesleep.practice.records import (
    Progress,
    SessionRecord,
    closed,
    new_record,
    progressed,
    resumable,
)
from anklesleep.services import sessions as service
from anklesleep.store import create, migrate

START = dt.datetime(2026, 3, 14, 22, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
LATER = START + dt.timedelta(minutes=2)


def _record(planned: float = 100.0) -> SessionRecord:
    return new_record(routine="quick", local_start=START, planned_seconds=planned, source="web")


def test_stretches_merge_and_replayed_time_counts_once() -> None:
    assert credit.merge([(10, 20), (0, 5), (5.1, 8), (15, 25)]) == ((0, 8), (10, 25))
    assert credit.seconds_played([(0, 10), (5, 10), (0, 3)]) == 10
    assert credit.share_of_time([(0, 50), (90, 120)], 100) == pytest.approx(0.6)


def test_a_cue_counts_when_its_start_was_played() -> None:
    starts = [0.0, 10.0, 20.0, 30.0]
    assert credit.share_of_cues([(0, 12)], starts) == 0.5
    assert credit.share_of_cues([(0, 12), (29.9, 31)], starts) == 0.75
    assert credit.share_of_cues([], starts) == 0.0


def test_seeking_to_the_end_does_not_complete() -> None:
    # play 8 s, drag to 73.5 s of 75.5, reach the end: the case
    starts = tuple(float(s) for s in range(0, 75, 3))
    done = closed(
        _record(75.5),
        Progress(played=((0, 8), (73.5, 75.5))),
        reached_end=True,
        now=LATER,
        cue_starts=starts,
    )
    assert not done.completed
    assert done.completed_seconds == pytest.approx(10)
    assert done.percent_played == 13


def test_reaching_the_end_with_ninety_percent_of_cues_completes() -> None:
    starts = tuple(float(s) for s in range(0, 100, 10))  # ten cues
    played = ((0, 82), (90, 100))  # every cue start heard: 0..80 and 90
    done = closed(
        _record(), Progress(played=played), reached_end=True, now=LATER, cue_starts=starts
    )
    assert done.completed
    assert done.percent_played == 100
    short = closed(
        _record(),
        Progress(played=((0, 65), (90, 100))),
        reached_end=True,
        now=LATER,
        cue_starts=starts,
    )
    assert not short.completed  # the cues at 70 and 80 were skipped: 8 of 10


def test_steps_have_no_duplicates_and_the_end_follows_the_last_progress() -> None:
    record = progressed(_record(), Progress(steps_done=("A0", "A1")), now=START)
    stopped = closed(record, Progress(steps_done=("A1",)), reached_end=False, now=LATER)
    assert stopped.steps_done == ("A0", "A1")
    assert stopped.ended_at == LATER and not stopped.completed
    later = LATER + dt.timedelta(minutes=1)
    carried_on = progressed(stopped, Progress(steps_done=("A1", "A2")), now=later)
    assert carried_on.steps_done == ("A0", "A1", "A2")
    assert carried_on.ended_at == later


def test_a_completed_session_is_closed_and_finishing_twice_changes_nothing() -> None:
    done = closed(_record(), Progress(played=((0, 100),)), reached_end=True, now=LATER)
    assert done.completed
    assert closed(done, Progress(), reached_end=False, now=LATER + dt.timedelta(hours=1)) is done
    with pytest.raises(AnkleSleepError) as error:
        progressed(done, Progress(played=((0, 1),)), now=LATER)
    assert error.value.field == "uuid"


@pytest.mark.parametrize(
    ("report", "field"),
    [
        (Progress(played=((-1, 3),)), "played"),
        (Progress(played=((5, 3),)), "played"),
        (Progress(played=((0, 500),)), "played"),
        (Progress(position_seconds=101.5), "position_seconds"),  # past the 1 s slack
        (Progress(planned_seconds=0), "planned_seconds"),
        (Progress(played=((0, 1),) * (credit.MAX_INTERVALS + 1)), "played"),
    ],
)
def test_progress_limits_name_the_field(report: Progress, field: str) -> None:
    with pytest.raises(AnkleSleepError) as error:
        progressed(_record(), report, now=LATER)
    assert error.value.field == field


def test_an_end_a_frame_past_the_timeline_is_accepted_and_not_credited_twice() -> None:
    """The encoded file may run a frame longer than its timeline, and players round times:
    the audio's own end (100.0007 for a 100 s plan) finishes the session, credited to 100 s."""
    done = closed(
        _record(),
        Progress(played=((0, 100.0007),), position_seconds=100.0007),
        reached_end=True,
        now=LATER,
        cue_starts=(0.0, 50.0),
    )
    assert done.completed and done.completed_seconds == pytest.approx(100.0)
    assert done.position_seconds == pytest.approx(100.0)


def test_extra_circles_extend_the_total_measured_against() -> None:
    record = progressed(
        _record(),
        Progress(planned_seconds=115, options={"extra_circles": {"left": "inward"}}),
        now=LATER,
    )
    assert record.planned_seconds == 115
    assert record.options["extra_circles"] == {"left": "inward"}
    assert progressed(record, Progress(planned_seconds=90), now=LATER).planned_seconds == 115
    assert progressed(record, Progress(played=((0, 110),)), now=LATER).completed_seconds == 110


def test_only_a_session_left_unfinished_within_a_day_resumes() -> None:
    now = START + dt.timedelta(hours=3)
    left = progressed(_record(), Progress(position_seconds=42.4), now=START)
    stopped = closed(left, Progress(), reached_end=False, now=START)
    never_played = _record()
    assert resumable([left, never_played], routine="quick", now=now) == left
    assert resumable([stopped], routine="quick", now=now) is None
    assert resumable([left], routine="full", now=now) is None
    assert resumable([left], routine="quick", now=START + dt.timedelta(days=2)) is None


def test_the_service_stores_each_step_of_the_lifecycle(tmp_path: Path) -> None:
    engine = create(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(engine)
    record = service.start(
        engine, routine="quick", local_start=START, planned_seconds=100, source="web"
    )
    service.progress(
        engine, record.uuid, Progress(played=((0, 30),), position_seconds=30), now=START
    )
    assert service.resumable(engine, routine="quick", now=LATER) == service.load(
        engine, record.uuid
    )
    aside = service.set_aside(engine, record.uuid, now=LATER)
    assert aside.ended_at == LATER and not aside.completed
    assert aside.played == ((0, 30),)
    assert service.load(engine, record.uuid) == aside
    assert service.resumable(engine, routine="quick", now=LATER) is None
    with pytest.raises(AnkleSleepError):
        service.load(engine, "nope")


def test_the_credit_migration_keeps_older_sessions_and_goes_back(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import inspect, text

    from anklesleep.store import database

    engine = create(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = database._alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO sessions (uuid, routine, slot, started_at, utc_offset_minutes, "
                "local_date, planned_seconds, completed_seconds, completed, steps_done, options, "
                "source) VALUES ('old', 'quick', 'bedtime', '2026-03-14 21:00:00', 60, "
                "'2026-03-14', 75.5, 30.0, 0, '[]', '{}', 'terminal')"
            )
        )
    migrate(engine)
    old = service.load(engine, "old")
    assert old.played == () and old.position_seconds is None
    assert old.percent_played == 39
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    columns = {c["name"] for c in inspect(engine).get_columns("sessions")}
    assert "played" not in columns and "position_seconds" not in columns


def test_reports_arriving_at_once_are_all_credited(tmp_path: Path) -> None:
    """Progress is read, merged and written back: two reports at the same moment (two tabs,
    a retry) must wait for each other, never overwrite each other's stretches."""
    import threading

    engine = create(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(engine)
    record = service.start(
        engine, routine="quick", local_start=START, planned_seconds=100, source="web"
    )
    reporters = 8
    barrier = threading.Barrier(reporters)
    failures: list[BaseException] = []

    def report(i: int) -> None:
        try:
            barrier.wait()
            stretch = ((i * 10.0, i * 10.0 + 5.0),)
            service.progress(engine, record.uuid, Progress(played=stretch), now=START)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=report, args=(i,)) for i in range(reporters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    stored = service.load(engine, record.uuid)
    assert stored.played == tuple((i * 10.0, i * 10.0 + 5.0) for i in range(reporters))
    assert stored.completed_seconds == pytest.approx(5.0 * reporters)
    engine.dispose()
