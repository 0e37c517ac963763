"""/renewal: the certificate in use against its replacement, and the order of work."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app.certs.domains import normalize_certificate_name, parse_accepted_domains
from app.extensions import limiter
from app.renewal import compare_certificates
from app.web.analysis import analyze_upload
from app.web.uploads import read_submitted_certificate
from app.wizard.forms.domains import bad_line_messages

from . import bp
from .forms import RenewalForm


def _read(form: RenewalForm, which: str, domains: list[str]):
    upload = read_submitted_certificate(form[f"{which}_file"], form[f"{which}_text"], form[f"{which}_password"])
    return analyze_upload(upload, domains) if upload is not None else None


def _domains(form: RenewalForm) -> tuple[str | None, list[str]]:
    """(connector value, accepted domains); errors land on the fields."""
    connector = normalize_certificate_name(form.connector_domain.data or "")
    if connector is None:
        form.connector_domain.errors.append(_("Enter the connector's domain, like mail.contoso.com or *.contoso.com"))
        return None, []
    parsed = parse_accepted_domains(form.accepted_domains.data or "")
    problems = bad_line_messages(parsed)
    if problems:
        form.accepted_domains.errors.extend(problems)
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
            plan = compare_certificates(old, new, connector, form.server_kind.data,
                                        form.hybrid_wizard.data == "yes", _)
    return render_template("renewal/renewal.html", form=form, plan=plan, new_report=new if plan else None)
