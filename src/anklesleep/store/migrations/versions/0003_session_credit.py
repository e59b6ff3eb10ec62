"""Sessions keep the stretches of the track played and where the player was.

Revision ID: 0003_session_credit
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_session_credit"
down_revision = "0002_diary_zone"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("played", sa.JSON, nullable=True))
        batch.add_column(sa.Column("position_seconds", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("position_seconds")
        batch.drop_column("played")
