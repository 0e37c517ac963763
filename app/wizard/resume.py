"""Two ways back into a case: the secret link, or the reference with the organization.

A secret link never silently replaces the case this browser has open: someone
could send a link to their own case so that the visitor's certificate lands
in it. The visitor is asked first, with both references, by a form with CSRF.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import limiter
from app.store import Case, find_by_reference, find_by_token

from . import bp
from .forms.start import ResumeForm
from .session import current_case, is_live, open_case
from .steps import continue_url


def reopen(case):
    """Open ``case`` in this browser and go where it left off."""
    open_case(case)
    return redirect(continue_url(case))


def _linked_case(token: str) -> Case:
    case = find_by_token(token)
    if case is None or not is_live(case):
        abort(404)
    return case


@bp.get("/resume/<token>")
@limiter.limit("30 per minute")
def resume_link(token: str):
    """A secret link opens its case only after the visitor says so, also when no case is open here: a
    link someone else sent would otherwise put everything the visitor enters next into their case."""
    case = _linked_case(token)
    held = current_case()
    if held is not None and held.id == case.id:
        return reopen(case)
    return render_template("wizard/resume_confirm.html", held=held, case=case,
                           stay_url=continue_url(held) if held else url_for("main.index"))


@bp.post("/resume/<token>")
@limiter.limit("30 per minute")
def confirm_resume_link(token: str):
    """The confirmation page's button (CSRFProtect has checked its token)."""
    return reopen(_linked_case(token))


@bp.route("/resume", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        case = find_by_reference(form.reference.data, form.organization.data)
        if case is not None and is_live(case):
            return reopen(case)
        form.reference.errors.append(
            _("No saved case matches that reference and organization. Check both, or start a new case"))
    return render_template("wizard/resume.html", form=form, back_url=url_for("main.index"))
