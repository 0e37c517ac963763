"""Check a certificate signing request (CSR) before it is sent to a CA.

A CSR is read as a certificate is (app.certs.reading: PEM, DER, base64 without
armour, UTF-16 text), and checked with the same name, key and signature rules,
as the certificate a CA would issue for it. It never becomes a case's
certificate: nothing here stores it, and its report has no issuer, dates or
chain, because only the CA decides those.

Exchange 2016 and later write the request file as UTF-16 without a byte order
mark (Microsoft's "Create an Exchange Server certificate request" example:
``[System.Text.Encoding]::Unicode.GetBytes``), so such text is read too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from app.certs.chain import PARSE_ERRORS, quiet_parser_warnings
from app.certs.eku import EKU_STATEMENT
from app.certs.facts import _common_name, _hash_name, _key_facts, _other_name
from app.certs.findings import WEAK_HASHES, key_findings, usage_findings
from app.certs.matching import find_candidates, internal_names, name_findings, normalize_accepted, public_names
from app.certs.model import ERROR, INFO, Candidate, ConnectorValues, Finding
from app.certs.names import windows_name
from app.certs.reading import (
    MAX_NAMES, NO_CERTIFICATE, TOO_MANY_NAMES, CertificateInputError, _as_bytes, _unwrap_base64, pem_blocks,
)
from app.translate import N_, Translate, plain

NOT_A_REQUEST = "not_a_request"
_REQUEST_LABELS = (b"CERTIFICATE REQUEST", b"NEW CERTIFICATE REQUEST")
_NOT_A_REQUEST = N_("This file is not a certificate signing request (CSR). Upload the .req or .csr file that "
                    "New-ExchangeCertificate or openssl req wrote.")
_A_CERTIFICATE = N_("This is a certificate, not a signing request: upload it in the certificate check instead.")


class RequestInputError(CertificateInputError):
    """The upload is no readable CSR; message() says what to upload."""

    def message(self, _: Translate = plain) -> str:
        if self.code == NOT_A_REQUEST:
            return _(_A_CERTIFICATE) if self.detail == "certificate" else _(_NOT_A_REQUEST)
        return super().message(_)


@dataclass(frozen=True)
class RequestFacts:
    """What a CSR asks for; the field names match CertificateFacts, so the name and key checks read both."""

    subject: str                      # RFC 4514
    subject_windows: str              # as Windows prints it
    common_name: str | None
    dns_names: list[str]
    other_names: list[str]
    key_type: str
    key_size: int | None
    key_curve: str | None
    signature_hash: str | None
    signature_valid: bool
    extended_key_usages: list[str]    # requested; the CA decides what the certificate carries
    eku_restricted: bool
    fingerprint_sha256: str           # of the request's DER, to tell two requests apart
    pem: str
    unreadable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RequestReport(ConnectorValues):
    request: RequestFacts
    candidates: list[Candidate]
    findings: list[Finding]


def looks_like_request(data: bytes) -> bool:
    """Whether the bytes read as a CSR (used where a certificate was expected)."""
    try:
        read_request(data)
    except CertificateInputError:
        return False
    return True


def _as_text(data: bytes) -> bytes:
    """UTF-16 text with or without a byte order mark, as ASCII bytes; other bytes unchanged."""
    if len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00" and data[:1] != b"\x00":
        try:
            return data.decode("utf-16-le").encode("ascii", "replace")
        except UnicodeDecodeError:
            return data
    return _as_bytes(data)


def read_request(data: bytes) -> x509.CertificateSigningRequest:
    """The CSR in PEM, DER or armourless base64; RequestInputError for anything else."""
    data = _as_text(data)
    if not data.strip():
        raise RequestInputError(NO_CERTIFICATE)
    with quiet_parser_warnings():
        if b"-----BEGIN " in data:
            blocks = list(pem_blocks(data))
            found = [block for label, block in blocks if label in _REQUEST_LABELS]
            if not found:
                certificate = any(label in (b"CERTIFICATE", b"X509 CERTIFICATE") for label, _block in blocks)
                raise RequestInputError(NOT_A_REQUEST, "certificate" if certificate else None)
            csr = _load(x509.load_pem_x509_csr, found[0])
        else:
            der = _unwrap_base64(data) or data
            csr = _load(x509.load_der_x509_csr, der, certificate_check=der)
        if _name_count(csr) > MAX_NAMES:
            raise RequestInputError(TOO_MANY_NAMES)
        return csr


def _load(loader, data: bytes, certificate_check: bytes | None = None):
    try:
        return loader(data)
    except PARSE_ERRORS:
        pass
    detail = None
    if certificate_check is not None:
        try:
            x509.load_der_x509_certificate(certificate_check)
            detail = "certificate"
        except PARSE_ERRORS:
            pass
    raise RequestInputError(NOT_A_REQUEST, detail)


def _name_count(csr: x509.CertificateSigningRequest) -> int:
    sans = _extension(csr, x509.SubjectAlternativeName)
    return len(sans) if sans is not None else 0


def _extension(csr: x509.CertificateSigningRequest, extension_type):
    try:
        return csr.extensions.get_extension_for_class(extension_type).value
    except (x509.ExtensionNotFound, *PARSE_ERRORS):
        return None


def _read(name: str, bad: list[str], read, default):
    try:
        return read()
    except PARSE_ERRORS:
        bad.append(name)
        return default


def request_facts(csr: x509.CertificateSigningRequest) -> RequestFacts:
    bad: list[str] = []
    sans = _read("subject_alternative_name", bad, lambda: list(_extension(csr, x509.SubjectAlternativeName) or []), [])
    ekus = _read("extended_key_usages", bad, lambda: _extension(csr, x509.ExtendedKeyUsage), None)
    key_type, key_size, key_curve = _read("public_key", bad, lambda: _key_facts(csr), ("unknown", None, None))
    der = csr.public_bytes(serialization.Encoding.DER)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return RequestFacts(
        subject=_read("subject", bad, lambda: csr.subject.rfc4514_string(), ""),
        subject_windows=_read("subject_windows", bad, lambda: windows_name(csr.subject), ""),
        common_name=_read("common_name", bad, lambda: _common_name(csr), None),
        dns_names=[n.value for n in sans if isinstance(n, x509.DNSName)],
        other_names=[_other_name(n) for n in sans if not isinstance(n, x509.DNSName)],
        key_type=key_type, key_size=key_size, key_curve=key_curve,
        signature_hash=_read("signature_hash", bad, lambda: _hash_name(csr.signature_hash_algorithm), None),
        signature_valid=_read("signature", bad, lambda: csr.is_signature_valid, False),
        extended_key_usages=[oid.dotted_string for oid in ekus] if ekus is not None else [],
        eku_restricted=ekus is not None,
        fingerprint_sha256=digest.finalize().hex().upper(),
        pem=csr.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        unreadable=bad,
    )


def check_request(data: bytes, accepted_domains: list[str], *, _: Translate = plain) -> RequestReport:
    """Read a CSR and say whether a certificate issued for it would serve the tenant's connector."""
    with quiet_parser_warnings():
        facts = request_facts(read_request(data))
    names, accepted = public_names(facts), normalize_accepted(accepted_domains)
    candidates = find_candidates(names, accepted)
    findings = (_signature_findings(facts, _) + _key_findings(facts, _)
                + name_findings(names, internal_names(facts), accepted, candidates, _)
                + [f for f in usage_findings(facts, _) if f.code == "no_san"]
                + _wildcard_findings(names, _) + [_eku_finding(facts, _)])
    return RequestReport(facts, candidates, findings)


