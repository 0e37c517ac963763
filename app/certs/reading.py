"""Read an uploaded certificate file, whatever its format, into a leaf-first chain.

The format is told from the content, never from the file name: Windows exports
``.cer`` files both as DER and as PEM, and people rename files freely. Private
keys are recognised only to tell the user they were not kept: they are dropped
as soon as the parser returns and never stored or logged.
"""
from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from app.certs import pkcs12 as bounded_pkcs12
from app.certs.chain import PARSE_ERRORS, Links, der_of, quiet_parser_warnings
from app.translate import N_, Translate, plain

MAX_CERTIFICATES = 10
# Public CAs issue at most 100 to 250 names per certificate; a thousand leaves
# room for any private CA while keeping the name matching (names x domains) cheap.
MAX_NAMES = 1000

NO_CERTIFICATE = "no_certificate"
NOT_A_CERTIFICATE = "not_a_certificate"
PASSWORD_REQUIRED = "password_required"
WRONG_PASSWORD = "wrong_password"
PRIVATE_KEY_ONLY = "private_key_only"
TOO_MANY_CERTIFICATES = "too_many_certificates"
TOO_MANY_NAMES = "too_many_names"
PFX_TOO_COSTLY = "pfx_too_costly"

# What a non-certificate upload turned out to be (CertificateInputError.detail).
CSR, CRL, PUBLIC_KEY, DAMAGED = "csr", "crl", "public_key", "damaged"

_MESSAGES = {
    NO_CERTIFICATE: N_("The file is empty or holds no certificate. Upload the server "
                       "certificate as a .cer, .crt, .pem, .der, .p7b, .pfx or .p12 file."),
    NOT_A_CERTIFICATE: N_("This file is not a certificate. Upload the server certificate "
                          "as a .cer, .crt, .pem, .der, .p7b, .pfx or .p12 file."),
    PASSWORD_REQUIRED: N_("This .pfx file is protected by a password. Enter the password "
                          "and upload it again, or export the certificate without its "
                          "private key as a .cer file."),
    WRONG_PASSWORD: N_("The password does not open this .pfx file. Check the password "
                       "and upload it again."),
    PRIVATE_KEY_ONLY: N_("This file holds a private key but no certificate. Upload the "
                         "certificate instead, and keep the private key on the server."),
    TOO_MANY_CERTIFICATES: N_("This file holds more than %(limit)s certificates. Upload "
                              "only the server certificate and its intermediate certificates."),
    TOO_MANY_NAMES: N_("A certificate in this file holds more than %(limit)s names. We check "
                       "certificates with up to %(limit)s names: upload the certificate your "
                       "mail server presents."),
    PFX_TOO_COSTLY: N_("This .pfx file asks for more than %(limit)s rounds of password hashing, "
                       "which would take too long to open. Export it again with the standard "
                       "settings (in Windows: AES256-SHA256), or export the certificate without "
                       "its private key as a .cer file."),
}
_LIMITS = {TOO_MANY_CERTIFICATES: MAX_CERTIFICATES, TOO_MANY_NAMES: MAX_NAMES,
           PFX_TOO_COSTLY: f"{bounded_pkcs12.MAX_ITERATIONS:,}"}
_DETAILS = {
    CSR: N_("This is a certificate signing request (CSR), not a certificate: upload the "
            "certificate your CA issued."),
    CRL: N_("This is a certificate revocation list (CRL), not a certificate: upload the "
            "server certificate."),
    PUBLIC_KEY: N_("This is a public key, not a certificate: upload the server certificate "
                   "(it contains the public key)."),
    DAMAGED: N_("A certificate in this file is damaged and cannot be read. Export the "
                "certificate again and upload the new file."),
}


class CertificateInputError(Exception):
    """The upload cannot be used; ``code`` says why, ``detail`` may say what it was."""

    def __init__(self, code: str, detail: str | None = None):
        # pragma: no mutate start, users read message(), not this
        super().__init__(code if detail is None else f"{code}: {detail}")
        # pragma: no mutate end
        self.code = code
        self.detail = detail

    def message(self, _: Translate = plain) -> str:
        return input_error_message(self.code, _, detail=self.detail)


