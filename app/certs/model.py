"""Plain data returned by the certificate analysis: no Flask, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ERROR, WARNING, INFO = "error", "warning", "info"
READY, NEEDS_ATTENTION, BLOCKED = "ready", "needs_attention", "blocked"

# How a connector value relates to the certificate (API field "kind").
EXACT = "exact"
WILDCARD_CONNECTOR = "wildcard_connector"
WILDCARD_CERTIFICATE = "wildcard_certificate"
# The value is a name on the certificate that passes only once the tenant adds
# ``accepted_domain`` as an accepted domain: Microsoft's preferred fix for a host
# name under an accepted domain, and the way out when no accepted domain relates.
ADD_ACCEPTED_DOMAIN = "add_accepted_domain"
CANDIDATE_KINDS = (EXACT, WILDCARD_CERTIFICATE, ADD_ACCEPTED_DOMAIN, WILDCARD_CONNECTOR)  # best first


def verdict_for(findings: list[Finding]) -> str:
    """Any error blocks, any warning needs attention, otherwise ready."""
    severities = {f.severity for f in findings}
    if ERROR in severities:
        return BLOCKED
    if WARNING in severities:
        return NEEDS_ATTENTION
    return READY


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class CertificateFacts:
    """What one certificate says, every field guarded (see ``unreadable``)."""

    subject: str                      # RFC 4514
    issuer: str                       # RFC 4514
    subject_windows: str              # as Get-ExchangeCertificate shows Subject
    issuer_windows: str               # as Get-ExchangeCertificate shows Issuer
    common_name: str | None
    dns_names: list[str]
    other_names: list[str]            # other SAN types, e.g. "IP:192.0.2.1"
    serial_number: str                # upper-case hex
    thumbprint_sha1: str              # upper-case hex, no separators
    fingerprint_sha256: str           # upper-case hex, no separators
    not_before: datetime              # aware, UTC
    not_after: datetime               # aware, UTC
    days_remaining: int
    key_type: str                     # "RSA", "EC", "Ed25519", "DSA", ...
    key_size: int | None
    key_curve: str | None
    signature_hash: str | None        # "sha256", "sha1", ... or None
    key_usage: list[str]
    extended_key_usages: list[str]    # dotted OIDs
    is_ca: bool
    self_signed: bool
    pem: str                          # the certificate alone (public data)
    unreadable: list[str] = field(default_factory=list)  # fields that failed to parse
    eku_restricted: bool = False      # an EKU extension is present (limits the uses)


@dataclass(frozen=True)
class Candidate:
    connector_domain: str    # the TlsSenderCertificateName value to enter
    certificate_name: str    # the CN/SAN name on the certificate it relies on
    accepted_domain: str     # the accepted domain that makes it pass (to be added, for ADD_ACCEPTED_DOMAIN)
    kind: str                # EXACT | WILDCARD_CERTIFICATE | ADD_ACCEPTED_DOMAIN | WILDCARD_CONNECTOR

    @property
    def works_now(self) -> bool:
        """Whether the value passes with the tenant's accepted domains as they are."""
        return self.kind != ADD_ACCEPTED_DOMAIN

    def to_dict(self) -> dict:
        return {
            "connector_domain": self.connector_domain,
            "certificate_name": self.certificate_name,
            "accepted_domain": self.accepted_domain,
            "kind": self.kind,
        }


class ConnectorValues:
    """What a report of candidates and findings offers: a certificate's report, or a signing request's."""

    candidates: list[Candidate]
    findings: list[Finding]

    @property
    def recommended_connector_domain(self) -> str | None:
        """The best value, even one that needs a domain added first (Microsoft's preferred way)."""
        return self.candidates[0].connector_domain if self.candidates else None

    @property
    def working_connector_domain(self) -> str | None:
        """The best value that works with the accepted domains as they are."""
        return next((c.connector_domain for c in self.candidates if c.works_now), None)

    @property
    def verdict(self) -> str:
        return verdict_for(self.findings)


@dataclass(frozen=True)
class CertificateReport(ConnectorValues):
    leaf: CertificateFacts
    chain: list[CertificateFacts]     # leaf first; includes the leaf
    exchange_tls_certificate_name: str  # "<I>issuer<S>subject"
    candidates: list[Candidate]       # best first
    findings: list[Finding]
    notices: list[str] = field(default_factory=list)  # e.g. "the private key was not kept"
