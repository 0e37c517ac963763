"""The visitor's case: the signed session cookie holds only its id."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, session

from app.store import Case, get_case, utcnow

SESSION_KEY = "case_id"


def is_live(case: Case) -> bool:
    retention = timedelta(days=current_app.config["CASE_RETENTION_DAYS"])
    return case.updated_at >= utcnow() - retention


def current_case() -> Case | None:
    case = get_case(session.get(SESSION_KEY))
    return case if case is not None and is_live(case) else None


def open_case(case: Case) -> None:
    session.clear()
    session[SESSION_KEY] = case.id
    session.permanent = True


def case_for_reference(reference: str) -> Case:
    """The visitor's own case by reference, or 404 (never someone else's)."""
    case = current_case()
    if case is None or case.reference != reference:
        abort(404)
    return case
