"""POST /api/v1/headers: the headers of a relayed test message -> attributed or not, with the lines that show it."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app.diagnose import HeaderInputError, read_headers
from app.diagnose.headers import MAX_TEXT
from app.extensions import limiter
from app.web.budget import HEADERS, budget

from . import bp
from .inputs import ApiInputError, domain_list, json_body

_TENANT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@bp.post("/headers")
@limiter.limit("60 per minute")
def headers():
    try:
        body = json_body()
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiInputError("invalid_text", _("Put the message headers in text, as a string."))
        if len(text) > MAX_TEXT:
            raise ApiInputError("too_large", _("Send at most %(limit)d characters of text.", limit=MAX_TEXT), 413)
        tenant = body.get("tenant_id")
        if tenant is not None and (not isinstance(tenant, str) or not _TENANT.match(tenant.strip().lower())):
            raise ApiInputError("invalid_tenant", _("Give tenant_id as a GUID, like 0c6b7f1e-5a0b-4c8f-9d52-2b8e3a4f6d10."))
        domains = domain_list(body["accepted_domains"]) if body.get("accepted_domains") else []
        try:
            with budget(HEADERS):
                reading = read_headers(text, tenant.strip().lower() if tenant else None, domains, _)
        except HeaderInputError:
            raise ApiInputError("unreadable", _("We found no message headers in text.")) from None
    except ApiInputError as error:
        return error.response()
    return reading.to_dict()
