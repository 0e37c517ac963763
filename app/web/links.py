"""Links read outside the app: an e-mail, a webhook, a calendar, a ticket, an identity provider."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for


def absolute_url(endpoint: str, **values) -> str:
    """Under PUBLIC_URL when it is set: the address the world knows, whatever host name the request came in on
    (an agent on http://localhost:8000 must not mail that to a customer). Without it, the request's own address;
    outside a request, only the path."""
    base = current_app.config.get("PUBLIC_URL") or ""
    if has_request_context():
        return base + url_for(endpoint, **values) if base else url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or "http://localhost"):
        return url_for(endpoint, _external=bool(base), **values)
