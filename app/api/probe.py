"""POST /api/v1/probe: the certificate chain a mail server presents after STARTTLS, analysed."""
from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from flask_babel import gettext as _

from app.certs.names import windows_name

from app.certs.serialize import report_to_dict
from app.extensions import limiter
from app.probe import ProbeError
from app.tools.probe import BUSY, PROBE_LIMIT, RETRY_AFTER, probe_and_analyze, probe_error_message

from . import bp
from .inputs import ApiInputError, domain_list, json_body

# Input the server never saw: 400. The server could not be read: 422.
CLIENT_ERRORS = {"invalid_host", "invalid_port", "refused_address"}


@bp.post("/probe")
@limiter.limit(PROBE_LIMIT)
def probe():
    try:
        body = json_body()
        host, port = body.get("host"), body.get("port", 25)
        if not isinstance(host, str) or not host.strip():
            raise ApiInputError("invalid_host", _("Give the server's host name in host, like mail.contoso.com."))
        if isinstance(port, bool) or not isinstance(port, int):
            raise ApiInputError("invalid_port", _("Give port as 25, 587 or 465."))
        domains = domain_list(body["accepted_domains"]) if body.get("accepted_domains") else []
        try:
            result, report = probe_and_analyze(host, port, domains)
        except ProbeError as error:
            status = 400 if error.code in CLIENT_ERRORS else 503 if error.code == BUSY else 422
            raise ApiInputError(error.code, probe_error_message(error), status) from None
    except ApiInputError as error:
        body, status = error.response()
        return body, status, ({"Retry-After": str(RETRY_AFTER)} if status == 503 else {})
    data = report_to_dict(report)
    data["presented_chain"] = [_presented(cert) for cert in result.chain]
    data["server"] = {"host": result.host, "port": result.port, "address": result.address,
                      "banner": result.banner, "tls_version": result.tls_version}
    data["note"] = _("This is the certificate the server presents when it receives mail. It is usually, but not "
                     "always, the one it sends with.")
    return data


def _presented(cert: x509.Certificate) -> dict:
    """One certificate in the order the server sent it (the report orders the chain leaf first)."""
    # SHA-1 here is Windows' thumbprint, an identifier, not a security check.
    return {"subject": windows_name(cert.subject), "issuer": windows_name(cert.issuer),
            "thumbprint_sha1": cert.fingerprint(hashes.SHA1()).hex().upper(),  # nosec B303
            "pem": cert.public_bytes(serialization.Encoding.PEM).decode("ascii")}
