"""Rendered PDFs kept for a second download or the help desk's e-mail (app/reports/pdf_store.py).

One row per PDF, keyed by a digest of what it shows; each points at its case, so that erasing an
organization or purging an expired case takes its PDFs with it (ON DELETE CASCADE).

Revision ID: 0010_rendered_pdfs
Revises: 0009_org_erase
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_rendered_pdfs"
down_revision = "0009_org_erase"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rendered_pdfs",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_rendered_pdfs_case_id", "rendered_pdfs", ["case_id"])
    op.create_index("ix_rendered_pdfs_created_at", "rendered_pdfs", ["created_at"])


def downgrade():
    op.drop_index("ix_rendered_pdfs_created_at", table_name="rendered_pdfs")
    op.drop_index("ix_rendered_pdfs_case_id", table_name="rendered_pdfs")
    op.drop_table("rendered_pdfs")
