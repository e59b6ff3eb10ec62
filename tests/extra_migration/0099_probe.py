"""A second migration used only by the kill test: several DDL steps after the newest one.

Revision ID: 0099_probe
Revises: 0003_session_credit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0099_probe"
down_revision = "0003_session_credit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("probe_a", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("sleep_entries") as batch:
        batch.add_column(sa.Column("probe", sa.Integer, nullable=True))
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("probe", sa.Integer, nullable=True))
    op.create_table("probe_b", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("probe_b")
    op.drop_table("probe_a")
