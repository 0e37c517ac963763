"""A signing request as the replacement (issue 25, item 4): before buying, does it keep the connector's name?

The certificate a CA issues for the request carries the request's names, so the
name comparison and the connector rule are those of a renewal; issuer, dates and
thumbprint are not known until the CA has issued it.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.certs.matching import certificate_names
from app.certs.model import CertificateReport
from app.certs.request import RequestReport

from .compare import connector_matches


@dataclass(frozen=True)
class RequestComparison:
    request: RequestReport
    connector_domain: str
    keeps_connector: bool            # the connector's value matches a certificate issued for the request
    new_connector_domain: str | None  # else the value it would need (None: no name can be used)
    added: list[str]
    removed: list[str]


def compare_request(old: CertificateReport, request: RequestReport, connector_domain: str) -> RequestComparison:
    before, after = certificate_names(old.leaf), certificate_names(request.request)  # type: ignore[arg-type]
    keeps = connector_matches(connector_domain, request.request)  # type: ignore[arg-type]  # the same name fields
    return RequestComparison(request, connector_domain, keeps, None if keeps else request.working_connector_domain,
                             [n for n in after if n not in before], [n for n in before if n not in after])
