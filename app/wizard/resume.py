"""Two ways back into a case: the secret link, or the reference with the organization."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import limiter
from app.store import find_by_reference, find_by_token

from . import bp
from .forms.start import ResumeForm
from .session import is_live, open_case
from .steps import continue_url


def reopen(case):
    """Open ``case`` in this browser and go where it left off."""
    open_case(case)
    return redirect(continue_url(case))


@bp.get("/resume/<token>")
@limiter.limit("30 per minute")
def resume_link(token: str):
    case = find_by_token(token)
    if case is None or not is_live(case):
        abort(404)
    return reopen(case)


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
