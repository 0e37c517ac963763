"""POST /api/v1/certificate-check: the certificate report as JSON; /certificate-chain: its intermediates as files."""
from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _

from app.certs.serialize import report_to_dict
from app.reports.chain import chain_zip, intermediates

from . import bp
from .inputs import ApiInputError, checked_report, domain_list, json_body


def _certificate_input(domains_required: bool = True) -> tuple[bytes, str | None, list[str]]:
    if request.mimetype == "application/json":
        body = json_body()
        pem = body.get("certificate_pem")
        if not isinstance(pem, str):
            raise ApiInputError("no_certificate", _("Put the certificate in certificate_pem as PEM text."))
        password = body.get("password")
        data, password, domains = pem.encode(), password if isinstance(password, str) else None, body.get("domains")
    else:
        upload = request.files.get("certificate")
        data = upload.read() if upload else (request.form.get("certificate_text") or "").encode()
        password, domains = request.form.get("password") or None, request.form.getlist("domains")
    return data, password, domain_list(domains or []) if domains or domains_required else []


@bp.post("/certificate-check")
def certificate_check():
    try:
        data, password, domains = _certificate_input()
        report = checked_report(data, domains, password)
    except ApiInputError as error:
        return error.response()
    return report_to_dict(report)


@bp.post("/certificate-chain")
def certificate_chain():
    """The upload's intermediate certificates as the .zip the result page offers."""
    try:
        data, password, domains = _certificate_input(domains_required=False)
        report = checked_report(data, domains, password)
        if not intermediates(report):
            raise ApiInputError("no_intermediates", _(
                "The upload holds no intermediate certificate. Send the server's certificate with its chain, "
                "or download the intermediates from the certificate authority."))
    except ApiInputError as error:
        return error.response()
    response = Response(chain_zip(report), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="intermediates.zip"'
    return response
