"""The web layer's way into the certificate analysis: a case's stored chain and domains.

The analysis runs under a wall-clock guard (app.web.budget). Its inputs are capped where they
enter (names per certificate in app.certs.reading, domains per request in
app.api.inputs and the wizard's form), so the guard is the backstop should any
input still cost more: the request ends with a 503 instead of holding a worker.
"""
from __future__ import annotations

import os

from flask import current_app
from flask_babel import gettext

from app.certs.analysis import analyze
from app.certs.model import CertificateReport
from app.certs.reading import CertificateInputError, Upload, read_certificates
from app.certs.trust import load_trust_store
from app.store import Case
from app.translate import Translate
from app.web.budget import CERTIFICATE, AnalysisTimeout, budget  # noqa: F401  AnalysisTimeout: raised here


# Seconds of wall-clock time one analysis may take; a thousand names against
# five thousand domains takes about 0.6 s.
TIME_LIMIT = float(os.environ.get("ANALYSIS_TIME_LIMIT", 2))


def time_limit(seconds: float):
    """The certificate analysis's budget: AnalysisTimeout in the block after ``seconds`` (app.web.budget)."""
    return budget(CERTIFICATE, seconds)


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
    store = trust_store()
    with time_limit(TIME_LIMIT):
        return analyze(upload.certificates, domains, trust_store=store,
                       private_key_dropped=private_key_dropped or upload.private_key_dropped, _=_)


class StoredCertificateUnreadable(Exception):
    """A case's saved chain no longer reads: saved before a limit it breaks (the names per certificate, say)."""

    def __init__(self, case: Case, error: CertificateInputError):
        super().__init__(error.code)
        self.case, self.error = case, error


def stored_certificates(case: Case) -> Upload | None:
    """A case's saved certificates read again under today's limits; StoredCertificateUnreadable if they fail."""
    if not case.certificate_pem:
        return None
    try:
        return read_certificates(case.certificate_pem.encode())
    except CertificateInputError as error:
        raise StoredCertificateUnreadable(case, error) from error


def unreadable_reason(case: Case, _: Translate = gettext) -> str | None:
    """Why a case's saved certificate no longer reads, for the page to say; None when it reads or there is none."""
    try:
        stored_certificates(case)
    except StoredCertificateUnreadable as error:
        return error.error.message(_)
    return None


def case_report(case: Case, _: Translate = gettext) -> CertificateReport | None:
    """The report for a case's stored certificates (public data only), made afresh."""
    upload = stored_certificates(case)
    if upload is None:
        return None
    return analyze_upload(upload, case_domains(case), private_key_dropped=case.private_key_dropped, _=_)
