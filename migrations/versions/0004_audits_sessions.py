"""Configuration audits, header proofs and tenant ids per case; a session version per staff account.

The audit keeps each pasted configuration with its date and findings, so that an
audit after the fix shows what changed; a header check records the proof of
attribution; sign-out and password or role changes raise the session version,
which ends the account's other sessions.

Revision ID: 0004_audits_sessions
Revises: 0003_expiry_watch
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004_audits_sessions"
down_revision = "0003_expiry_watch"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "case_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("accepted_domains", JSON_DOCUMENT, nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("ruleset_version", sa.String(length=20), nullable=False),
        sa.Column("findings", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_audits_case_id", "case_audits", ["case_id"])
    op.create_table(
        "case_header_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("via", sa.String(length=30), nullable=True),
        sa.Column("tenant_id", sa.String(length=36), nullable=True),
        sa.Column("proven", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_header_checks_case_id", "case_header_checks", ["case_id"])
    op.create_table(
        "case_tenants",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id"),
    )
    # Adding a column rebuilds nothing, so the cases' search triggers (0002) are untouched.
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("session_version")
    op.drop_table("case_tenants")
    op.drop_index("ix_case_header_checks_case_id", table_name="case_header_checks")
    op.drop_table("case_header_checks")
    op.drop_index("ix_case_audits_case_id", table_name="case_audits")
    op.drop_table("case_audits")
