"""/renewal: the certificate in use against its replacement, and the order of work."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.certs.domains import normalize_certificate_name, parse_accepted_domains
from app.extensions import limiter
from app.certs.request import RequestReport
from app.renewal import compare_certificates
from app.renewal.request import compare_request
from app.web.analysis import analyze_upload
from app.web.budget import RENEWAL, budget
from app.web.request_check import request_report_for
from app.web.uploads import read_submitted_certificate
from app.wizard.forms.domains import bad_line_messages

from . import bp
from .forms import RenewalForm

# What a link may fill in (the expiry watch's rows: what the case knows); files never.
PREFILLED = ("server_kind", "hybrid_wizard", "connector_domain", "accepted_domains")


def _read(form: RenewalForm, which: str, domains: list[str]):
    """The report of the upload; for the replacement, a signing request's check too (issue 25)."""
    check = (lambda data: request_report_for(data, domains)) if which == "new" else None
    upload = read_submitted_certificate(form[f"{which}_file"], form[f"{which}_text"], form[f"{which}_password"],
                                        check_request=check)
    if upload is None or isinstance(upload, RequestReport):
        return upload
    return analyze_upload(upload, domains)


def _connector(form: RenewalForm) -> str | None:
    """The connector value, normalised; else an error on the field."""
    connector = normalize_certificate_name(form.connector_domain.data or "")
    if connector is None:
        form.connector_domain.errors.append(_("Enter the connector's domain, like mail.contoso.com or *.contoso.com"))
    return connector


def _accepted(form: RenewalForm) -> list[str] | None:
    """The accepted domains, normalised; else an error per refused line on the field."""
    parsed = parse_accepted_domains(form.accepted_domains.data or "")
    problems = bad_line_messages(parsed)
    form.accepted_domains.errors.extend(problems)
    return None if problems else parsed.domains


def _domains(form: RenewalForm) -> tuple[str | None, list[str]]:
    """(connector value, accepted domains); errors land on the fields."""
    connector = _connector(form)
    domains = _accepted(form) if connector else None
    if domains is None:
        return None, []
    return connector, domains or [connector.removeprefix("*.")]


def _normalised(form: RenewalForm, name: str):
    """A field's value as the form's own checks normalise it; None when they refuse it."""
    if name == "connector_domain":
        return _connector(form)
    if name == "accepted_domains":
        domains = _accepted(form)
        return None if domains is None else "\n".join(domains)
    if name == "hybrid_wizard":  # asked of Exchange only, so the field does not check its choices itself
        return form[name].data if form[name].data in ("yes", "no") else None
    return form[name].data


def prefilled_form() -> RenewalForm:
    """GET: the empty form with the values a link carries. Each goes through the form's own checks; one
    that fails them is left out, silently (the admin fills it in), never shown as given."""
    args = MultiDict({name: "\n".join(request.args.getlist(name)) for name in PREFILLED if name in request.args})
    form = RenewalForm(formdata=args)
    for name in PREFILLED:
        field = form[name]
        value = _normalised(form, name) if name in args and field.validate(form) else None
        field.data, field.raw_data, field.errors = value, [value] if value else [], []
    return form


@bp.route("/renewal", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def renewal():
    form = RenewalForm() if request.method == "POST" else prefilled_form()
    plan = old = new = requested = None
    if form.validate_on_submit():
        connector, domains = _domains(form)
        with budget(RENEWAL):  # both certificates (or the request) read and analysed, then compared
            if connector:
                old, new = _read(form, "current", domains), _read(form, "new", domains)
            if old is not None and isinstance(new, RequestReport):
                requested = compare_request(old, new, connector)
            elif old is not None and new is not None:
                plan = compare_certificates(old, new, connector, form.server_kind.data,
                                            form.hybrid_wizard.data == "yes", _)
    return render_template("renewal/renewal.html", form=form, plan=plan, new_report=new if plan else None,
                           requested=requested)
