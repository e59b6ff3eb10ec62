"""The experiments repository: the plan is stored once and read back exactly; only the status
changes. Also the Today-screen helper that reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import translator
from anklesleep.experiment import design as experiment
from anklesleep.services.evidence import experiment_today
from anklesleep.store import experiments as store

EN = translator("en")

TODAY = dt.date(2026, 4, 6)
NOW = dt.datetime(2026, 4, 6, 19, 30, tzinfo=dt.UTC)


def plan(uuid: str, **kwargs: object) -> experiment.Experiment:
    d = experiment.design(**{"seed": 99, **kwargs})  # type: ignore[arg-type]
    return experiment.new_experiment(d, TODAY, today=TODAY, uuid=uuid, created_at=NOW)


def test_round_trip_and_status(engine: Engine) -> None:
    e = plan("a", baseline=True, outcome="se", block_days=4)
    with engine.begin() as conn:
        assert store.latest(conn) is None
        store.save(conn, e)
    with engine.connect() as conn:
        assert store.get(conn, "a") == e
        assert store.active(conn) == e
    later = NOW + dt.timedelta(days=3)
    with engine.begin() as conn:
        store.set_status(conn, "a", "stopped", later)
    with engine.connect() as conn:
        stopped = store.get(conn, "a")
        assert stopped is not None and stopped.status == "stopped" and stopped.ended_at == later
        assert stopped.blocks == e.blocks and stopped.design == e.design  # plan untouched
        assert store.active(conn) is None
        assert store.latest(conn) == stopped


def test_unknown_ids_and_statuses_are_refused(engine: Engine) -> None:
    with engine.begin() as conn, pytest.raises(AnkleSleepError, match=r"^experiment: got 'x'"):
        store.set_status(conn, "x", "stopped", NOW)
    with engine.begin() as conn, pytest.raises(AnkleSleepError, match=r"^status: got 'paused'"):
        store.set_status(conn, "x", "paused", NOW)  # type: ignore[arg-type]


def test_newest_first_and_the_today_helper(engine: Engine) -> None:
    old, new = plan("old"), plan("new")
    with engine.begin() as conn:
        store.save(conn, old)
        store.set_status(conn, "old", "finished", NOW)
        store.save(conn, new)
    with engine.connect() as conn:
        assert [e.uuid for e in store.list_all(conn)] == ["new", "old"]
    today = experiment_today(engine, TODAY, EN)
    assert today is not None and today.block == 1 and today.day_in_block == 1
    with engine.begin() as conn:
        store.set_status(conn, "new", "stopped", NOW)
    assert experiment_today(engine, TODAY, EN).phase == "stopped"  # type: ignore[union-attr]
    assert experiment_today(engine, TODAY + dt.timedelta(days=30), EN) is None
