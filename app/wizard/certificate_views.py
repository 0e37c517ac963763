"""The certificate steps: upload or paste (or go on without one), then the analysis and the connector domain."""
from __future__ import annotations

from datetime import datetime, timezone

from cryptography.hazmat.primitives import serialization
from flask import redirect, request, url_for
from flask_babel import gettext as _

from app.web.analysis import case_domains, case_report, unreadable_reason
from app.certs.facts import certificate_facts
from app.certs.reading import Upload
from app.certs.request import RequestReport
from app.certs.model import ADD_ACCEPTED_DOMAIN, EXACT, WILDCARD_CERTIFICATE, Candidate
from app.store import clear_step, save_step
from app.web.request_check import request_report_for
from app.web.uploads import read_submitted_certificate

from . import bp
from .forms.certificate import CertificateForm, ConnectorDomainForm
from .forms.fields import ContinueForm, options
from .session import case_required
from .steps import BY_NAME, CHECK, NO_CERTIFICATE, applicable, first_unanswered, next_step, step_url
from .views import render_step


def _returning() -> dict:
    return {"return": CHECK} if request.args.get("return") == CHECK else {}


@bp.route("/wizard/certificate", methods=["GET", "POST"])
@case_required
def certificate(case):
    step = BY_NAME["certificate"]
    form = CertificateForm()
    upload = request_report = None
    if form.validate_on_submit():
        upload = read_submitted_certificate(form.certificate_file, form.certificate_text, form.password,
                                            check_request=lambda data: request_report_for(data, case_domains(case)))
    if isinstance(upload, RequestReport):
        # A signing request is checked and shown, never saved: it is not the certificate the server presents.
        request_report, upload = upload, None
    if upload is not None:
        _store_certificate(case, upload, source="text" if form.certificate_text.data else "file")
        return redirect(url_for("wizard.connector_domain", **_returning()))
    unreadable = unreadable_reason(case)
    return render_step(step, form, case.answers, case=case, template="wizard/certificate.html",
                       has_certificate=bool(case.certificate_pem) and not unreadable, unreadable=unreadable,
                       skip_form=ContinueForm(prefix="skip"), request_report=request_report)


@bp.post("/wizard/certificate/skip")
@case_required
def skip_certificate(case):
    """Go on without a certificate file: the plan then starts with getting one that fits.

    CSRFProtect checks the form's token (skip-csrf_token) before this runs, as on every POST.
    """
    case.certificate_pem = None
    case.private_key_dropped = False
    clear_step(case, "connector-domain")
    save_step(case, "certificate", {"source": NO_CERTIFICATE})
    returning = bool(_returning())
    return redirect(step_url(next_step(BY_NAME["certificate"], case.answers, returning), returning))


def _store_certificate(case, upload: Upload, source: str) -> None:
    """Keep the public certificates only: never the key, the PFX or its password."""
    case.certificate_pem = "".join(
        cert.public_bytes(serialization.Encoding.PEM).decode() for cert in upload.certificates)
    case.private_key_dropped = upload.private_key_dropped
    leaf = certificate_facts(upload.certificates[0], datetime.now(timezone.utc))
    clear_step(case, "connector-domain")
    save_step(case, "certificate", {"source": source, "thumbprint": leaf.thumbprint_sha1,
                                    "common_name": leaf.common_name})


def candidate_label(candidate: Candidate, related: bool) -> str:
    """A choice on the connector-domain page; ``related``: a wildcard fallback exists for it."""
    if candidate.kind == EXACT:
        return _("%(domain)s: on the certificate and an accepted domain (recommended)",
                 domain=candidate.connector_domain)
    if candidate.kind == WILDCARD_CERTIFICATE:
        return _("%(domain)s: matches your wildcard certificate", domain=candidate.connector_domain)
    if candidate.kind == ADD_ACCEPTED_DOMAIN and related:
        return _("%(domain)s: after you add %(accepted)s as an accepted domain (recommended by Microsoft)",
                 domain=candidate.connector_domain, accepted=candidate.accepted_domain)
    if candidate.kind == ADD_ACCEPTED_DOMAIN:
        return _("%(domain)s: after you add %(accepted)s as an accepted domain",
                 domain=candidate.connector_domain, accepted=candidate.accepted_domain)
    return _("%(domain)s: covers %(name)s under the accepted domain %(accepted)s; any other certificate "
             "under %(accepted)s would match too", domain=candidate.connector_domain,
             name=candidate.certificate_name, accepted=candidate.accepted_domain)


@bp.route("/wizard/connector-domain", methods=["GET", "POST"])
@case_required
def connector_domain(case):
    step = BY_NAME["connector-domain"]
    report = case_report(case)
    if step not in applicable(case.answers) or report is None:
        missing = first_unanswered(case.answers)
        return redirect(step_url(BY_NAME["certificate"] if missing is step else missing))
    candidates = report.candidates
    if candidates:
        form = ConnectorDomainForm(data=case.answers.get("connector-domain"))
        related = any(c.works_now for c in candidates)
        form.connector_domain.choices = options(*((c.connector_domain, candidate_label(c, related))
                                                  for c in candidates))
    else:
        form = ContinueForm()  # nothing to choose: the plan leads with getting a certificate that fits
    if form.validate_on_submit():
        chosen = form.connector_domain.data if candidates else None
        save_step(case, "connector-domain", {"connector_domain": chosen})
        return redirect(url_for("wizard.check"))
    if candidates and not form.connector_domain.data:
        form.connector_domain.data = report.recommended_connector_domain
    return render_step(step, form, case.answers, case=case, report=report,
                       works_now=any(c.works_now for c in candidates),
                       template="wizard/connector_domain.html")
