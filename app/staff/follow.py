"""Following a case live from the staff case page, and the agent's note for the customer.

static/js/follow.js polls GET /staff/cases/<reference>/live every POLL_SECONDS with the
ETag of what it shows. The answer is 304 Not Modified while nothing changed, most often given
before Flask's request cycle by app/staff/live_poll.py from this module's checks: the poll then
costs one indexed query over the session's account, the case, its customer's page, its notes
for the customer and this follower's row (app/staff/presence.py), and on every third poll a
write of that row. Polls of a visible page count as staff activity (STAFF_IDLE_MINUTES); the
script does not poll from a hidden tab. When something changed, it answers {"html": fragment},
rendered (and escaped) by the server, which the script swaps into a region with
aria-live="polite". Nothing a poll needs is kept in a worker (it keeps only the session cookies
it verified, live_poll.py): any instance answers.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db, login_manager
from app.reports.plan import verdict_reasons
from app.store import Case
from app.web.analysis import case_report, unreadable_reason
from app.web.templating import current_locale, format_day
from app.wizard.session import within_retention
from app.wizard.steps import BY_NAME
from app.wizard.summary import check_rows

from . import audit, bp
from .auth import ended, session_account
from .forms import CustomerNoteForm
from .handoff import ticket_summary
from .models import CaseNote
from .presence import live_state, note_following, poll_connection
from .views import _case, _render_case, summary_context  # the case page's own lookup and rendering: one code path

live_bp = Blueprint("staff_live", __name__, url_prefix="/staff")
LIVE_RULE = "/cases/<reference>/live"
SIGNED_OUT, GONE = "signed out", "gone"  # what a poll finds besides a case's state: polled_state
POLL_SECONDS = 2
RECENT_CUSTOMER_NOTES = 3
PAGE_NAMES = {"check": _l("Check your answers"), "result": _l("The plan")}


def page_name(step: str | None) -> str | None:
    """What the customer's page is called on the staff page (a step's title, the check page, the plan)."""
    if step is None:
        return None
    if step in BY_NAME:
        return str(BY_NAME[step].title)
    return str(PAGE_NAMES.get(step, step))


def live_view(case: Case, state=None) -> dict:
    """What the live region shows: the customer's page, their answers, the certificate, the plan's verdict."""
    if state is None:
        with poll_connection() as connection:
            state = live_state(connection, case.reference, current_user.id)
    unreadable = unreadable_reason(case)
    report = None if unreadable else case_report(case)
    answered = set(case.answers)
    return {
        "case": case,
        "position": page_name(state.step if state else None),
        "rows": [row for row in check_rows(case, certificate_unreadable=bool(unreadable)) if row.step in answered],
        "report": report,
        "unreadable": unreadable,
        "verdict": case.verdict,
        "reasons": [] if unreadable or case.completed_at is None else verdict_reasons(case),
        "customer_notes": recent_customer_notes(case),
        "etag": live_etag(state, current_locale()) if state else "",
        "poll_ms": POLL_SECONDS * 1000,
    }


def expiry_sentence(case: Case) -> str:
    """The case page's line on the certificate's expiry (its "Expiry reminder"), kept live by the poll."""
    if case.certificate_expires_at:
        return _("The certificate expires on %(date)s.", date=format_day(case.certificate_expires_at))
    return _("No certificate yet.")


def recent_customer_notes(case: Case) -> list[CaseNote]:
    return list(db.session.scalars(
        select(CaseNote).where(CaseNote.case_id == case.id, CaseNote.for_customer.is_(True))
        .order_by(CaseNote.id.desc()).limit(RECENT_CUSTOMER_NOTES)))


def live_etag(state, language: str) -> str:
    """Changes whenever anything the live region shows does (and with the language it is shown in)."""
    parts = (state.updated_at, state.completed_at, state.verdict, state.step, state.note_id, state.read_at,
             language)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def polled_state(connection, reference: str, account: tuple[int, str]):
    """A poll's one query, and the follower noted: the case's state, else SIGNED_OUT or GONE.

    ``account``: (id, session version) as the session names it. Outside the staff blueprint,
    whose sign-in check loads the account as an ORM object: here the poll's one query checks
    the session's account too (as load_user would). The view below and the early 304
    (app/staff/live_poll.py, on its own kind of connection) both answer from this.
    """
    state = live_state(connection, reference, account[0])
    if state is None or ended(state, account[1]):
        return SIGNED_OUT
    if state.id is None or not within_retention(state.updated_at):
        return GONE
    note_following(connection, state.id, account[0], state.last_seen)
    return state


@live_bp.get(LIVE_RULE)
def live(reference: str):
    """The live region of a case page: 304 while nothing changed since the ETag the script holds.

    Most 304s never get here: app/staff/live_poll.py answers them before Flask's request cycle.
    """
    account = session_account(session.get("_user_id"))
    state = SIGNED_OUT
    if account is not None:
        with poll_connection() as connection:
            state = polled_state(connection, reference, account)
    if state is SIGNED_OUT:
        return login_manager.unauthorized()  # as every staff URL: to the sign-in page
    if state is GONE:
        abort(404)
    etag = live_etag(state, current_locale())
    if etag in request.if_none_match:
        response = current_app.response_class(status=304)
    else:
        case = db.session.get(Case, state.id)
        # JSON holding the fragment the server rendered (escaped as every page is): the script swaps it in.
        response = jsonify(html=render_template("staff/_live.html", live=live_view(case, state)),
                           summary=render_template("staff/_case_summary.html", **summary_context(case)),
                           ticket=ticket_summary(case),  # plain text: the script sets it as text
                           expiry=expiry_sentence(case))  # as text too: the certificate's expiry line
    response.set_etag(etag)
    return response


@bp.post("/cases/<reference>/customer-note")
def add_customer_note(reference: str):
    case = _case(reference)
    form = CustomerNoteForm()
    if not form.validate_on_submit():
        return _render_case(case, None, customer_note_form=form, form=form)
    db.session.add(CaseNote(case_id=case.id, author_id=current_user.id, text=form.message.data.strip(),
                            for_customer=True))
    audit.record(audit.NOTE_ADDED, case)
    db.session.commit()
    flash(_("Note for the customer saved. It appears at the top of the customer's next page."), "success")
    return redirect(url_for("staff.case", reference=case.reference, _anchor="follow"))


def new_customer_note_form() -> CustomerNoteForm:
    return CustomerNoteForm(formdata=None)


def init_follow(app) -> None:
    from .live_poll import answer_unchanged_polls_early  # it builds on this module

    app.register_blueprint(live_bp)
    answer_unchanged_polls_early(app)
    app.add_template_global(live_view)
    app.add_template_global(expiry_sentence)
    app.add_template_global(new_customer_note_form)
