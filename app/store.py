"""Persistence of cases: one record per wizard run, its answers stored per step.

Answers live in one row per step so that two requests saving different steps
of the same case (two tabs, two workers) never overwrite each other.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, bindparam, delete, event, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from .extensions import db
from .remediation.rules import IN_PROGRESS

OPEN, RESOLVED = "open", "resolved"
PURGE_BATCH = 500  # cases deleted per transaction: bounded memory and lock time at any size
# JSONB on PostgreSQL: stored parsed, so it can be indexed and queried; plain JSON text elsewhere.
JSON_DOCUMENT = JSON().with_variant(JSONB(), "postgresql")

# Crockford's base32 without I, L, O, U: easy to read out over the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_reference() -> str:
    """A short reference like KB-7F3K-92QD (40 random bits)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"KB-{chars[:4]}-{chars[4:]}"


def normalize_reference(text: str) -> str:
    """Accept what a customer reads out: any case, spaces, O for 0, missing dashes."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if cleaned.startswith("KB"):
        cleaned = cleaned[2:]
    return f"KB-{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else ""


class Case(db.Model):
    __tablename__ = "cases"
    # The staff list reads a page of the most recent cases, optionally of one verdict, server
    # kind or status: each index serves one of those in (updated_at, id) order, so a page is a
    # short index range at any size (app/staff/cases.py).
    __table_args__ = (
        Index("ix_cases_recent", "updated_at", "id"),
        Index("ix_cases_verdict_recent", "verdict", "updated_at", "id"),
        Index("ix_cases_server_recent", "server_kind", "updated_at", "id"),
        Index("ix_cases_status_recent", "status", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    # The secret link's token. Stored as is: it guards the very rows it sits
    # in, so a hash would protect nothing a database reader cannot see anyway.
    secret_token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    organization: Mapped[str] = mapped_column(String(200), default="")
    certificate_pem: Mapped[str | None] = mapped_column(Text, nullable=True)
    private_key_dropped: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Help-desk workspace (app/staff): who owns the case, when it was resolved,
    # and the token of the read-only report link (made on demand).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    read_token: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    # Facts derived from the answers, stored so the staff list can filter and sort by them
    # with an index. app/staff/facts.py keeps them in step whenever the case is saved, and
    # `flask refresh-cases` recomputes them as certificates age; nothing else writes them.
    verdict: Mapped[str] = mapped_column(String(16), default=IN_PROGRESS, server_default=IN_PROGRESS)
    server_kind: Mapped[str] = mapped_column(String(40), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default=OPEN, server_default=OPEN)
    certificate_expires_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    verdict_checked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Reference, organization and accepted domains, casefolded: what the search box matches
    # (FTS5 trigram table on SQLite, pg_trgm index on PostgreSQL; see migrations/).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    steps: Mapped[list[CaseStep]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin"
    )
    domain_rows: Mapped[list[CaseDomain]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def answers(self) -> dict[str, dict]:
        return {step.step: step.data for step in self.steps}

    def touch(self) -> None:
        self.updated_at = utcnow()


class CaseStep(db.Model):
    __tablename__ = "case_steps"
    __table_args__ = (UniqueConstraint("case_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON_DOCUMENT, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    case: Mapped[Case] = relationship(back_populates="steps")


class CaseDomain(db.Model):
    """One accepted domain of a case: finds every case of a domain through an index."""

    __tablename__ = "case_domains"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), primary_key=True, index=True)


class HealthCheck(db.Model):
    """One row that /healthz rewrites and commits: only a database that takes a write to disk passes."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL and a busy timeout let several gunicorn workers write one SQLite file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def create_case(organization: str) -> Case:
    """A new case, flushed (it has its id) but not committed: the caller's save commits it with its first
    answer in one transaction, so that a crash or a refused write between the two never leaves a case
    without its first step."""
    for _attempt in range(5):
        reference = new_reference()
        if db.session.scalar(select(Case.id).where(Case.reference == reference)) is None:
            break
    case = Case(reference=reference, secret_token=secrets.token_urlsafe(24), organization=organization)
    db.session.add(case)
    db.session.flush()
    return case


def save_step(case: Case, step: str, data: dict) -> None:
    row = next((s for s in case.steps if s.step == step), None)
    if row is None:
        case.steps.append(CaseStep(step=step, data=data))
    else:
        row.data = data
    case.touch()
    db.session.commit()


def clear_step(case: Case, step: str) -> None:
    """Forget a step's answer whose basis changed (a new certificate voids the chosen domain)."""
    for row in [s for s in case.steps if s.step == step]:
        case.steps.remove(row)


def get_case(case_id: int | None) -> Case | None:
    # Every case page needs the answers: one query with a join instead of two, built once (building the
    # statement and its loader option on every page cost a fifth of loading the case).
    return db.session.execute(_CASE_QUERY, {"case_id": case_id}).unique().scalar_one_or_none() if case_id else None


_CASE_QUERY = select(Case).where(Case.id == bindparam("case_id")).options(joinedload(Case.steps))


def case_version(case_id: int | None):
    """(reference, updated_at, completed_at, owner_id) of a case without loading it or its answers,
    or None: enough to find what was made for this version of it. The owner is read too: a deleted
    staff account clears it in the database without a new version.

    On a pooled connection of its own, as Core: a page kept for the version then opens no ORM session
    (its transaction's begin and close cost as much as the query).
    """
    if not case_id:
        return None
    with db.engine.connect() as connection:
        return connection.execute(_VERSION_QUERY, {"case_id": case_id}).first()


# Built once, from the table's columns: no ORM entity to load, no statement to build per request.
_VERSION_QUERY = select(Case.__table__.c.reference, Case.__table__.c.updated_at, Case.__table__.c.completed_at,
                        Case.__table__.c.owner_id).where(Case.__table__.c.id == bindparam("case_id"))


def find_by_token(token: str) -> Case | None:
    case = db.session.scalar(select(Case).where(Case.secret_token == token))
    # Compare again in constant time: the index lookup is not.
    if case is not None and hmac.compare_digest(case.secret_token, token):
        return case
    return None


def find_by_reference(reference: str, organization: str | None = None) -> Case | None:
    """The reference alone opens nothing for the public: the organization must match too."""
    case = db.session.scalar(select(Case).where(Case.reference == normalize_reference(reference)))
    if case is None or organization is None:
        return case
    if _organization_key(case.organization) != _organization_key(organization):
        return None
    return case


def _organization_key(name: str) -> str:
    """An organization as a person types it again: case, spaces and a final full stop do not count
    ("Contoso Ltd", "contoso  ltd.")."""
    return " ".join(name.casefold().split()).removesuffix(".").rstrip()


def purge_expired(retention_days: int, now: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete cases unchanged since the retention cut-off, ``batch`` at a time, oldest first.

    Each batch is its own transaction: memory and locks stay bounded however many cases
    expired, and the database's ON DELETE CASCADE takes each case's answers, domains and
    notes with it.
    """
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    removed = 0
    while True:
        ids = list(db.session.scalars(
            select(Case.id).where(Case.updated_at < cutoff).order_by(Case.updated_at, Case.id).limit(batch)))
        if not ids:
            return removed
        db.session.execute(delete(Case).where(Case.id.in_(ids)), execution_options={"synchronize_session": False})
        db.session.commit()
        removed += len(ids)

