"""The report as JSON-ready data: the schema the API and the stored cases use."""
from __future__ import annotations

from datetime import datetime, timezone

from app.certs.model import CertificateFacts, CertificateReport


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _certificate(facts: CertificateFacts) -> dict:
    return {
        "subject": facts.subject_windows,
        "issuer": facts.issuer_windows,
        "common_name": facts.common_name,
        "dns_names": list(facts.dns_names),
        "not_before": _iso(facts.not_before),
        "not_after": _iso(facts.not_after),
        "days_remaining": facts.days_remaining,
        "serial_number": facts.serial_number,
        "thumbprint_sha1": facts.thumbprint_sha1,
        "fingerprint_sha256": facts.fingerprint_sha256,
        "key_type": facts.key_type,
        "key_size": facts.key_size,
        "signature_hash": facts.signature_hash,
        "extended_key_usages": list(facts.extended_key_usages),
        "self_signed": facts.self_signed,
        "is_ca": facts.is_ca,
    }


def report_to_dict(report: CertificateReport) -> dict:
    """The report in the published JSON schema (dates ISO 8601 UTC with "Z").

    ``subject`` and ``issuer`` are the Windows strings (as Get-ExchangeCertificate
    shows them), the form an Exchange admin compares and pastes.
    """
    return {
        "certificate": _certificate(report.leaf),
        "chain": [
            {"subject": c.subject_windows, "issuer": c.issuer_windows,
             "thumbprint_sha1": c.thumbprint_sha1}
            for c in report.chain
        ],
        "exchange_tls_certificate_name": report.exchange_tls_certificate_name,
        "recommended_connector_domain": report.recommended_connector_domain,
        "candidates": [c.to_dict() for c in report.candidates],
        "findings": [f.to_dict() for f in report.findings],
        "verdict": report.verdict,
        "notices": list(report.notices),
    }
