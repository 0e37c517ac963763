"""The facts the staff list filters on, stored with each case and kept in step with it.

Verdict, server kind, status, certificate expiry, search text and the domain rows
are derived from a case's answers. A flush hook recomputes them whenever a case is
saved (any view, the CLI, a test: nobody has to remember), and the verdict only when
its inputs changed, since the certificate analysis is the expensive part.
`flask refresh-cases` recomputes them for the cases whose verdict can move with the
clock (a certificate nearing or passing its expiry), without touching ``updated_at``.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from app.certs.domains import DomainError, normalize_domain
from app.certs.findings import NOTICE_DAYS
from app.certs.reading import CertificateInputError, read_certificates
from app.extensions import db
from app.remediation.rules import IN_PROGRESS
from app.store import OPEN, RESOLVED, Case, CaseDomain, CaseStep, utcnow
from app.web.analysis import case_domains

from .cases import case_verdict, server_kind
from .handoff import WATCHED, remember_change

VERDICT_INPUTS = ("certificate_pem", "private_key_dropped", "completed_at")
REFRESH_BATCH = 200


def certificate_expiry(case: Case) -> datetime | None:
    """The leaf certificate's notAfter (naive UTC, as every stored time), or None."""
    if not case.certificate_pem:
        return None
    try:
        leaf = read_certificates(case.certificate_pem.encode()).certificates[0]
        return leaf.not_valid_after_utc.replace(tzinfo=None)
    except (CertificateInputError, ValueError):
        return None


def domain_names(case: Case) -> set[str]:
    names = set()
    for text in case_domains(case):
        try:
            names.add(normalize_domain(text))
        except DomainError:
            continue
    return names


def listed_facts(case: Case) -> dict:
    """The cheap facts: from columns and answers, no certificate analysis."""
    return {
        "server_kind": server_kind(case)[:40],
        "status": RESOLVED if case.resolved_at is not None else OPEN,
        "search_text": " ".join([case.reference, case.organization or "", *sorted(domain_names(case))]).casefold(),
    }


def verdict_facts(case: Case, now: datetime | None = None) -> dict:
    """The verdict (the certificate analysis, through case_verdict) and the certificate's expiry."""
    return {"verdict": case_verdict(case) if case.completed_at is not None else IN_PROGRESS,
            "certificate_expires_at": certificate_expiry(case), "verdict_checked_at": now or utcnow()}


def _changed(case: Case, attribute: str) -> bool:
    return db.inspect(case).attrs[attribute].history.has_changes()


@event.listens_for(Session, "before_flush")
def _keep_facts(session: Session, _context, _instances) -> None:
    touched = [obj for obj in (*session.new, *session.dirty) if isinstance(obj, Case)]
    domains_saved = {obj.case for obj in (*session.new, *session.dirty)
                     if isinstance(obj, CaseStep) and obj.step == "domains" and obj.case is not None}
    for case in touched:
        for name, value in listed_facts(case).items():
            if getattr(case, name) != value:
                setattr(case, name, value)
        new = case in session.new
        if new or case in domains_saved or any(_changed(case, name) for name in VERDICT_INPUTS):
            for name, value in verdict_facts(case).items():
                setattr(case, name, value)
        if new or case in domains_saved:
            _set_domain_rows(case)


def _set_domain_rows(case: Case) -> None:
    wanted = domain_names(case)
    kept = [row for row in case.domain_rows if row.domain in wanted]
    have = {row.domain for row in kept}
    case.domain_rows = kept + [CaseDomain(domain=name) for name in sorted(wanted - have)]


def refresh_cases(everything: bool = False, now: datetime | None = None) -> int:
    """Recompute the stored facts; returns how many cases changed.

    By default only the cases whose verdict the clock can move: a certificate within
    NOTICE_DAYS of its expiry, or one that expired since its last check. ``everything``
    also covers the rest (after a change of trusted roots or of the analysis rules).
    Works in id order, ``REFRESH_BATCH`` cases per transaction.
    """
    now = now or utcnow()
    due = Case.certificate_pem.is_not(None)
    if not everything:
        due = due & (Case.certificate_expires_at <= now + timedelta(days=NOTICE_DAYS + 1)) & or_(
            Case.verdict_checked_at.is_(None), Case.verdict_checked_at < Case.certificate_expires_at)
    changed, last_id = 0, 0
    while True:
        batch = list(db.session.scalars(
            select(Case).where(due, Case.id > last_id).order_by(Case.id).limit(REFRESH_BATCH)))
        if not batch:
            return changed
        for case in batch:
            facts = {**listed_facts(case), **verdict_facts(case, now)}
            if any(getattr(case, name) != value for name, value in facts.items() if name != "verdict_checked_at"):
                changed += 1
            # The clock moved the verdict (a certificate expired): the webhook announces it as any change.
            remember_change(db.session, case, {name: getattr(case, name) for name in WATCHED
                                               if getattr(case, name) != facts[name]},
                            {name: facts[name] for name in WATCHED})
            # Core UPDATE that names updated_at: a recomputation is not a change of the case,
            # so it keeps its place in the list and its retention clock.
            db.session.execute(update(Case).where(Case.id == case.id)
                               .values(updated_at=Case.updated_at, **facts))
        last_id = batch[-1].id
        db.session.commit()
        db.session.expunge_all()
