"""Nights recorded by sleep trackers, kept apart from the diary.

Revision ID: 0004_tracker_nights
Revises: 0003_session_credit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from anklesleep.store.types import UTCDateTime

revision = "0004_tracker_nights"
down_revision = "0003_session_credit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracker_nights",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("device", sa.String(120), nullable=False),
        sa.Column("start_at", UTCDateTime(), nullable=False),
        sa.Column("start_offset_minutes", sa.Integer, nullable=False),
        sa.Column("end_at", UTCDateTime(), nullable=False),
        sa.Column("end_offset_minutes", sa.Integer, nullable=False),
        sa.Column("night", sa.Date, nullable=False),
        sa.Column("in_bed_minutes", sa.Integer, nullable=False),
        sa.Column("asleep_minutes", sa.Integer, nullable=True),
        sa.Column("awake_minutes", sa.Integer, nullable=True),
        sa.Column("stages", sa.JSON, nullable=True),
        sa.Column("nap", sa.Boolean, nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tracker_nights"),
        sa.UniqueConstraint("source", "record_id", name="uq_tracker_nights_source_record"),
    )
    op.create_index("ix_tracker_nights_night", "tracker_nights", ["night"])


def downgrade() -> None:
    op.drop_index("ix_tracker_nights_night", table_name="tracker_nights")
    op.drop_table("tracker_nights")
