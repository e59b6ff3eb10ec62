"""Diary nights remember their time zone (and which of a repeated hour's times was meant).

Existing nights get the zone the user has set for the reminders (or this machine's zone when
none is set); their clock times are kept as they were typed. Their metrics are now worked out
in real elapsed time in that zone, so a night across a daylight-saving change shows one hour
more or less than before; every other night is unchanged.

Revision ID: 0002_diary_zone
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002_diary_zone"
down_revision = "0001"
branch_labels = None
depends_on = None


def _user_zone(conn: sa.Connection) -> str:
    from anklesleep.basics.errors import AnkleSleepError
    from anklesleep.schedule import timezones
    from anklesleep.store.slots import KEY

    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.JSON))
    raw = conn.execute(sa.select(settings.c.value).where(settings.c.key == KEY)).scalar()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = None
    name = raw.get("timezone") if isinstance(raw, dict) else None
    if name:
        try:
            return timezones.check(str(name))
        except AnkleSleepError:  # a broken stored zone: this machine's zone instead
            pass
    return timezones.detect()


def upgrade() -> None:
    conn = op.get_bind()
    zone = _user_zone(conn)
    with op.batch_alter_table("sleep_entries") as batch:
        batch.add_column(sa.Column("zone", sa.String(64), nullable=True))
        batch.add_column(sa.Column("fold", sa.Integer, nullable=True))
    entries = sa.table("sleep_entries", sa.column("zone", sa.String))
    conn.execute(sa.update(entries).values(zone=zone))
    with op.batch_alter_table("sleep_entries") as batch:
        batch.alter_column("zone", existing_type=sa.String(64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("sleep_entries") as batch:
        batch.drop_column("fold")
        batch.drop_column("zone")
