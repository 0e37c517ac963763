"""Reading API requests: JSON or multipart, with errors as (code, message)."""
from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _

from app.web.analysis import report_for
from app.certs.domains import DomainError, normalize_domain
from app.certs.reading import CertificateInputError

# Far more accepted domains than a tenant holds in practice; at this many, with
# a certificate at its name limit (app.certs.reading.MAX_NAMES), a check takes
# well under a second. The wizard's box holds fewer (20,000 characters).
MAX_DOMAINS = 5000


class ApiInputError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def response(self):
        return {"error": {"code": self.code, "message": self.message}}, self.status


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiInputError("invalid_json", _("Send a JSON object with Content-Type: application/json."))
    return body


def domain_list(values) -> list[str]:
    """Domains from a JSON list or repeated form fields, each split on newlines, commas and spaces."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ApiInputError("invalid_domain", _("Give the accepted domains as a list of strings."))
    items = [part for value in values for part in re.split(r"[\s,;]+", value) if part]
    if len(items) > MAX_DOMAINS:
        raise ApiInputError("too_many_domains", _("Give at most %(limit)s accepted domains.", limit=MAX_DOMAINS))
    domains: dict[str, None] = {}  # a dict keeps the order and finds duplicates in constant time
    for item in items:
        try:
            domains[normalize_domain(item)] = None
        except DomainError:
            raise ApiInputError("invalid_domain", _("%(value)s is not a domain. Enter domains like contoso.com.",
                                                    value=item[:100])) from None
    if not domains:
        raise ApiInputError("invalid_domain", _("Give at least one accepted domain, like contoso.com."))
    return list(domains)


def checked_report(data: bytes, domains: list[str], password: str | None = None):
    """The certificate report, with unusable input as an ApiInputError (400, the reader's code)."""
    try:
        return report_for(data, domains, password=password)
    except CertificateInputError as error:
        raise ApiInputError(error.code, error.message(_)) from None
