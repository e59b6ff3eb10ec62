"""The database tables (SQLAlchemy Core). Migrations in `migrations/versions` create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)

from anklesleep.store.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: One guided session (terminal, web or imported), written at start and checkpointed per step.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("routine", String(40), nullable=False),
    Column("slot", String(10), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
    Column("utc_offset_minutes", Integer, nullable=False),
    Column("local_date", Date, nullable=False, index=True),
    Column("planned_seconds", Float, nullable=False),
    Column("completed_seconds", Float, nullable=False, default=0.0),
    Column("completed", Boolean, nullable=False, default=False),
    Column("steps_done", JSON, nullable=False),
    Column("options", JSON, nullable=False),
    Column("source", String(10), nullable=False),
    Column("played", JSON, nullable=True),  # [[start, end], ...] seconds of the track played
    Column("position_seconds", Float, nullable=True),  # where the player was last
)

#: One night of the Consensus Sleep Diary, keyed by the date of the morning after.
sleep_entries = Table(
    "sleep_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("night", Date, nullable=False, unique=True),
    Column("into_bed", Time, nullable=False),
    Column("tried_to_sleep", Time, nullable=False),
    Column("sol_minutes", Integer, nullable=False),
    Column("awakenings", Integer, nullable=False),
    Column("waso_minutes", Integer, nullable=False),
    Column("final_awakening", Time, nullable=False),
    Column("out_of_bed", Time, nullable=False),
    Column("quality", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", UTCDateTime(), nullable=False),
    # The IANA zone the clock times were read in, and which of a repeated hour's times was meant.
    Column("zone", String(64), nullable=False, default="UTC"),
    Column("fold", Integer, nullable=True),
)

#: One score (0-10) for one of the seven complaints on one day.
symptom_entries = Table(
    "symptom_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False, index=True),
    Column("symptom", String(20), nullable=False),
    Column("score", Integer, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("day", "symptom", name="uq_symptom_entries_day_symptom"),
)

#: User settings as JSON values under well-known keys (see `anklesleep.store.settings`).
settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

#: A personal randomized experiment: design, seed and block schedule, fixed before any outcome.
experiments = Table(
    "experiments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("status", String(12), nullable=False),
    Column("outcome", String(12), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("design", JSON, nullable=False),
    Column("schedule", JSON, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
)

#: One sleep period recorded by a tracker (Sleep as Android, Fitbit, Apple Health), kept apart
#: from the diary. Start and end are stored in UTC with the offset each was recorded in.
tracker_nights = Table(
    "tracker_nights",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(20), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("device", String(120), nullable=False, default=""),
    Column("start_at", UTCDateTime(), nullable=False),
    Column("start_offset_minutes", Integer, nullable=False),
    Column("end_at", UTCDateTime(), nullable=False),
    Column("end_offset_minutes", Integer, nullable=False),
    Column("night", Date, nullable=False, index=True),
    Column("in_bed_minutes", Integer, nullable=False),
    Column("asleep_minutes", Integer, nullable=True),
    Column("awake_minutes", Integer, nullable=True),
    Column("stages", JSON, nullable=True),  # {"deep": minutes, "light": …, "rem": …, "awake": …}
    Column("nap", Boolean, nullable=False, default=False),
    Column("imported_at", UTCDateTime(), nullable=False),
    UniqueConstraint("source", "record_id", name="uq_tracker_nights_source_record"),
)
