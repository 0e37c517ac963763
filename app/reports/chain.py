"""The intermediate certificates of an upload, as the files the plan tells the admin to import."""
from __future__ import annotations

import io
import ntpath
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from app.certs.model import CertificateFacts, CertificateReport
from app.remediation.rules import UNIX_CHAIN_FILE, WINDOWS_INTERMEDIATE_PATH

BUNDLE_FILE = "intermediates.p7b"


def intermediates(report: CertificateReport | None) -> list[CertificateFacts]:
    """The CA certificates between the server's and the root, numbered as the plan's Import-Certificate lines."""
    return [member for member in report.chain[1:] if not member.self_signed] if report else []


def certificate_file(number: int) -> str:
    """intermediate-1.cer: the file name the plan's commands import."""
    return ntpath.basename(WINDOWS_INTERMEDIATE_PATH % number)


def intermediates_dict(report: CertificateReport | None) -> list[dict]:
    return [{"file": certificate_file(number), "subject": member.subject_windows, "issuer": member.issuer_windows,
             "thumbprint_sha1": member.thumbprint_sha1, "pem": member.pem}
            for number, member in enumerate(intermediates(report), start=1)]


def chain_zip(report: CertificateReport) -> bytes:
    """intermediate-N.cer (DER) for Windows, the same as one .p7b bundle, and the server's certificate
    followed by its intermediates as the PEM chain file Postfix, Sendmail and Exim read."""
    members = intermediates(report)
    certificates = [x509.load_pem_x509_certificate(member.pem.encode()) for member in members]
    files = {certificate_file(number): cert.public_bytes(Encoding.DER)
             for number, cert in enumerate(certificates, start=1)}
    files[BUNDLE_FILE] = pkcs7.serialize_certificates(certificates, Encoding.DER)
    files[UNIX_CHAIN_FILE] = "".join([report.leaf.pem] + [member.pem for member in members]).encode()
    # Dated when the certificate became valid, not 1980-01-01: the same chain still gives the same bytes.
    dated = report.leaf.not_before.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, dated), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
