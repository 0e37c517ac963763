"""The web layer's way into the signing-request check: under the same wall-clock guard as the analysis."""
from __future__ import annotations

from flask_babel import gettext

from app.certs.request import RequestReport, check_request
from app.translate import Translate
from app.web.analysis import TIME_LIMIT, time_limit


def request_report_for(data: bytes, domains: list[str], *, _: Translate = gettext) -> RequestReport:
    """Read and check a CSR; raises CertificateInputError (RequestInputError) for unusable input."""
    with time_limit(TIME_LIMIT):
        return check_request(data, domains, _=_)
