"""The first schema: applications, syncs, recommendations, approvals, ledger, leases.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text_enum(*values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, length=16)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("environment", sa.String(100), nullable=True),
        sa.Column("synced_revision", sa.String(64), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_table(
        "syncs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"),
                  nullable=False, index=True),
        sa.Column("revision", sa.String(64), nullable=False),
        sa.Column("phase", _text_enum("pending", "running", "succeeded", "failed", "refused"),
                  nullable=False),
        sa.Column("controller", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=True),
    )
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"),
                  nullable=True, index=True),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(1000), nullable=False),
        sa.Column("branch", sa.String(300), nullable=True),
        sa.Column("status", _text_enum("open", "approved", "rejected", "merged"),
                  nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
    )
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recommendation_id", sa.Integer(), sa.ForeignKey("recommendations.id"),
                  nullable=False, index=True),
        sa.Column("approver", sa.String(200), nullable=False),
        sa.Column("decision", _text_enum("approved", "rejected"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", _utc(), nullable=False),
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(1000), nullable=False),
        sa.Column("application", sa.String(200), nullable=True, index=True),
        sa.Column("revision", sa.String(64), nullable=True),
        sa.Column("inputs_digest", sa.String(100), nullable=True),
        sa.Column("outcome", sa.String(100), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
    )


def downgrade() -> None:
    for table in ("leases", "ledger_entries", "approvals", "recommendations", "syncs",
                  "applications"):
        op.drop_table(table)
