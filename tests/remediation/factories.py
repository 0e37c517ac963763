"""Certificate reports built directly from app.certs.model: fixed values, no clock, no crypto."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from app.certs.model import (
    ADD_ACCEPTED_DOMAIN, ERROR, EXACT, WARNING, WILDCARD_CERTIFICATE, WILDCARD_CONNECTOR, Candidate,
    CertificateFacts, CertificateReport, Finding,
)
from app.remediation.answers import PlanAnswers

THUMBPRINT = "3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5"
ISSUER = "CN=Example TLS RSA CA G1, O=Example Trust, C=US"
ROOT = "CN=Example Root CA, O=Example Trust, C=US"
SUBJECT = "CN=mail.contoso.com, O=Contoso Ltd, L=Seattle, S=WA, C=US"


def facts(subject: str, issuer: str, *, dns_names: list[str], common_name: str | None,
          thumbprint: str, is_ca: bool = False, self_signed: bool = False) -> CertificateFacts:
    return CertificateFacts(
        subject=subject, issuer=issuer, subject_windows=subject, issuer_windows=issuer,
        common_name=common_name, dns_names=dns_names, other_names=[], serial_number="0A1B2C",
        thumbprint_sha1=thumbprint, fingerprint_sha256="AB" * 32,
        not_before=datetime(2026, 6, 1, tzinfo=timezone.utc), not_after=datetime(2026, 12, 17, tzinfo=timezone.utc),
        days_remaining=150, key_type="RSA", key_size=2048, key_curve=None, signature_hash="sha256",
        key_usage=["digital_signature"], extended_key_usages=["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
        is_ca=is_ca, self_signed=self_signed, pem="-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
    )


def report(*, dns_names: list[str] | None = None, candidates: list[Candidate] | None = None,
           findings: list[Finding] | None = None, subject: str = SUBJECT,
           with_intermediate: bool = True) -> CertificateReport:
    names = ["mail.contoso.com"] if dns_names is None else dns_names
    leaf = facts(subject, ISSUER, dns_names=names, common_name=names[0] if names else None, thumbprint=THUMBPRINT)
    chain = [leaf]
    if with_intermediate:
        chain.append(facts(ISSUER, ROOT, dns_names=[], common_name="Example TLS RSA CA G1",
                           thumbprint="11" * 20, is_ca=True))
    if candidates is None:
        candidates = [Candidate("mail.contoso.com", "mail.contoso.com", "mail.contoso.com", EXACT)]
    return CertificateReport(
        leaf=leaf, chain=chain, exchange_tls_certificate_name=f"<I>{leaf.issuer_windows}<S>{leaf.subject_windows}",
        candidates=candidates, findings=findings or [],
    )


def wildcard_report() -> CertificateReport:
    return report(dns_names=["*.contoso.com", "contoso.com"],
                  subject="CN=*.contoso.com, O=Contoso Ltd, C=US",
                  candidates=[Candidate("*.contoso.com", "*.contoso.com", "contoso.com", WILDCARD_CERTIFICATE)],
                  findings=[Finding("wildcard_certificate", "info", "The connector must say *.contoso.com.")])


def blocked_report() -> CertificateReport:
    """mail.contoso.com against fabrikam.com: usable only once mail.contoso.com is added as a domain."""
    return report(candidates=[Candidate("mail.contoso.com", "mail.contoso.com", "mail.contoso.com", ADD_ACCEPTED_DOMAIN)],
                  findings=[Finding("name_not_accepted", ERROR, "No name on the certificate is an accepted domain.")])


def host_name_report() -> CertificateReport:
    """mail.contoso.com with only contoso.com accepted (issue 11, item 8)."""
    return report(candidates=[
        Candidate("mail.contoso.com", "mail.contoso.com", "mail.contoso.com", ADD_ACCEPTED_DOMAIN),
        Candidate("*.contoso.com", "mail.contoso.com", "contoso.com", WILDCARD_CONNECTOR),
    ], findings=[Finding("host_name_not_accepted_domain", WARNING, "Add mail.contoso.com, or use *.contoso.com.")])


def internal_name_report() -> CertificateReport:
    """A certificate that names only mail.contoso.local (issue 10, item 4)."""
    return report(dns_names=["mail.contoso.local"], subject="CN=mail.contoso.local", candidates=[], findings=[
        Finding("internal_name", ERROR, "mail.contoso.local exists only inside your network."),
    ])


def expired_report() -> CertificateReport:
    return report(findings=[
        Finding("expired", ERROR, "The certificate expired on 2026-01-01."),
        Finding("incomplete_chain", WARNING, "The upload holds no intermediate certificate."),
    ])


def answers(server_kind: str = "exchange-2019", existing: str = "none", **changes) -> PlanAnswers:
    names = {"none": "", "ip": "Inbound from printers (IP)", "certificate": "Inbound from Contoso"}
    base = PlanAnswers(
        accepted_domains=["contoso.com", "mail.contoso.com"],
        server_kind=server_kind,
        server_fqdn="mail.contoso.com",
        mx_endpoint="contoso-com.mail.protection.outlook.com",
        existing_connector_kind=existing,
        existing_connector_name=names[existing],
        scenarios=["ndr", "forwarding"],
        organization="Contoso Ltd",
        case_reference="CASE-2026-0042",
    )
    return replace(base, **changes)
