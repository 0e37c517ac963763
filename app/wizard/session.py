"""The visitor's case: the signed session cookie holds only its id."""
from __future__ import annotations

import functools
from datetime import timedelta

from flask import abort, current_app, make_response, redirect, session, url_for
from flask_babel import gettext
from flask_login import current_user

from app.errors import render_error
from app.store import Case, case_version, find_by_reference, get_case, utcnow

SESSION_KEY = "case_id"
STAFF_ACTIVITY_KEY = "staff_seen"
STAFF_METHOD_KEY = "staff_sign_in_method"  # how the session signed in: "password", "password+totp", ...
# A signed-in staff member stays signed in when switching cases (Flask-Login's keys, then ours).
STAFF_SESSION_KEYS = ("_user_id", "_fresh", "_id", STAFF_ACTIVITY_KEY, STAFF_METHOD_KEY)


def is_live(case: Case) -> bool:
    return within_retention(case.updated_at)


def retention_cutoff(now=None, settings=None):
    """The oldest last change a live case may have (CASE_RETENTION_DAYS before ``now``): older cases are
    gone for everyone. ``settings``: the app's, outside its context (app/reports/early.py)."""
    days = (current_app.config if settings is None else settings)["CASE_RETENTION_DAYS"]
    return (now or utcnow()) - timedelta(days=days)


def within_retention(updated_at, settings=None) -> bool:
    return updated_at >= retention_cutoff(settings=settings)


def current_case() -> Case | None:
    case = get_case(session.get(SESSION_KEY))
    return case if case is not None and is_live(case) else None


def staff_own_case_version(reference: str) -> tuple | None:
    """(id, updated_at, completed_at, owner_id) of the case open in a staff member's browser when it is
    ``reference``, without loading the case: a page kept for that version can be served as it is (a
    customer's is read with the help desk's notice, app/staff/customer_notice.py)."""
    case_id = session.get(SESSION_KEY)
    version = case_version(case_id)
    if version is None or version.reference != reference or not within_retention(version.updated_at):
        return None
    return case_id, version.updated_at, version.completed_at, version.owner_id


def forget_case() -> None:
    """Leave the case in this browser (it stays saved); a staff sign-in stays."""
    kept = {key: session[key] for key in STAFF_SESSION_KEYS if key in session}
    session.clear()
    session.update(kept)


def open_case(case: Case) -> None:
    forget_case()
    session[SESSION_KEY] = case.id
    session.permanent = True


def staff_case(reference: str) -> Case | None:
    """Any live case, for a signed-in staff member only."""
    if not current_user.is_authenticated:
        return None
    case = find_by_reference(reference)
    return case if case is not None and is_live(case) else None


def case_for_reference(reference: str) -> Case:
    """The visitor's own case by reference (staff: any case), or 404 (never someone else's)."""
    case = current_case()
    if case is None or case.reference != reference:
        case = staff_case(reference)
    if case is None:
        abort(_case_not_open())
    return case


def _case_not_open():
    """A case this browser cannot open: say how to get in (its link, or its reference and organization).

    The same page whether the reference exists or not, so it tells a stranger nothing."""
    return make_response(*render_error(
        404, "case_not_open", gettext("This case is not open in this browser"),
        gettext("Open it with the link you were given for it, or resume it with its reference and your "
                "organization's name. Help-desk staff: sign in first."),
        back=(url_for("wizard.resume"), gettext("Resume a case"))))


def case_required(view):
    """Give the view the visitor's case; without one, start the wizard."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        case = current_case()
        if case is None:
            return redirect(url_for("wizard.start"))
        return view(case, *args, **kwargs)
    return wrapper
