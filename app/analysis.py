"""The web layer's way into the certificate analysis: a case's stored chain and domains."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from app.certs.analysis import analyze
from app.certs.model import CertificateReport
from app.certs.reading import read_certificates
from app.certs.trust import load_trust_store
from app.store import Case
from app.translate import Translate


def trust_store():
    return load_trust_store(current_app.config["TRUSTED_ROOTS_FILE"])


def case_domains(case: Case) -> list[str]:
    return list((case.answers.get("domains") or {}).get("domains", []))


def report_for(pem_or_der: bytes, domains: list[str], *, password: str | None = None,
               _: Translate = gettext) -> CertificateReport:
    """Read and analyse an upload; raises CertificateInputError for unusable input."""
    upload = read_certificates(pem_or_der, password)
    return analyze(upload.certificates, domains, trust_store=trust_store(),
                   private_key_dropped=upload.private_key_dropped, _=_)


def case_report(case: Case, _: Translate = gettext) -> CertificateReport | None:
    if not case.certificate_pem:
        return None
    return report_for(case.certificate_pem.encode(), case_domains(case), _=_)