def _signature_findings(facts: RequestFacts, _: Translate) -> list[Finding]:
    if facts.signature_valid:
        return []
    return [Finding("request_signature_invalid", ERROR, _(
        "The request's signature does not match its key: the file was changed after it was made, or is "
        "damaged. A CA refuses it. Make the request again on the server."))]


# The certificate checks word their advice as "get a new certificate"; a request is made again instead.
_KEY_MESSAGES = {
    "weak_key": N_("The request's %(type)s key has only %(bits)s bits: a certificate issued for it would be "
                   "refused by current TLS stacks, and public CAs refuse the request. Make a new request with an "
                   "RSA key of at least 2048 bits or an EC key of at least 256 bits."),
    "weak_signature": N_("The request is signed with %(hash)s, which public CAs refuse. Make a new request "
                         "signed with SHA-256 or stronger."),
}


def _key_findings(facts: RequestFacts, _: Translate) -> list[Finding]:
    return [Finding(f.code, f.severity, _(_KEY_MESSAGES[f.code], type=facts.key_type, bits=facts.key_size,
                                          hash=WEAK_HASHES.get(facts.signature_hash or "", "")))
            for f in key_findings(facts, _)]  # type: ignore[arg-type]  # RequestFacts has the fields it reads


def _wildcard_findings(names: list[str], _: Translate) -> list[Finding]:
    wildcards = [name for name in names if name.startswith("*.")]
    if not wildcards:
        return []
    return [Finding("wildcard_request", INFO, _(
        "This request asks for %(name)s. The connector would then have to say %(name)s, and any other "
        "certificate under %(domain)s, for example one a server uses to send mail to another tenant, would "
        "match it too. Unless you chose the wildcard knowingly, request the host name of the server that "
        "sends (like mail.%(domain)s) instead.", name=wildcards[0], domain=wildcards[0][2:]))]


def _eku_finding(facts: RequestFacts, _: Translate) -> Finding:
    """The EKU question, as far as a request can answer it: the CA decides, Microsoft has not said."""
    return Finding("client_auth_eku_unconfirmed", INFO, EKU_STATEMENT.say(_))


def request_report_to_dict(report: RequestReport) -> dict:
    """The request check in the published JSON schema (/api/v1/certificate-request-check)."""
    facts = report.request
    return {
        "request": {
            "subject": facts.subject_windows,
            "common_name": facts.common_name,
            "dns_names": list(facts.dns_names),
            "other_names": list(facts.other_names),
            "key_type": facts.key_type,
            "key_size": facts.key_size,
            "signature_hash": facts.signature_hash,
            "signature_valid": facts.signature_valid,
            "extended_key_usages": list(facts.extended_key_usages),
            "fingerprint_sha256": facts.fingerprint_sha256,
        },
        "recommended_connector_domain": report.recommended_connector_domain,
        "working_connector_domain": report.working_connector_domain,
        "candidates": [c.to_dict() for c in report.candidates],
        "findings": [f.to_dict() for f in report.findings],
        "verdict": report.verdict,
    }
