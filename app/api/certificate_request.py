"""POST /api/v1/certificate-request-check: would a certificate issued for this CSR serve the connector?"""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.certs.reading import CertificateInputError
from app.certs.request import request_report_to_dict
from app.web.request_check import request_report_for

from . import bp
from .inputs import ApiInputError, domain_list, json_body


def _request_input() -> tuple[bytes, list[str]]:
    if request.mimetype == "application/json":
        body = json_body()
        pem = body.get("request_pem")
        if not isinstance(pem, str):
            raise ApiInputError("no_request", _("Put the signing request in request_pem as PEM text."))
        return pem.encode(), domain_list(body.get("domains") or [])
    upload = request.files.get("request")
    data = upload.read() if upload else (request.form.get("request_text") or "").encode()
    return data, domain_list(request.form.getlist("domains"))


@bp.post("/certificate-request-check")
def certificate_request_check():
    try:
        data, domains = _request_input()
        try:
            report = request_report_for(data, domains)
        except CertificateInputError as error:
            raise ApiInputError(error.code, error.message(_)) from None
    except ApiInputError as error:
        return error.response()
    return request_report_to_dict(report)
