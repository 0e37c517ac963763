"""Expiry watch: calendar feed addresses and the webhook's record of thresholds announced.

Revision ID: 0003_expiry_watch
Revises: 0002_case_facts
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_expiry_watch"
down_revision = "0002_case_facts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_calendar_feeds_token_hash", "calendar_feeds", ["token_hash"], unique=True)
    op.create_index("ix_calendar_feeds_user_id", "calendar_feeds", ["user_id"])
    op.create_index("ix_calendar_feeds_case_id", "calendar_feeds", ["case_id"])
    op.create_table(
        "expiry_notices",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("threshold_days", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "expires_at", "threshold_days"),
    )


def downgrade():
    op.drop_table("expiry_notices")
    op.drop_table("calendar_feeds")
