"""Following a case live: who follows it, where the customer is, notes for the customer, agents' names.

``case_followers`` holds one row per staff member following a case, with the moment of
their last poll: the customer's pages say who follows while it is recent. ``case_positions``
holds the page the customer last opened. A note may be written for the customer
(``case_notes.for_customer``) and is marked read once a page has shown it.

Revision ID: 0008_follow
Revises: 0007_mfa
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_follow"
down_revision = "0007_mfa"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_followers",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "user_id"),
    )
    op.create_table(
        "case_positions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.add_column("case_notes", sa.Column("for_customer", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("case_notes", sa.Column("read_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("display_name", sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("display_name")
    with op.batch_alter_table("case_notes") as batch:
        batch.drop_column("read_at")
        batch.drop_column("for_customer")
    op.drop_table("case_positions")
    op.drop_table("case_followers")
