"""Everything the database keeps of one customer organization: found, exported as one document, erased.

An organization is the name on its cases, compared as a person types it again (case, spaces
and a final full stop do not count: app/store.py). What belongs to it is every case of that
name and every row of every table that points at one of those cases (answers, domains, notes,
the audit log's entries on them, configuration audits, header proofs, tenant ids, expiry
notices, calendar addresses, and any table added later with a foreign key to ``cases``): the
tables are read from the models' metadata, not listed here, so a new one is never forgotten.
A table marked ``info={"derived": True}`` (the rendered PDFs: app/reports/pdf_store.py) holds only
what is made again from the case: it is erased with the case but left out of the export.

The export leaves out the secret tokens (keys to the cases, not the customer's data). The
erasure deletes all of it in one transaction and logs one audit entry with who, when, the
counts and a random erasure id: nothing in it leads back to the organization. A salted hash of
the name was not chosen: anyone holding the database and the salt could confirm a guessed name.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Column, Table, delete, func, select

from app.extensions import db
from app.store import Case, _organization_key as organization_key, utcnow

from .audit import ORG_ERASED as ERASED, ORG_EXPORTED as EXPORTED
from .cases import MIN_SEARCH, _like, _matching
from .models import AuditEvent, user_emails

FORMAT = "kb3169958-organization-export/1"
SECRET_COLUMNS = {"secret_token", "read_token", "token_hash"}  # keys to a case, not the customer's data
STAFF_COLUMNS = {"owner_id", "author_id", "user_id"}
CHUNK = 500  # ids per statement: bounded statements at any size


@dataclass(frozen=True)
class Erasure:
    erasure_id: str
    cases: int
    rows: int  # rows of the linked tables, answers and audit entries included


def case_ids(name: str) -> list[int]:
    """The ids of every case of the organization ``name`` (live or expired), oldest first."""
    key = organization_key(name)
    if not key:
        return []
    word = max(key.split(), key=len)
    # An index narrows the candidates to cases holding the name's longest word; the name decides.
    narrowed = _matching(word) if len(word) >= MIN_SEARCH else func.lower(Case.organization).like(_like(word), escape="\\")
    rows = db.session.execute(select(Case.id, Case.organization).where(narrowed).order_by(Case.id))
    return [case_id for case_id, organization in rows if organization_key(organization) == key]


def linked_tables() -> list[tuple[Table, Column]]:
    """Every table with a foreign key to ``cases``, with that column."""
    cases = Case.__table__
    return [(table, key.parent) for table in db.metadata.sorted_tables if table is not cases
            for key in table.foreign_keys if key.column.table is cases]


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _plain(value):
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _row(row, skip: set[str]) -> dict:
    return {name: _plain(value) for name, value in row._mapping.items() if name not in skip}


def export(name: str) -> dict | None:
    """The organization's whole record as one JSON-ready document; None when it has no case."""
    ids = case_ids(name)
    if not ids:
        return None
    cases: dict[int, dict] = {}
    staff_ids: set[int] = set()
    case_table = Case.__table__
    for chunk in _chunks(ids):
        for row in db.session.execute(select(case_table).where(case_table.c.id.in_(chunk)).order_by(case_table.c.id)):
            cases[row.id] = _row(row, SECRET_COLUMNS)
            staff_ids.update(getattr(row, column) for column in STAFF_COLUMNS if getattr(row, column, None))
        for table, column in linked_tables():
            if table.info.get("derived"):  # made again from the case on demand (the kept PDFs): not the record
                continue
            order = [c for c in table.primary_key.columns]
            for row in db.session.execute(select(table).where(column.in_(chunk)).order_by(*order)):
                record = _row(row, SECRET_COLUMNS | {column.name})
                staff_ids.update(record[c] for c in STAFF_COLUMNS if record.get(c))
                cases[row._mapping[column.name]].setdefault(table.name, []).append(record)
    staff = user_emails(staff_ids)
    return {
        "format": FORMAT,
        "organization": name.strip(),
        "exported_at": utcnow().isoformat(),
        "staff": {str(user_id): email for user_id, email in sorted(staff.items())},
        "cases": [cases[case_id] for case_id in ids],
    }


def record(action: str, who: str, user_id: int | None, detail: dict) -> None:
    """An audit entry about a whole organization: who, when and ``detail`` (counts, ids), never the name."""
    db.session.add(AuditEvent(user_id=user_id, user_email=who[:254], action=action, detail=detail))


def erase(name: str, who: str, user_id: int | None = None) -> Erasure | None:
    """Delete every case of the organization and everything pointing at them, and log it, in one transaction."""
    ids = case_ids(name)
    if not ids:
        return None
    rows = 0
    try:
        for chunk in _chunks(ids):
            for table, column in linked_tables():
                rows += db.session.execute(delete(table).where(column.in_(chunk))).rowcount
            db.session.execute(delete(Case).where(Case.id.in_(chunk)), execution_options={"synchronize_session": False})
        erasure = Erasure(erasure_id="ER-" + secrets.token_hex(6).upper(), cases=len(ids), rows=rows)
        record(ERASED, who, user_id, {"erasure_id": erasure.erasure_id, "cases": erasure.cases, "rows": rows})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.expunge_all()  # the erased cases' objects must not be flushed back
    return erasure
