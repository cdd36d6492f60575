"""Reconcile: who synced an application and when, its last drift check, a sync's
trigger and summary, the write journal, and per-field drift counts for fight detection.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("applications") as table:
        table.add_column(sa.Column("synced_at", _utc(), nullable=True))
        table.add_column(sa.Column("synced_by", sa.String(200), nullable=True))
        table.add_column(sa.Column("drifted_fields", sa.Integer(), nullable=True))
        table.add_column(sa.Column("checked_at", _utc(), nullable=True))
    with op.batch_alter_table("syncs") as table:
        table.add_column(sa.Column("trigger", sa.String(32), nullable=False,
                                   server_default="manual"))
        table.add_column(sa.Column("summary", sa.JSON(), nullable=False,
                                   server_default="{}"))
    op.create_table(
        "journal_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sync_id", sa.Integer(), sa.ForeignKey("syncs.id"), nullable=False,
                  index=True),
        sa.Column("application", sa.String(200), nullable=False, index=True),
        sa.Column("key", sa.String(64), nullable=False, index=True),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("physical_id", sa.String(1000), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=True),
    )
    op.create_table(
        "field_drifts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application", sa.String(200), nullable=False, index=True),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("heals", sa.Integer(), nullable=False),
        sa.Column("fighting", sa.Boolean(), nullable=False),
        sa.Column("writer", sa.String(300), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("field_drifts")
    op.drop_table("journal_steps")
    with op.batch_alter_table("syncs") as table:
        table.drop_column("summary")
        table.drop_column("trigger")
    with op.batch_alter_table("applications") as table:
        table.drop_column("checked_at")
        table.drop_column("drifted_fields")
        table.drop_column("synced_by")
        table.drop_column("synced_at")
