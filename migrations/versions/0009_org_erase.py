"""A detail on audit-log entries: what an organization's export or erasure covered, without the organization.

An erasure is logged with its counts and an opaque erasure id (app/staff/organizations.py);
the name and domains of the erased organization are nowhere in the entry.

Revision ID: 0009_org_erase
Revises: 0008_follow
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_org_erase"
down_revision = "0008_follow"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade():
    # Adding a column rebuilds nothing, so the cases' search triggers (0002) are untouched.
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("detail", JSON_DOCUMENT, nullable=True))


def downgrade():
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("detail")
