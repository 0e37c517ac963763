"""Distinguished names as Windows prints them, for Exchange's TlsCertificateName.

Exchange compares ``<I>issuer<S>subject`` with the strings that
Get-ExchangeCertificate shows, which come from CertNameToStr with
CERT_X500_NAME_STR | CERT_NAME_STR_REVERSE_FLAG. RFC 4514 strings (what
cryptography and OpenSSL print) differ in order, keys and quoting, and would
not match.

Windows versions differ in which attribute types get a short key (the .NET
X500DistinguishedName tests note it), so the value computed here is a check to
compare with what the server prints: generated commands read the value from
Get-ExchangeCertificate on the server and never paste this one.
"""
from __future__ import annotations

from cryptography import x509

# The short keys CertNameToStr knows; any other attribute is "OID.<dotted>".
_WINDOWS_KEYS = {
    "2.5.4.3": "CN",
    "2.5.4.7": "L",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.8": "S",
    "2.5.4.9": "STREET",
    "2.5.4.17": "PostalCode",
    "1.2.840.113549.1.9.1": "E",
    "0.9.2342.19200300.100.1.25": "DC",
    "2.5.4.12": "T",
    "2.5.4.42": "G",
    "2.5.4.43": "I",
    "2.5.4.4": "SN",
    "2.5.4.5": "SERIALNUMBER",
}
_NEEDS_QUOTES = set(',+="\n<>#;')


def _windows_value(value: str | bytes) -> str:
    if isinstance(value, bytes):
        # Binary attributes (x500UniqueIdentifier) print as "#" and hex.
        return "#" + value.hex().upper()
    if value != value.strip() or _NEEDS_QUOTES & set(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def _windows_attribute(attribute: x509.NameAttribute) -> str:
    dotted = attribute.oid.dotted_string
    key = _WINDOWS_KEYS.get(dotted, "OID." + dotted)
    return f"{key}={_windows_value(attribute.value)}"


def windows_name(name: x509.Name) -> str:
    """``name`` as Get-ExchangeCertificate shows it: last RDN first, ", " between RDNs."""
    return ", ".join(
        " + ".join(_windows_attribute(a) for a in rdn) for rdn in reversed(name.rdns)
    )


def exchange_tls_certificate_name(cert: x509.Certificate) -> str:
    """The Send connector's -TlsCertificateName value: ``<I>issuer<S>subject``."""
    return tls_certificate_name(windows_name(cert.issuer), windows_name(cert.subject))


def tls_certificate_name(issuer_windows: str, subject_windows: str) -> str:
    """-TlsCertificateName from the issuer and subject as windows_name gives them."""
    return f"<I>{issuer_windows}<S>{subject_windows}"
