"""Stored, indexed case facts for the staff list at a million cases; JSONB on PostgreSQL.

Adds the verdict, server kind, status, certificate expiry and search text columns
with one index per list filter in (updated_at, id) order, the case_domains table,
substring search (FTS5 trigram table on SQLite, pg_trgm GIN index on PostgreSQL),
and fills them in for the cases already there, with the app's own functions
(app/staff/facts.py), a batch at a time.

Revision ID: 0002_case_facts
Revises: 0001_initial
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_case_facts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

BATCH = 500
CASES = sa.table(
    "cases", sa.column("id", sa.Integer), sa.column("reference", sa.String), sa.column("organization", sa.String),
    sa.column("certificate_pem", sa.Text), sa.column("private_key_dropped", sa.Boolean),
    sa.column("completed_at", sa.DateTime), sa.column("resolved_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime), sa.column("verdict", sa.String), sa.column("server_kind", sa.String),
    sa.column("status", sa.String), sa.column("certificate_expires_at", sa.DateTime),
    sa.column("verdict_checked_at", sa.DateTime), sa.column("search_text", sa.Text))
STEPS = sa.table("case_steps", sa.column("case_id", sa.Integer), sa.column("step", sa.String),
                 sa.column("data", sa.JSON))
DOMAINS = sa.table("case_domains", sa.column("case_id", sa.Integer), sa.column("domain", sa.String))
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE case_search USING fts5(search_text, content='cases', content_rowid='id', "
    "tokenize='trigram')",
    "INSERT INTO case_search(case_search) VALUES ('rebuild')",
    "CREATE TRIGGER case_search_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER case_search_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO case_search(case_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER case_search_update AFTER UPDATE OF search_text ON cases BEGIN "
    "INSERT INTO case_search(case_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_cases_search_trgm ON cases USING gin (search_text gin_trgm_ops)",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("verdict", sa.String(16), nullable=False, server_default="in_progress"))
        batch.add_column(sa.Column("server_kind", sa.String(40), nullable=False, server_default=""))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(sa.Column("certificate_expires_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("verdict_checked_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch.drop_index("ix_cases_updated_at")
        batch.create_index("ix_cases_recent", ["updated_at", "id"])
        batch.create_index("ix_cases_verdict_recent", ["verdict", "updated_at", "id"])
        batch.create_index("ix_cases_server_recent", ["server_kind", "updated_at", "id"])
        batch.create_index("ix_cases_status_recent", ["status", "updated_at", "id"])
        batch.create_index("ix_cases_certificate_expires_at", ["certificate_expires_at"])
    op.create_table(
        "case_domains",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "domain"),
    )
    op.create_index("ix_case_domains_domain", "case_domains", ["domain"])
    if dialect == "postgresql":
        op.execute("ALTER TABLE case_steps ALTER COLUMN data TYPE JSONB USING data::jsonb")
    fill_in_facts()
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH if dialect == "postgresql" else []:
        op.execute(statement)


def fill_in_facts():
    """Derive every existing case's facts with the same functions the flush hook uses."""
    from app.staff.facts import domain_names, listed_facts, verdict_facts
    from app.store import Case, CaseStep

    bind, last_id = op.get_bind(), 0
    while True:
        rows = bind.execute(sa.select(CASES).where(CASES.c.id > last_id).order_by(CASES.c.id).limit(BATCH)).all()
        if not rows:
            return
        steps = {}
        for case_id, step, data in bind.execute(sa.select(STEPS).where(STEPS.c.case_id.in_([r.id for r in rows]))):
            steps.setdefault(case_id, []).append(CaseStep(step=step, data=data))
        for row in rows:
            # A transient Case: never added to a session, only read by the fact functions.
            case = Case(reference=row.reference, organization=row.organization, certificate_pem=row.certificate_pem,
                        private_key_dropped=row.private_key_dropped, completed_at=row.completed_at,
                        resolved_at=row.resolved_at, steps=steps.get(row.id, []))
            facts = {**listed_facts(case), **verdict_facts(case)}
            bind.execute(CASES.update().where(CASES.c.id == row.id).values(updated_at=row.updated_at, **facts))
            names = domain_names(case)
            if names:
                bind.execute(DOMAINS.insert(), [{"case_id": row.id, "domain": name} for name in sorted(names)])
        last_id = rows[-1].id


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE case_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_cases_search_trgm")
        op.execute("ALTER TABLE case_steps ALTER COLUMN data TYPE JSON USING data::json")
    op.drop_table("case_domains")
    with op.batch_alter_table("cases") as batch:
        for index in ("ix_cases_certificate_expires_at", "ix_cases_status_recent", "ix_cases_server_recent",
                      "ix_cases_verdict_recent", "ix_cases_recent"):
            batch.drop_index(index)
        batch.create_index("ix_cases_updated_at", ["updated_at"])
        for column in ("search_text", "verdict_checked_at", "certificate_expires_at", "status", "server_kind",
                       "verdict"):
            batch.drop_column(column)
