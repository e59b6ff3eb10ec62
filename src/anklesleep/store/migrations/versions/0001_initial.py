"""The first schema: sessions, sleep diary, symptoms, settings, experiments.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from anklesleep.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("routine", sa.String(40), nullable=False),
        sa.Column("slot", sa.String(10), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("utc_offset_minutes", sa.Integer, nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("planned_seconds", sa.Float, nullable=False),
        sa.Column("completed_seconds", sa.Float, nullable=False),
        sa.Column("completed", sa.Boolean, nullable=False),
        sa.Column("steps_done", sa.JSON, nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("uuid", name="uq_sessions_uuid"),
    )
    op.create_index("ix_sessions_local_date", "sessions", ["local_date"])
    op.create_table(
        "sleep_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("night", sa.Date, nullable=False),
        sa.Column("into_bed", sa.Time, nullable=False),
        sa.Column("tried_to_sleep", sa.Time, nullable=False),
        sa.Column("sol_minutes", sa.Integer, nullable=False),
        sa.Column("awakenings", sa.Integer, nullable=False),
        sa.Column("waso_minutes", sa.Integer, nullable=False),
        sa.Column("final_awakening", sa.Time, nullable=False),
        sa.Column("out_of_bed", sa.Time, nullable=False),
        sa.Column("quality", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sleep_entries"),
        sa.UniqueConstraint("night", name="uq_sleep_entries_night"),
    )
    op.create_table(
        "symptom_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("symptom", sa.String(20), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_symptom_entries"),
        sa.UniqueConstraint("day", "symptom", name="uq_symptom_entries_day_symptom"),
    )
    op.create_index("ix_symptom_entries_day", "symptom_entries", ["day"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("design", sa.JSON, nullable=False),
        sa.Column("schedule", sa.JSON, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_experiments"),
        sa.UniqueConstraint("uuid", name="uq_experiments_uuid"),
    )


def downgrade() -> None:
    for table in ("experiments", "settings", "symptom_entries", "sleep_entries", "sessions"):
        op.drop_table(table)
