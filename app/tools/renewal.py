"""/renewal: the certificate in use against its replacement, and the order of work."""
from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.certs.domains import normalize_certificate_name, parse_accepted_domains
from app.certs.reading import CertificateInputError, Upload, read_certificates
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


SIDES = ("current", "new")


def _upload(form: RenewalForm, which: str, domains: list[str]) -> Upload | RequestReport | None:
    """The upload; for the replacement, a signing request's check instead when it is one (issue 25)."""
    check = (lambda data: request_report_for(data, domains)) if which == "new" else None
    return read_submitted_certificate(form[f"{which}_file"], form[f"{which}_text"], form[f"{which}_password"],
                                      check_request=check)


def _keep_chosen_files(form: RenewalForm, uploads: dict[str, Upload | None]) -> None:
    """A page shown again with errors cannot fill its file fields in: a file that reads stays as its
    certificates' PEM in the paste field beside it, so that nobody has to choose it again (never the key)."""
    for which in SIDES:
        chosen, text = form[f"{which}_file"].data, form[f"{which}_text"]
        if not chosen or not getattr(chosen, "filename", "") or (text.data or "").strip():
            continue
        upload = uploads.get(which) or _read_quietly(chosen, form[f"{which}_password"].data)
        if upload is not None:
            text.data = "".join(cert.public_bytes(serialization.Encoding.PEM).decode() for cert in upload.certificates)


def _read_quietly(chosen, password: str | None) -> Upload | None:
    """A chosen file read again, its problem left to the error the form already shows."""
    chosen.stream.seek(0)
    try:
        return read_certificates(chosen.stream.read(), password or None)
    except CertificateInputError:
        return None


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
    plan = new = requested = None
    uploads: dict[str, Upload | RequestReport | None] = {}
    if form.validate_on_submit():
        connector, domains = _domains(form)
        with budget(RENEWAL):  # both certificates (or the request) read and analysed, then compared
            if connector:
                uploads = {which: _upload(form, which, domains) for which in SIDES}
            if connector and all(uploads.values()):
                old = analyze_upload(uploads["current"], domains)
                if isinstance(uploads["new"], RequestReport):
                    requested = compare_request(old, uploads["new"], connector)
                else:
                    new = analyze_upload(uploads["new"], domains)
                    plan = compare_certificates(old, new, connector, form.server_kind.data,
                                                form.hybrid_wizard.data == "yes", _)
    if request.method == "POST" and plan is None and requested is None:
        _keep_chosen_files(form, {k: v for k, v in uploads.items() if not isinstance(v, RequestReport)})
    return render_template("renewal/renewal.html", form=form, plan=plan, new_report=new if plan else None,
                           requested=requested)