def input_error_message(code: str, _: Translate = plain, *, detail: str | None = None) -> str:
    """The plain message for an input error code (and detail, when known)."""
    if detail in _DETAILS:
        return _(_DETAILS[detail])
    if code in _LIMITS:
        return _(_MESSAGES[code], limit=_LIMITS[code])
    return _(_MESSAGES[code])


@dataclass(frozen=True)
class Upload:
    certificates: list[x509.Certificate]  # leaf first, then its issuers, then extras
    private_key_dropped: bool


def read_certificates(data: bytes, password: str | None = None) -> Upload:
    """Certificates from PEM, DER, PKCS#7 or PKCS#12 bytes, leaf first.

    Raises CertificateInputError, and nothing else, for anything unusable.
    """
    data = _as_bytes(data)
    if not data.strip():
        raise CertificateInputError(NO_CERTIFICATE)
    with quiet_parser_warnings():
        if b"-----BEGIN " in data:
            certs, key_dropped = _read_pem(data)
        else:
            certs, key_dropped = _read_binary(_unwrap_base64(data) or data, password)
        unique = {der_of(cert): cert for cert in certs}
        if len(unique) > MAX_CERTIFICATES:
            raise CertificateInputError(TOO_MANY_CERTIFICATES)
        if any(_name_count(cert) > MAX_NAMES for cert in unique.values()):
            raise CertificateInputError(TOO_MANY_NAMES)
        # Names alone: analysis verifies each signature once, with the trust store.
        return Upload(Links(list(unique.values())).ordered(by_names=True), key_dropped)


