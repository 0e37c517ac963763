"""POST /api/v1/config-audit: pasted Get-* output -> findings, verdict and the targeted plan."""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit import AuditInputError
from app.audit.reading import MAX_TEXT
from app.audit.render import audit_to_dict, render_fix_powershell
from app.extensions import limiter
from app.tools.audit import audit_text, input_error_message

from . import bp
from .inputs import ApiInputError, domain_list, json_body


def _inputs() -> tuple[str, list[str], str | None]:
    body = json_body()
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiInputError("invalid_text", _("Put the pasted output in text, as a string."))
    if len(text) > MAX_TEXT:
        raise ApiInputError("too_large", _("Send at most %(limit)d characters of text.", limit=MAX_TEXT), 413)
    domains = domain_list(body["accepted_domains"]) if body.get("accepted_domains") else []
    pem = body.get("certificate_pem")
    if pem is not None and not isinstance(pem, str):
        raise ApiInputError("no_certificate", _("Put the certificate in certificate_pem as PEM text."))
    return text, domains, pem or None


@bp.post("/config-audit")
@limiter.limit("30 per minute")
def config_audit():
    try:
        text, domains, pem = _inputs()
        try:
            result = audit_text(text, domains, certificate_pem=pem)
        except AuditInputError as error:
            raise ApiInputError("unreadable", input_error_message(error)) from None
    except ApiInputError as error:
        return error.response()
    data = audit_to_dict(result)
    data["plan"]["powershell"] = render_fix_powershell(result.plan, "", result.made_at.date().isoformat(), _)
    return data
