"""Staff pages: the case list, one case (notes, hand-off, ownership, resolution), the audit log."""
from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.web.links import absolute_url
from app.extensions import db
from app.reports.plan import verdict_reasons
from app.store import Case, create_case, save_step, utcnow
from app.web.analysis import unreadable_reason
from app.wizard.resume import reopen  # the customer's own way back in: one code path
from app.wizard.session import staff_case

from . import audit, bp
from .auth import admin_required
from .calendar import feed_exists, shown_calendar_link
from .cases import case_page, case_rows
from .forms import ActionForm, NewCaseForm, NoteForm, SearchForm
from .models import CaseNote, notes_for, user_emails

SHOW_LINK = "staff_show_link"  # session: (case id, which link) to show once after the POST that asked


def _case(reference: str) -> Case:
    case = staff_case(reference)
    if case is None:
        abort(404)
    return case


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/")
def home():
    return redirect(url_for("staff.cases"))


@bp.get("/cases")
def cases():
    form = SearchForm(request.args)
    filters = {"text": "", "verdict": "", "server": "", "resolved": ""}
    if form.validate():
        filters = {"text": form.q.data or "", "verdict": form.verdict.data or "",
                   "server": form.server.data or "", "resolved": form.resolved.data or ""}
    found = case_page(older=request.args.get("older"), newer=request.args.get("newer"), **filters)
    args = {key: value for key, value in request.args.items() if key not in ("older", "newer") and value}
    return render_template("staff/cases.html", form=form, rows=case_rows(found.cases), found=found,
                           page_args=args, searched=any(filters.values()))


@bp.route("/cases/new", methods=["GET", "POST"])
def new_case():
    form = NewCaseForm()
    if form.validate_on_submit():
        case = create_case(form.organization.data.strip())
        case.owner_id = current_user.id
        audit.record(audit.CREATED, case)
        # The wizard's first step, as an agent would answer it: the customer carries on from the next.
        save_step(case, "start", {"role": "agent", "organization": case.organization,
                                  "ticket": (form.ticket.data or "").strip()})
        return _show_link(case, "secret")
    return render_template("staff/new_case.html", form=form)


@bp.get("/cases/<reference>")
def case(reference: str):
    case = _case(reference)
    audit.record_open(case)
    db.session.commit()
    return _render_case(case, NoteForm())


def _render_case(case: Case, note_form: NoteForm | None, status: int = 200, **extra):
    """``extra``: more for the template, such as a form that failed (``form`` titles the page "Error:")."""
    note_form = note_form or NoteForm(formdata=None)
    extra.setdefault("form", note_form)  # base.html prefixes the title with "Error:" from it
    shown = session.pop(SHOW_LINK, None)
    link = _link_url(case, shown[1]) if shown and shown[0] == case.id else None
    return render_template("staff/case.html", **summary_context(case), notes=notes_for(case), note_form=note_form,
                           **extra, action_form=ActionForm(), link=link, link_kind=shown[1] if link else None,
                           calendar_link=shown_calendar_link(case.reference),
                           calendar_active=feed_exists(case=case)), status


def summary_context(case: Case) -> dict:
    """What the case's summary (templates/staff/_case_summary.html) shows: the page's, and the live poll's."""
    unreadable = unreadable_reason(case)
    return {"case": case, "row": case_rows([case])[0], "unreadable": unreadable,
            "owner": user_emails({case.owner_id}).get(case.owner_id) if case.owner_id else None,
            "ticket": (case.answers.get("start") or {}).get("ticket"),
            "reasons": [] if unreadable else verdict_reasons(case)}


def _link_url(case: Case, kind: str, **query) -> str:
    if kind == "read_only":
        return absolute_url("tools.read_only_report", reference=case.reference, token=case.read_token)
    return absolute_url("wizard.resume_link", token=case.secret_token, **query)


def _show_link(case: Case, kind: str):
    session[SHOW_LINK] = (case.id, kind)
    return redirect(url_for("staff.case", reference=case.reference, _anchor="link"))


def checked_action(reference: str) -> Case:
    """The case of a POSTed button, after its CSRF token checks out."""
    case = _case(reference)
    if not ActionForm().validate_on_submit():
        abort(400)
    return case


@bp.post("/cases/<reference>/notes")
def add_note(reference: str):
    case = _case(reference)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_case(case, form)
    db.session.add(CaseNote(case_id=case.id, author_id=current_user.id, text=form.text.data.strip()))
    audit.record(audit.NOTE_ADDED, case)
    db.session.commit()
    flash(_("Note added."), "success")
    return redirect(url_for("staff.case", reference=case.reference, _anchor="notes"))


@bp.post("/cases/<reference>/resume")
def resume(reference: str):
    case = checked_action(reference)
    audit.record(audit.RESUMED, case)
    db.session.commit()
    return reopen(case)


@bp.get("/cases/<reference>/plan")
def plan(reference: str):
    case = _case(reference)
    audit.record(audit.PLAN_VIEWED, case)
    db.session.commit()
    return redirect(url_for("reports.result", reference=case.reference))


@bp.post("/cases/<reference>/pick-up")
def pick_up(reference: str):
    case = checked_action(reference)
    case.owner_id = current_user.id
    audit.record(audit.PICKED_UP, case)
    db.session.commit()
    flash(_("You own this case now."), "success")
    return redirect(url_for("staff.case", reference=case.reference))


@bp.post("/cases/<reference>/resolve")
def resolve(reference: str):
    case = checked_action(reference)
    resolving = case.resolved_at is None
    case.resolved_at = utcnow() if resolving else None
    audit.record(audit.RESOLVED if resolving else audit.REOPENED, case)
    db.session.commit()
    flash(_("Case marked resolved.") if resolving else _("Case reopened."), "success")
    return redirect(url_for("staff.case", reference=case.reference))


@bp.post("/cases/<reference>/link")
def show_link(reference: str):
    case = checked_action(reference)
    audit.record(audit.LINK_SHOWN, case)
    db.session.commit()
    return _show_link(case, "secret")


@bp.post("/cases/<reference>/read-only-link")
def show_read_only_link(reference: str):
    case = checked_action(reference)
    if not case.read_token:
        case.read_token = secrets.token_urlsafe(24)  # 192 bits
    audit.record(audit.READ_LINK_SHOWN, case)
    db.session.commit()
    return _show_link(case, "read_only")


@bp.post("/cases/<reference>/read-only-link/stop")
def stop_read_only_link(reference: str):
    """The read-only link stops working; showing one again makes a new one."""
    case = checked_action(reference)
    case.read_token = None
    audit.record(audit.READ_LINK_STOPPED, case)
    db.session.commit()
    flash(_("The read-only report link has stopped working. Showing one again makes a new link."), "info")
    return redirect(url_for("staff.case", reference=case.reference, _anchor="link"))


@bp.get("/audit")
@admin_required
def audit_log():
    pagination = audit.recent_events(_page_number())
    return render_template("staff/audit.html", pagination=pagination, labels=audit.ACTION_LABELS, page_args={})

