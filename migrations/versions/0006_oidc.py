"""Staff identities at an OpenID provider: (issuer, subject) once each, linked to a staff account.

An account made by an OpenID Connect sign-in is found again by the provider's issuer and
subject, never by its e-mail address, so a local account with the same address is not taken over.

Revision ID: 0006_oidc
Revises: 0005_health_check
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_oidc"
down_revision = "0005_health_check"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_oidc_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=512), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject", name="uq_staff_oidc_identities_issuer_subject"),
    )
    op.create_index("ix_staff_oidc_identities_user_id", "staff_oidc_identities", ["user_id"])


def downgrade():
    op.drop_index("ix_staff_oidc_identities_user_id", table_name="staff_oidc_identities")
    op.drop_table("staff_oidc_identities")
