"""The case list: search, filters, the verdict of each case, its owner."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from threading import Lock

from cachetools import TTLCache, cached
from flask import current_app
from sqlalchemy import Select, String, cast, exists, or_, select

from app.web.analysis import case_domains, case_report
from app.certs.model import BLOCKED
from app.certs.reading import CertificateInputError
from app.extensions import db
from app.remediation.rules import IN_PROGRESS
from app.store import Case, CaseStep, normalize_reference, utcnow
from app.wizard.forms.server import SERVER_CHOICES

from .models import user_emails

PER_PAGE = 20
SERVER_LABELS = {choice.value: choice.label for choice in SERVER_CHOICES}


@dataclass(frozen=True)
class CaseRow:
    case: Case
    verdict: str
    domains: list[str]
    server: str
    owner: str | None


def case_verdict(case: Case) -> str:
    """in_progress until the wizard is completed, then the certificate report's verdict."""
    return _report_verdict(case) if case.completed_at is not None else IN_PROGRESS


# The list shows many cases per page and the verdict filter checks them all: keep
# each verdict until its case changes, or for an hour (expiry findings move with time).
@cached(TTLCache(maxsize=4096, ttl=3600), lock=Lock(), key=lambda case: (case.id, case.updated_at))
def _report_verdict(case: Case) -> str:
    try:
        report = case_report(case)
    except CertificateInputError:  # a stored chain that no longer reads cannot be relied on
        return BLOCKED
    return report.verdict if report else IN_PROGRESS


def server_kind(case: Case) -> str:
    return (case.answers.get("server") or {}).get("kind") or ""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _step_has(step: str, condition) -> exists:
    return exists(select(CaseStep.id).where(CaseStep.case_id == Case.id, CaseStep.step == step, condition))


def case_query(text: str = "", verdict: str = "", server: str = "", resolved: str = "") -> Select:
    """Live cases matching the search and filters, most recently changed first."""
    cutoff = utcnow() - timedelta(days=current_app.config["CASE_RETENTION_DAYS"])  # as is_live()
    stmt = select(Case).where(Case.updated_at >= cutoff)
    text = text.strip()
    if text:
        term = _like(text)
        matches = [Case.organization.ilike(term, escape="\\"), Case.reference.ilike(term, escape="\\"),
                   _step_has("domains", cast(CaseStep.data, String).ilike(term, escape="\\"))]
        if normalize_reference(text):
            matches.append(Case.reference == normalize_reference(text))
        stmt = stmt.where(or_(*matches))
    if server:
        stmt = stmt.where(_step_has("server", CaseStep.data["kind"].as_string() == server))
    if resolved == "open":
        stmt = stmt.where(Case.resolved_at.is_(None))
    elif resolved == "resolved":
        stmt = stmt.where(Case.resolved_at.is_not(None))
    if verdict == IN_PROGRESS:
        stmt = stmt.where(Case.completed_at.is_(None))
    elif verdict:
        # The verdict comes from the certificate analysis, not from a column.
        completed = db.session.scalars(stmt.where(Case.completed_at.is_not(None)))
        stmt = select(Case).where(Case.id.in_([c.id for c in completed if case_verdict(c) == verdict]))
    return stmt.order_by(Case.updated_at.desc(), Case.id.desc())


def case_page(page: int, **filters: str):
    return db.paginate(case_query(**filters), page=page, per_page=PER_PAGE, error_out=False, max_per_page=PER_PAGE)


def case_rows(cases: list[Case]) -> list[CaseRow]:
    owners = user_emails({c.owner_id for c in cases if c.owner_id})
    return [CaseRow(case, case_verdict(case), case_domains(case), SERVER_LABELS.get(server_kind(case), ""),
                    owners.get(case.owner_id) if case.owner_id else None) for case in cases]
