"""Public tools beside the wizard: the error decoder and the renewal check (no account needed)."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app.analysis import report_for
from app.certs.domains import normalize_certificate_name, parse_accepted_domains
from app.certs.reading import CertificateInputError
from app.diagnose import diagnose as decode
from app.extensions import limiter
from app.renewal import compare_certificates
from app.wizard.steps import BY_NAME, step_url

from . import public_bp as bp
from .forms import DiagnoseForm, RenewalForm

PASSWORD_ERRORS = {"password_required", "wrong_password"}


@bp.route("/diagnose", methods=["GET", "POST"])
def diagnose():
    form = DiagnoseForm()
    result = decode(form.text.data, _) if form.validate_on_submit() else None
    steps = {name: (step_url(BY_NAME[name]), BY_NAME[name].title) for name in BY_NAME}
    return render_template("diagnose/diagnose.html", form=form, result=result, steps=steps)


def _upload(form: RenewalForm, which: str) -> tuple[bytes | None, object]:
    """(bytes, None) or (None, the field to put the error on)."""
    file_field, text_field = form[f"{which}_file"], form[f"{which}_text"]
    upload = file_field.data
    data = upload.read() if upload and getattr(upload, "filename", "") else b""
    text = (text_field.data or "").strip()
    if data and text:
        file_field.errors.append(_("Upload a file or paste the certificate, not both"))
        return None, file_field
    if not data and not text:
        file_field.errors.append(_("Upload the certificate file, or paste the certificate"))
        return None, file_field
    return data or text.encode(), (file_field if data else text_field)


def _read(form: RenewalForm, which: str, domains: list[str]):
    data, target = _upload(form, which)
    if data is None:
        return None
    try:
        return report_for(data, domains, password=form[f"{which}_password"].data or None)
    except CertificateInputError as error:
        field = form[f"{which}_password"] if error.code in PASSWORD_ERRORS else target
        field.errors.append(error.message(_))
        return None


def _domains(form: RenewalForm) -> tuple[str | None, list[str]]:
    """(connector value, accepted domains); errors land on the fields."""
    connector = normalize_certificate_name(form.connector_domain.data or "")
    if connector is None:
        form.connector_domain.errors.append(_("Enter the connector's domain, like mail.contoso.com or *.contoso.com"))
        return None, []
    parsed = parse_accepted_domains(form.accepted_domains.data or "")
    if parsed.problems:
        number, line = parsed.problems[0]
        form.accepted_domains.errors.append(
            _("Line %(number)d is not a domain: enter one accepted domain a line, like contoso.com", number=number))
        return None, []
    return connector, parsed.domains or [connector.removeprefix("*.")]


@bp.route("/renewal", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def renewal():
    form = RenewalForm()
    plan = old = new = None
    if form.validate_on_submit():
        connector, domains = _domains(form)
        if connector:
            old, new = _read(form, "current", domains), _read(form, "new", domains)
        if old is not None and new is not None:
            plan = compare_certificates(old, new, connector, _)
    return render_template("renewal/renewal.html", form=form, plan=plan, new_report=new if plan else None)