def _name_count(cert: x509.Certificate) -> int:
    try:
        return len(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    except (x509.ExtensionNotFound, *PARSE_ERRORS):
        return 0  # pragma: no mutate: any count under MAX_NAMES passes; no names, or a damaged extension reported later


def _as_bytes(data: bytes) -> bytes:
    # Windows tools sometimes save PEM text as UTF-16.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("ascii", "replace")
        except UnicodeDecodeError:
            return data
    return data


_PEM_MARKER = re.compile(rb"-----(BEGIN|END) ([A-Z0-9 ]+)-----")


def pem_blocks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(label, block) for each BEGIN ... END pair with the same label, in one pass over ``data``.

    A BEGIN without its END is dropped when the next BEGIN starts, as OpenSSL
    does: matching each BEGIN with a search for its END would cost time
    quadratic in the number of unclosed BEGIN lines.
    """
    label, start = None, 0  # pragma: no mutate: each BEGIN sets both before use
    for marker in _PEM_MARKER.finditer(data):
        if marker.group(1) == b"BEGIN":
            label, start = marker.group(2), marker.start()
        elif marker.group(2) == label:
            yield label, data[start:marker.end()]
            label = None  # pragma: no mutate: no label is empty, so "" would do too


def _read_pem(data: bytes) -> tuple[list[x509.Certificate], bool]:
    certs: list[x509.Certificate] = []
    labels = set()
    for label, block in pem_blocks(data):
        labels.add(label)
        if label in (b"CERTIFICATE", b"X509 CERTIFICATE"):
            certs.append(_load(x509.load_pem_x509_certificate, block, DAMAGED))
        elif label == b"PKCS7":
            # Encrypted or signed-message PKCS#7 holds no certificate list.
            certs.extend(_load(pkcs7.load_pem_pkcs7_certificates, block, None))
    key_dropped = any(label.endswith(b"PRIVATE KEY") for label in labels)
    if not certs:
        if key_dropped:
            raise CertificateInputError(PRIVATE_KEY_ONLY)
        raise CertificateInputError(NOT_A_CERTIFICATE, _what_else_pem(labels))
    return certs, key_dropped


def _what_else_pem(labels: set[bytes]) -> str | None:
    if labels & {b"CERTIFICATE REQUEST", b"NEW CERTIFICATE REQUEST"}:
        return CSR
    if b"X509 CRL" in labels:
        return CRL
    if labels & {b"PUBLIC KEY", b"RSA PUBLIC KEY"}:
        return PUBLIC_KEY
    return None


def _load(loader, block: bytes, detail: str | None):
    try:
        return loader(block)
    except PARSE_ERRORS:
        raise CertificateInputError(NOT_A_CERTIFICATE, detail) from None


def _unwrap_base64(data: bytes) -> bytes | None:
    """DER bytes from base64 text without PEM armour (some tools export that)."""
    compact = b"".join(data.split())
    # pragma: no mutate start, short text is refused either way
    if len(compact) < 64 or not re.fullmatch(rb"[A-Za-z0-9+/]+={0,2}", compact):
    # pragma: no mutate end
        return None
    try:
        return base64.b64decode(compact, validate=True)  # pragma: no mutate: the pattern above admits only base64
    except (binascii.Error, ValueError):
        return None


def _read_binary(der: bytes, password: str | None) -> tuple[list[x509.Certificate], bool]:
    for loader in (lambda d: [x509.load_der_x509_certificate(d)], pkcs7.load_der_pkcs7_certificates):
        try:
            certs = loader(der)
        except PARSE_ERRORS:
            continue
        if certs:
            return certs, False
    if _looks_like_pkcs12(der):
        return _read_pkcs12(der, password)
    raise CertificateInputError(*_what_else_der(der))


def _what_else_der(der: bytes) -> tuple[str, str | None]:
    recognisers = (
        (x509.load_der_x509_csr, (NOT_A_CERTIFICATE, CSR)),
        (x509.load_der_x509_crl, (NOT_A_CERTIFICATE, CRL)),
        (serialization.load_der_public_key, (NOT_A_CERTIFICATE, PUBLIC_KEY)),
        (lambda d: serialization.load_der_private_key(d, None), (PRIVATE_KEY_ONLY, None)),
    )
    for loader, outcome in recognisers:
        try:
            loader(der)
        except TypeError:
            return outcome  # an encrypted private key: "password was not given"
        except PARSE_ERRORS:
            continue
        return outcome
    return NOT_A_CERTIFICATE, None


# PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (id-data or
# id-signedData), ... }. Recognising it tells a wrong password from a file that
# is not PKCS#12 at all: cryptography reports both as the same ValueError.
_PKCS12_VERSION = b"\x02\x01\x03\x30"
_PKCS7_CONTENT_OID = bytes.fromhex("06092a864886f70d0107")


def _looks_like_pkcs12(der: bytes) -> bool:
    # After the tag, the outer length takes 1 to 5 bytes (4 from 64 KiB on): the version follows it.
    return der[:1] == b"\x30" and _PKCS12_VERSION in der[2:10] and _PKCS7_CONTENT_OID in der[:32]


def _read_pkcs12(der: bytes, password: str | None) -> tuple[list[x509.Certificate], bool]:
    try:
        bounded_pkcs12.check_cost(der)
        # A password typed for an unprotected file is forgiven. "No password" is
        # tried once: cryptography tries both NULL and the empty string for it.
        # pragma: no mutate start, codec names ignore case
        opened = bounded_pkcs12.load_bounded(der, ([password.encode("utf-8")] if password else []) + [None])
        # pragma: no mutate end
    except bounded_pkcs12.Unreadable:
        raise CertificateInputError(NOT_A_CERTIFICATE, DAMAGED) from None
    except bounded_pkcs12.TooCostly:
        raise CertificateInputError(PFX_TOO_COSTLY) from None
    if opened is None:  # a cut-off file never gets here: its structure does not walk (Unreadable above)
        raise CertificateInputError(WRONG_PASSWORD if password else PASSWORD_REQUIRED)
    ders, key_dropped = opened
    if not ders:
        raise CertificateInputError(PRIVATE_KEY_ONLY if key_dropped else NO_CERTIFICATE)
    # pragma: no mutate start, DERs cryptography just wrote always load
    return [_load(x509.load_der_x509_certificate, der_cert, DAMAGED) for der_cert in ders], key_dropped
    # pragma: no mutate end
