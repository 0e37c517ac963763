"""The web layer's way into the certificate analysis: a case's stored chain and domains."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from app.certs.analysis import analyze
from app.certs.model import CertificateReport
from app.certs.reading import Upload, read_certificates
from app.certs.trust import load_trust_store
from app.store import Case
from app.translate import Translate


def trust_store():
    return load_trust_store(current_app.config["TRUSTED_ROOTS_FILE"])


def case_domains(case: Case) -> list[str]:
    return list((case.answers.get("domains") or {}).get("domains", []))


def report_for(data: bytes, domains: list[str], *, password: str | None = None,
               private_key_dropped: bool = False, _: Translate = gettext) -> CertificateReport:
    """Read and analyse an upload; raises CertificateInputError for unusable input."""
    return analyze_upload(read_certificates(data, password), domains, private_key_dropped=private_key_dropped, _=_)


def analyze_upload(upload: Upload, domains: list[str], *, private_key_dropped: bool = False,
                   _: Translate = gettext) -> CertificateReport:
    return analyze(upload.certificates, domains, trust_store=trust_store(),
                   private_key_dropped=private_key_dropped or upload.private_key_dropped, _=_)


def case_report(case: Case, _: Translate = gettext) -> CertificateReport | None:
    """The report for a case's stored certificates (public data only), made afresh."""
    if not case.certificate_pem:
        return None
    return report_for(case.certificate_pem.encode(), case_domains(case),
                      private_key_dropped=case.private_key_dropped, _=_)
