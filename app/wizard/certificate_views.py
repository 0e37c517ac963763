"""The certificate steps: upload or paste, then the analysis and the connector domain."""
from __future__ import annotations

from datetime import datetime, timezone

from cryptography.hazmat.primitives import serialization
from flask import redirect, request, url_for
from flask_babel import gettext as _

from app.web.analysis import case_report
from app.certs.facts import certificate_facts
from app.certs.reading import Upload
from app.certs.model import EXACT, WILDCARD_CERTIFICATE, Candidate
from app.store import clear_step, save_step
from app.web.uploads import read_submitted_certificate

from . import bp
from .forms.certificate import CertificateForm, ConnectorDomainForm
from .forms.fields import options
from .session import case_required
from .steps import BY_NAME, CHECK, applicable, first_unanswered, step_url
from .views import render_step

@bp.route("/wizard/certificate", methods=["GET", "POST"])
@case_required
def certificate(case):
    step = BY_NAME["certificate"]
    form = CertificateForm()
    upload = None
    if form.validate_on_submit():
        upload = read_submitted_certificate(form.certificate_file, form.certificate_text, form.password)
    if upload is not None:
        _store_certificate(case, upload, source="text" if form.certificate_text.data else "file")
        returning = request.args.get("return") == CHECK
        return redirect(url_for("wizard.connector_domain", **({"return": CHECK} if returning else {})))
    return render_step(step, form, case.answers, case=case, template="wizard/certificate.html",
                       has_certificate=bool(case.certificate_pem))


def _store_certificate(case, upload: Upload, source: str) -> None:
    """Keep the public certificates only: never the key, the PFX or its password."""
    case.certificate_pem = "".join(
        cert.public_bytes(serialization.Encoding.PEM).decode() for cert in upload.certificates)
    case.private_key_dropped = upload.private_key_dropped
    leaf = certificate_facts(upload.certificates[0], datetime.now(timezone.utc))
    clear_step(case, "connector-domain")
    save_step(case, "certificate", {"source": source, "thumbprint": leaf.thumbprint_sha1,
                                    "common_name": leaf.common_name})


def candidate_label(candidate: Candidate) -> str:
    if candidate.kind == EXACT:
        return _("%(domain)s: on the certificate and an accepted domain (recommended)",
                 domain=candidate.connector_domain)
    if candidate.kind == WILDCARD_CERTIFICATE:
        return _("%(domain)s: matches your wildcard certificate", domain=candidate.connector_domain)
    return _("%(domain)s: covers %(name)s under the accepted domain %(accepted)s; any other certificate "
             "under %(accepted)s would match too", domain=candidate.connector_domain,
             name=candidate.certificate_name, accepted=candidate.accepted_domain)


@bp.route("/wizard/connector-domain", methods=["GET", "POST"])
@case_required
def connector_domain(case):
    step = BY_NAME["connector-domain"]
    if step not in applicable(case.answers):
        return redirect(step_url(first_unanswered(case.answers)))
    report = case_report(case)
    form = ConnectorDomainForm(data=case.answers.get("connector-domain"))
    form.connector_domain.choices = options(*((c.connector_domain, candidate_label(c)) for c in report.candidates))
    if not report.candidates:
        form.connector_domain.validators = []
    if form.validate_on_submit():
        save_step(case, "connector-domain", {"connector_domain": form.connector_domain.data or None})
        return redirect(url_for("wizard.check"))
    if not form.connector_domain.data and report.candidates:
        form.connector_domain.data = report.recommended_connector_domain
    return render_step(step, form, case.answers, case=case, report=report,
                       template="wizard/connector_domain.html")
