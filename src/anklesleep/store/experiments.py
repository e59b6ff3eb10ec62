"""Personal experiments in the database: saved once with their seed and schedule, never rewritten.

Only the status (active, stopped, finished) and the end time change after an experiment is
saved, so the plan that was fixed before any outcome was seen stays as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Connection, Row, select, update

from anklesleep.basics.errors import AnkleSleepError
from anklesleep.basics.i18n import _
from anklesleep.experiment.design import (
    LEGACY_MIN_NIGHTS,
    STATUSES,
    Block,
    Design,
    Experiment,
    Outcome,
    Status,
)
from anklesleep.store.tables import experiments


def _design(data: Mapping[str, Any], outcome: str, seed: int) -> Design:
    block_days = int(data["block_days"])
    washout = int(data.get("washout_nights", 0))
    # Experiments saved before the missing-night rule was stored keep the rule they ran with.
    legacy = min(LEGACY_MIN_NIGHTS, block_days - washout)
    return Design(
        weeks=int(data["weeks"]),
        block_days=block_days,
        outcome=cast(Outcome, outcome),
        seed=seed,
        baseline=bool(data.get("baseline", False)),
        washout_nights=washout,
        min_nights=int(data.get("min_nights", legacy)),
    )


def _experiment(row: Row[Any]) -> Experiment:
    m = row._mapping
    return Experiment(
        uuid=str(m["uuid"]),
        created_at=m["created_at"],
        status=cast(Status, m["status"]),
        design=_design(m["design"], str(m["outcome"]), int(m["seed"])),
        start_date=m["start_date"],
        blocks=tuple(Block.from_dict(b) for b in m["schedule"]),
        ended_at=m["ended_at"],
    )


def save(conn: Connection, experiment: Experiment) -> None:
    """Store a new experiment (in the caller's transaction)."""
    conn.execute(
        experiments.insert().values(
            uuid=experiment.uuid,
            created_at=experiment.created_at,
            status=experiment.status,
            outcome=experiment.outcome,
            seed=experiment.design.seed,
            design=experiment.design.to_dict(),
            schedule=[b.to_dict() for b in experiment.blocks],
            start_date=experiment.start_date,
            ended_at=experiment.ended_at,
        )
    )


def get(conn: Connection, uuid: str) -> Experiment | None:
    row = conn.execute(select(experiments).where(experiments.c.uuid == uuid)).first()
    return _experiment(row) if row is not None else None


def list_all(conn: Connection) -> list[Experiment]:
    """Every experiment, newest first."""
    query = select(experiments).order_by(experiments.c.created_at.desc(), experiments.c.id.desc())
    return [_experiment(row) for row in conn.execute(query)]


def active(conn: Connection) -> Experiment | None:
    """The experiment in progress (status active), if any."""
    row = conn.execute(
        select(experiments)
        .where(experiments.c.status == "active")
        .order_by(experiments.c.created_at.desc(), experiments.c.id.desc())
        .limit(1)
    ).first()
    return _experiment(row) if row is not None else None


def latest(conn: Connection) -> Experiment | None:
    """The active experiment, else the most recent one."""
    found = active(conn)
    if found is not None:
        return found
    everything = list_all(conn)
    return everything[0] if everything else None


def set_status(conn: Connection, uuid: str, status: Status, ended_at: dt.datetime | None) -> None:
    """Mark an experiment stopped or finished (the plan itself is never changed)."""
    if status not in STATUSES:
        raise AnkleSleepError(
            _("status: got {status!r}; use one of {statuses}").format(
                status=status, statuses=", ".join(STATUSES)
            ),
            field="status",
        )
    result = conn.execute(
        update(experiments)
        .where(experiments.c.uuid == uuid)
        .values(status=status, ended_at=ended_at)
    )
    if result.rowcount == 0:
        raise AnkleSleepError(
            _("experiment: got {uuid!r}; no experiment has that id").format(uuid=uuid), field="uuid"
        )
