"""/diagnose: a pasted NDR or log line explained, with the wizard step that fixes it; /diagnose/headers:
a test message's headers read for attribution (saved to the case when opened from one)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from app.diagnose import HeaderInputError, HeaderReading, read_headers
from app.diagnose import diagnose as decode
from app.extensions import limiter
from app.web.analysis import case_domains
from app.web.budget import DECODER, HEADERS, budget
from app.wizard.session import case_for_reference
from app.wizard.steps import BY_NAME, step_url

from . import bp
from .forms import DiagnoseForm, HeadersForm
from .records import proof_for, save_header_check, set_tenant, tenant_for


@bp.route("/diagnose", methods=["GET", "POST"])
def diagnose():
    form = DiagnoseForm()
    result = None
    if form.validate_on_submit():
        with budget(DECODER):
            result = decode(form.text.data, _)
    steps = {name: (step_url(BY_NAME[name]), BY_NAME[name].title) for name in BY_NAME}
    return render_template("diagnose/diagnose.html", form=form, result=result, steps=steps)


def _header_reading(form: HeadersForm, case) -> HeaderReading | None:
    if not form.validate_on_submit():
        return None
    tenant = (form.tenant_id.data or "").strip().lower() or (tenant_for(case) if case else None)
    domains = case_domains(case) if case else []
    try:
        with budget(HEADERS):
            reading = read_headers(form.text.data, tenant, domains, _)
    except HeaderInputError:
        form.text.errors.append(_("We found no message headers. Paste the headers, from the first Received: line "
                                  "to the last header, as the recipient's mail program shows them."))
        return None
    if case is not None:
        if form.tenant_id.data:
            set_tenant(case, tenant)
        save_header_check(case, reading)
    return reading


@bp.route("/diagnose/headers", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def headers():
    form = HeadersForm()
    return render_template("audit/headers.html", form=form, reading=_header_reading(form, None), case=None)


@bp.route("/cases/<reference>/headers", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def case_headers(reference: str):
    case = case_for_reference(reference)
    form = HeadersForm()
    if request.method == "GET" and not form.tenant_id.data:
        form.tenant_id.data = tenant_for(case)
    reading = _header_reading(form, case)
    return render_template("audit/headers.html", form=form, reading=reading, case=case, proof=proof_for(case))
