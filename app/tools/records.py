"""What a case keeps of its checks: each configuration audit with its date, each header proof, its tenant id.

The tables hang off cases with ON DELETE CASCADE, so purging a case purges them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.audit.history import summary
from app.audit.model import Audit
from app.diagnose.headers import HeaderReading
from app.extensions import db
from app.store import JSON_DOCUMENT, Case, utcnow


class CaseAudit(db.Model):
    __tablename__ = "case_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()                  # 1, 2, ... within the case
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)                # the paste: audits are made again from it, as of created_at
    accepted_domains: Mapped[list] = mapped_column(JSON_DOCUMENT, default=list)
    verdict: Mapped[str] = mapped_column(String(20))
    ruleset_version: Mapped[str] = mapped_column(String(20))
    findings: Mapped[list] = mapped_column(JSON_DOCUMENT, default=list)   # history.summary(): compared with the next audit


class CaseHeaderCheck(db.Model):
    __tablename__ = "case_header_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    verdict: Mapped[str] = mapped_column(String(20))
    via: Mapped[str | None] = mapped_column(String(30), nullable=True)
    tenant_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    proven: Mapped[bool] = mapped_column(default=False)


class CaseTenant(db.Model):
    """The tenant id the customer gave, to compare with the one in a test message's headers."""

    __tablename__ = "case_tenants"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def save_audit(case: Case, audit: Audit, text: str, domains: list[str]) -> CaseAudit:
    last = db.session.scalar(select(func.max(CaseAudit.number)).where(CaseAudit.case_id == case.id)) or 0
    record = CaseAudit(case_id=case.id, number=last + 1, created_at=audit.made_at.replace(tzinfo=None), text=text,
                       accepted_domains=domains, verdict=audit.verdict, ruleset_version=audit.ruleset_version,
                       findings=summary(audit.findings))
    db.session.add(record)
    case.touch()
    db.session.commit()
    return record


def audits_for(case: Case) -> list[CaseAudit]:
    """Newest first."""
    return list(db.session.scalars(select(CaseAudit).where(CaseAudit.case_id == case.id)
                                   .order_by(CaseAudit.number.desc())))


def audit_number(case: Case, number: int) -> CaseAudit | None:
    return db.session.scalar(select(CaseAudit).where(CaseAudit.case_id == case.id, CaseAudit.number == number))


def save_header_check(case: Case, reading: HeaderReading) -> CaseHeaderCheck:
    record = CaseHeaderCheck(case_id=case.id, verdict=reading.verdict, via=reading.via, tenant_id=reading.tenant_id,
                             proven=reading.proven)
    db.session.add(record)
    case.touch()
    db.session.commit()
    return record


def proof_for(case: Case) -> CaseHeaderCheck | None:
    """The first header check that proved attribution through the certificate connector."""
    return db.session.scalar(select(CaseHeaderCheck).where(CaseHeaderCheck.case_id == case.id,
                                                           CaseHeaderCheck.proven.is_(True))
                             .order_by(CaseHeaderCheck.created_at))


def tenant_for(case: Case) -> str | None:
    row = db.session.get(CaseTenant, case.id)
    return row.tenant_id if row else None


def set_tenant(case: Case, tenant_id: str) -> None:
    row = db.session.get(CaseTenant, case.id)
    if row is None:
        db.session.add(CaseTenant(case_id=case.id, tenant_id=tenant_id))
    else:
        row.tenant_id = tenant_id
    db.session.commit()
