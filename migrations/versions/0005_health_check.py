"""The health check's row: /healthz rewrites it and commits, so only a database that takes writes passes.

Revision ID: 0005_health_check
Revises: 0004_audits_sessions
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_health_check"
down_revision = "0004_audits_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "health_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("health_checks")
