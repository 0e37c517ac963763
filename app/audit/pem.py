"""Certificates pasted as base64 (the collection script prints each one): read and analysed by app/certs."""
from __future__ import annotations

from datetime import datetime

from app.audit.model import PastedObject
from app.certs.analysis import analyze
from app.certs.matching import certificate_names
from app.certs.model import CertificateReport
from app.certs.reading import CertificateInputError, read_certificates
from app.certs.trust import TrustStore
from app.translate import Translate

def report(certificate: PastedObject, accepted: list[str], now: datetime, trust_store: TrustStore | None,
           _: Translate) -> CertificateReport | None:
    """The analysis of the PEM blocks printed with ``certificate`` (leaf, then its issuers), if any."""
    if not certificate.certificates:
        return None
    try:
        upload = read_certificates("\n".join(certificate.certificates).encode())
    except CertificateInputError:
        return None
    return analyze(upload.certificates, accepted, now=now, trust_store=trust_store, _=_)


def names(certificate_report: CertificateReport | None) -> list[str]:
    return certificate_names(certificate_report.leaf) if certificate_report else []
