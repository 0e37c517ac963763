"""The audit log: one row per staff action on a case."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.store import Case, utcnow

from .models import AuditEvent

OPENED, RESUMED, NOTE_ADDED, RESOLVED, REOPENED = "opened", "resumed", "note_added", "resolved", "reopened"
PICKED_UP, LINK_SHOWN, READ_LINK_SHOWN, CREATED, PLAN_VIEWED, READ_LINK_STOPPED = (
    "picked_up", "link_shown", "read_link_shown", "created", "plan_viewed", "read_link_stopped")
ORG_EXPORTED, ORG_ERASED = "org_exported", "org_erased"  # an organization's data (organizations.py)
LINK_MAILED = "link_mailed"

ACTION_LABELS = {
    OPENED: _l("Opened the case"),
    PLAN_VIEWED: _l("Viewed the customer's plan"),
    RESUMED: _l("Resumed the case in the wizard"),
    NOTE_ADDED: _l("Added a note"),
    RESOLVED: _l("Marked resolved"),
    REOPENED: _l("Reopened"),
    PICKED_UP: _l("Picked up the case"),
    LINK_SHOWN: _l("Showed the customer's secret link"),
    READ_LINK_SHOWN: _l("Showed the read-only report link"),
    READ_LINK_STOPPED: _l("Stopped the read-only report link"),
    CREATED: _l("Started the case"),
    ORG_EXPORTED: _l("Downloaded an organization's data"),
    ORG_ERASED: _l("Erased an organization's data"),
    LINK_MAILED: _l("Sent the customer's link by e-mail"),
}


def record(action: str, case: Case) -> None:
    """Log ``action`` by the signed-in user on ``case``; the caller commits."""
    db.session.add(AuditEvent(user_id=current_user.id, user_email=current_user.email, action=action,
                              case_id=case.id, case_reference=case.reference))


def recent_events(page: int, per_page: int = 50):
    return db.paginate(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
                       page=page, per_page=per_page, error_out=False)


def record_open(case: Case, quiet_minutes: int = 10) -> None:
    """Log an opening, unless this user already touched the case in the last minutes (redirects, reloads)."""
    last = db.session.scalar(
        select(AuditEvent.at).where(AuditEvent.case_id == case.id, AuditEvent.user_id == current_user.id)
        .order_by(AuditEvent.at.desc()).limit(1))
    if last is None or utcnow() - last > timedelta(minutes=quiet_minutes):
        record(OPENED, case)


# Sign-ins and second factors (issue 27): no case, and never a code or a secret, only what happened.
SIGNED_IN_BY = {method: "sign-in:" + method for method in ("password", "password+totp", "recovery-code")}
MFA_ENROLLED, RECOVERY_CODES_NEW, MFA_RESET = "mfa-enrolled", "recovery-codes-new", "mfa-reset"
REFUSED_BECAUSE = {reason: "refused:" + reason for reason in ("wrong-code", "reused-code", "locked", "unreadable-secret")}
ACTION_LABELS.update({
    SIGNED_IN_BY["password"]: _l("Signed in with a password"),
    SIGNED_IN_BY["password+totp"]: _l("Signed in with a password and an authenticator code"),
    SIGNED_IN_BY["recovery-code"]: _l("Signed in with a password and a recovery code"),
    MFA_ENROLLED: _l("Set up two-step verification"),
    RECOVERY_CODES_NEW: _l("Made new recovery codes"),
    MFA_RESET: _l("Two-step verification reset from the command line"),
    REFUSED_BECAUSE["wrong-code"]: _l("Sign-in refused: wrong code"),
    REFUSED_BECAUSE["reused-code"]: _l("Sign-in refused: a code already used"),
    REFUSED_BECAUSE["locked"]: _l("Sign-in refused: too many wrong codes, locked for a while"),
    REFUSED_BECAUSE["unreadable-secret"]: _l("Sign-in refused: the stored secret cannot be read (SECRET_KEY changed?)"),
})


def record_account(action: str, user) -> None:
    """Log ``action`` about ``user``'s own account (a sign-in, a second factor); the caller commits."""
    db.session.add(AuditEvent(user_id=user.id, user_email=user.email, action=action, case_reference=""))
