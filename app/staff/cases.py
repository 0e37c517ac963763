"""The case list: search, filters, keyset pages, the verdict of each case, its owner.

Every filter reads a stored, indexed column (app/staff/facts.py keeps them in step)
and a page is found from the previous page's last (updated_at, id), never by an
OFFSET or a full count: the list costs the same at a thousand cases or a million.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Integer, MetaData, Select, Table, Text, func, select, tuple_, union
from sqlalchemy.orm import lazyload

from app.web.analysis import StoredCertificateUnreadable, case_domains, case_report
from app.certs.model import BLOCKED
from app.extensions import db
from app.remediation.rules import IN_PROGRESS
from app.translate import plain
from app.store import OPEN, RESOLVED, Case, CaseDomain, CaseStep, normalize_reference
from app.wizard.forms.server import SERVER_CHOICES
from app.wizard.session import retention_cutoff

from .models import user_emails

PER_PAGE = 20
COUNT_CAP = 1000  # "1,000 or more": counting further would read every matching row
SERVER_LABELS = {choice.value: choice.label for choice in SERVER_CHOICES}
# The FTS5 trigram table over cases.search_text (SQLite; created by the migrations, kept
# in step by triggers). Not part of db.metadata: the ORM never writes it.
CASE_SEARCH = Table("case_search", MetaData(), Column("rowid", Integer), Column("search_text", Text))
MIN_SEARCH = 3  # trigram indexes find substrings of three characters or more


@dataclass(frozen=True)
class CaseRow:
    case: Case
    verdict: str
    domains: list[str]
    server: str
    owner: str | None


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    newer: str | None   # cursor of the page before (more recent cases), if any
    older: str | None   # cursor of the page after, if any
    total: int          # matching cases, counted up to COUNT_CAP
    capped: bool        # there are COUNT_CAP or more


def case_verdict(case: Case) -> str:
    """in_progress until the wizard is completed, then the certificate report's verdict."""
    if case.completed_at is None:
        return IN_PROGRESS
    try:
        report = case_report(case, _=plain)  # only the verdict is kept: no need to translate
    except StoredCertificateUnreadable:  # a stored chain that no longer reads cannot be relied on
        return BLOCKED
    return report.verdict if report else IN_PROGRESS


def server_kind(case: Case) -> str:
    return (case.answers.get("server") or {}).get("kind") or ""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(text: str):
    """The search box: one case by its exact reference, else cases whose reference,
    organization or an accepted domain contains the text."""
    reference = normalize_reference(text)
    if reference and db.session.scalar(select(Case.id).where(Case.reference == reference)) is not None:
        return Case.reference == reference
    if db.engine.dialect.name != "sqlite":
        # pg_trgm's GIN index serves LIKE; as a plain predicate the planner can also walk the
        # recency index instead when the text is in most cases ("com"): 5 ms, not 2 s, at 1M.
        return Case.search_text.like(_like(text), escape="\\")
    # SQLite: exact domains from their table, substrings from the FTS5 trigram table (three
    # characters or more), the ids united before the cases are read.
    ids = [select(CaseDomain.case_id).where(CaseDomain.domain == text)]
    if len(text) >= MIN_SEARCH:
        phrase = '"' + text.replace('"', '""') + '"'
        ids.append(select(CASE_SEARCH.c.rowid).where(CASE_SEARCH.c.search_text.op("MATCH")(phrase)))
    return Case.id.in_(union(*ids))


def case_query(text: str = "", verdict: str = "", server: str = "", resolved: str = "") -> Select:
    """Live cases matching the search and filters (unordered, unpaged)."""
    stmt = select(Case).where(Case.updated_at >= retention_cutoff())
    # Control characters match nothing a case holds, and a NUL is refused by both databases.
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ").strip().casefold()
    if text:
        stmt = stmt.where(_matching(text))
    if verdict:
        stmt = stmt.where(Case.verdict == verdict)
    if server:
        stmt = stmt.where(Case.server_kind == server)
    if resolved in (OPEN, RESOLVED):
        stmt = stmt.where(Case.status == resolved)
    return stmt


def encode_cursor(moment: datetime, case_id: int) -> str:
    return f"{moment.isoformat()}_{case_id}"


def decode_cursor(text: str | None) -> tuple[datetime, int] | None:
    """(updated_at, id) of a cursor this list made; None for anything else (a link edited by hand)."""
    moment, _sep, number = (text or "").rpartition("_")
    try:
        when, case_id = datetime.fromisoformat(moment), int(number)
    except ValueError:
        return None
    if when.tzinfo is not None or not 0 <= case_id < 2 ** 63:  # the database's integers are 64-bit
        return None
    return when, case_id


def keyset_page(stmt: Select, sort, *, descending: bool, older: str | None = None,
                newer: str | None = None) -> CasePage:
    """One page of ``stmt`` in (sort, id) order: after the cursor ``older``, or before ``newer``.

    Each page is an index range starting at its cursor, however deep in the list it is;
    the count stops at COUNT_CAP.
    """
    key = tuple_(sort, Case.id)
    forward = (sort.desc(), Case.id.desc()) if descending else (sort, Case.id)
    backward = (sort, Case.id) if descending else (sort.desc(), Case.id.desc())
    before, after = decode_cursor(older), decode_cursor(newer)
    if after and not before:
        found = list(db.session.scalars(stmt.where(key > after if descending else key < after)
                                        .order_by(*backward).limit(PER_PAGE + 1)))
        cases, has_newer, has_older = list(reversed(found[:PER_PAGE])), len(found) > PER_PAGE, True
    else:
        page = stmt.where(key < before if descending else key > before) if before else stmt
        found = list(db.session.scalars(page.order_by(*forward).limit(PER_PAGE + 1)))
        cases, has_newer, has_older = found[:PER_PAGE], before is not None, len(found) > PER_PAGE
    total = db.session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(Case.id).limit(COUNT_CAP).subquery()))

    def cursor(case: Case) -> str:
        return encode_cursor(getattr(case, sort.key), case.id)

    return CasePage(cases, cursor(cases[0]) if cases and has_newer else None,
                    cursor(cases[-1]) if cases and has_older else None, total, total >= COUNT_CAP)


def case_page(older: str | None = None, newer: str | None = None, **filters: str) -> CasePage:
    """One page of the case list, most recently changed first: the cases without their answers (a row
    shows only the accepted domains, which case_rows reads on their own)."""
    return keyset_page(case_query(**filters).options(lazyload(Case.steps)), Case.updated_at, descending=True,
                       older=older, newer=newer)


def accepted_domains(cases: list[Case]) -> dict[int, list[str]]:
    """Each case's accepted domains (case_domains), read from the domains step alone: loading every step of
    twenty cases, the certificate's among them, was a quarter of the list's time."""
    unloaded = [case.id for case in cases if "steps" not in case.__dict__]
    found = {case.id: case_domains(case) for case in cases if "steps" in case.__dict__}
    if unloaded:
        rows = db.session.execute(select(CaseStep.case_id, CaseStep.data).where(
            CaseStep.case_id.in_(unloaded), CaseStep.step == "domains"))
        found.update((case_id, list((data or {}).get("domains", []))) for case_id, data in rows)
    return found


def case_rows(cases: list[Case]) -> list[CaseRow]:
    owners = user_emails({c.owner_id for c in cases if c.owner_id})
    domains = accepted_domains(cases)
    return [CaseRow(case, case.verdict, domains.get(case.id, []), SERVER_LABELS.get(case.server_kind, ""),
                    owners.get(case.owner_id) if case.owner_id else None) for case in cases]
