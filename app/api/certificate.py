"""POST /api/v1/certificate-check: the certificate report as JSON."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.certs.serialize import report_to_dict

from . import bp
from .inputs import ApiInputError, checked_report, domain_list, json_body


def _certificate_input() -> tuple[bytes, str | None, list[str]]:
    if request.mimetype == "application/json":
        body = json_body()
        pem = body.get("certificate_pem")
        if not isinstance(pem, str):
            raise ApiInputError("no_certificate", _("Put the certificate in certificate_pem as PEM text."))
        password = body.get("password")
        return pem.encode(), password if isinstance(password, str) else None, domain_list(body.get("domains", []))
    upload = request.files.get("certificate")
    data = upload.read() if upload else (request.form.get("certificate_text") or "").encode()
    return data, request.form.get("password") or None, domain_list(request.form.getlist("domains"))


@bp.post("/certificate-check")
def certificate_check():
    try:
        data, password, domains = _certificate_input()
        report = checked_report(data, domains, password)
    except ApiInputError as error:
        return error.response()
    return report_to_dict(report)
