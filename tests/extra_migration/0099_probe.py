"""A second migration used only by the kill test: several DDL steps after the newest one.

Revision ID: 0099_probe
Revises: the newest migration of the app (HEAD_REVISION), whichever it is
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from anklesleep.store.database import MIGRATIONS


def _app_head() -> str:
    """The app's newest revision, read from its migration scripts (the child process patches
    `HEAD_REVISION` to this probe, so that constant cannot be used here)."""
    import re

    found: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text("utf-8")
        rev = re.search(r'^revision = "([^"]+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', text, re.M)
        if rev and down:
            found[rev.group(1)] = down.group(1)
    (head,) = set(found) - {d for d in found.values() if d}
    return head


revision = "0099_probe"
down_revision = _app_head()
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
