"""Every fact the report shows about one certificate, read defensively.

cryptography parses names, extensions and keys lazily, so a certificate that
loaded fine can still raise on any property. Each field is read on its own;
one that fails is listed in ``unreadable`` and gets a neutral value, so that
one odd extension never hides the rest of the report.
"""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from typing import Callable, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from app.certs.chain import PARSE_ERRORS, Links, is_ca, quiet_parser_warnings
from app.certs.kept import Kept
from app.certs.model import CertificateFacts
from app.certs.names import windows_name

T = TypeVar("T")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _read(field: str, unreadable: list[str], read: Callable[[], T], default: T) -> T:
    try:
        return read()
    except PARSE_ERRORS:
        unreadable.append(field)
        return default


def _hex(data: bytes) -> str:
    return data.hex().upper()


def _serial_hex(serial: int) -> str:
    # The DER content bytes, as Windows shows them (two's complement if negative).
    length = max(1, (serial.bit_length() + 8) // 8)
    return _hex(serial.to_bytes(length, "big", signed=True))  # pragma: no mutate: "big" is the default byte order too


def _common_name(cert: x509.Certificate) -> str | None:
    attributes = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attributes[0].value) if attributes else None


def _sans(cert: x509.Certificate) -> list[x509.GeneralName]:
    try:
        return list(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)
    except x509.ExtensionNotFound:
        return []


_OTHER_NAME_PREFIX = {
    x509.IPAddress: "IP",
    x509.RFC822Name: "email",
    x509.UniformResourceIdentifier: "URI",
    x509.DirectoryName: "DirName",
    x509.RegisteredID: "RID",
    x509.OtherName: "othername",
}


def _other_name(name: x509.GeneralName) -> str:
    value = name.value
    if isinstance(name, x509.DirectoryName):
        value = value.rfc4514_string()
    elif isinstance(name, x509.RegisteredID):
        value = value.dotted_string
    elif isinstance(name, x509.OtherName):
        value = name.type_id.dotted_string
    # pragma: no mutate start, every kind has a label
    return f"{_OTHER_NAME_PREFIX.get(type(name), type(name).__name__)}:{value}"
    # pragma: no mutate end


def _key_facts(cert: x509.Certificate) -> tuple[str, int | None, str | None]:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size, key.curve.name
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, None
    return type(key).__name__, None, None


def _extension_value(cert: x509.Certificate, extension_type):
    try:
        return cert.extensions.get_extension_for_class(extension_type).value
    except x509.ExtensionNotFound:
        return None


def _key_usage(cert: x509.Certificate) -> list[str]:
    usage = _extension_value(cert, x509.KeyUsage)
    if usage is None:
        return []
    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign"]
    found = [n for n in names if getattr(usage, n)]
    if usage.key_agreement:
        found += [n for n in ("encipher_only", "decipher_only") if getattr(usage, n)]
    return found


def _ekus(cert: x509.Certificate) -> list[str] | None:
    """Dotted EKU OIDs; None when the certificate has no EKU extension (any use)."""
    value = _extension_value(cert, x509.ExtendedKeyUsage)
    return None if value is None else [oid.dotted_string for oid in value]


def certificate_facts(cert: x509.Certificate, now: datetime) -> CertificateFacts:
    """Facts for one certificate at instant ``now`` (aware datetime)."""
    return chain_facts(Links([cert]), [0], now)[0]


# The facts of recent certificates but their days remaining, by DER: a certificate says what it
# says whatever the time (days_remaining is worked out from ``now`` on every use). A public CA's
# intermediates and roots come with upload after upload. Large certificates are not kept, so
# that the entries stay small: each holds its PEM and names.
_KEPT: Kept[bytes, dict] = Kept(256)  # pragma: no mutate: a size
KEPT_DER_BYTES = 4096  # pragma: no mutate: a size
_LISTS = ("dns_names", "other_names", "key_usage", "extended_key_usages", "unreadable")


def chain_facts(links: Links, positions: list[int], now: datetime) -> list[CertificateFacts]:
    """Facts of the certificates at ``positions`` of ``links``, at instant ``now``: each
    certificate's DER read once, and whether it is self-signed as ``links`` tells."""
    with quiet_parser_warnings():
        return [_dated(_lasting(links, position), now) for position in positions]


def _lasting(links: Links, position: int) -> dict:
    der = links.ders[position]
    facts = _KEPT.get(der)
    if facts is None:
        facts = _facts(links.certs[position], der, links.issues(position, position, by_names=False))
        if len(der) <= KEPT_DER_BYTES:  # pragma: no mutate: a size
            _KEPT.put(der, facts)
    return facts


def _dated(facts: dict, now: datetime) -> CertificateFacts:
    lists = {name: list(facts[name]) for name in _LISTS}  # each report its own lists
    return CertificateFacts(**{**facts, **lists}, days_remaining=(facts["not_after"] - now).days)


def _facts(cert: x509.Certificate, der: bytes, self_signed: bool) -> dict:
    """Every fact but days_remaining, as CertificateFacts' fields."""
    bad: list[str] = []
    sans = _read("subject_alternative_name", bad, lambda: _sans(cert), [])
    # pragma: no mutate start, cryptography parses the validity when it loads a certificate: these reads never fail
    not_before = _read("not_before", bad, lambda: cert.not_valid_before_utc, _EPOCH)
    not_after = _read("not_after", bad, lambda: cert.not_valid_after_utc, _EPOCH)
    # pragma: no mutate end
    key_type, key_size, key_curve = _read("public_key", bad, lambda: _key_facts(cert), ("unknown", None, None))
    signature_hash = _read("signature_hash", bad, lambda: _hash_name(cert.signature_hash_algorithm), None)
    ekus = _read("extended_key_usages", bad, lambda: _ekus(cert), None)
    return dict(
        subject=_read("subject", bad, lambda: cert.subject.rfc4514_string(), ""),
        issuer=_read("issuer", bad, lambda: cert.issuer.rfc4514_string(), ""),
        subject_windows=_read("subject_windows", bad, lambda: windows_name(cert.subject), ""),
        issuer_windows=_read("issuer_windows", bad, lambda: windows_name(cert.issuer), ""),
        common_name=_read("common_name", bad, lambda: _common_name(cert), None),
        dns_names=[n.value for n in sans if isinstance(n, x509.DNSName)],
        other_names=[_other_name(n) for n in sans if not isinstance(n, x509.DNSName)],
        serial_number=_read("serial_number", bad, lambda: _serial_hex(cert.serial_number), ""),
        # Exchange names certificates by their SHA-1 thumbprint: an identifier, not a security check.
        thumbprint_sha1=hashlib.sha1(der, usedforsecurity=False).hexdigest().upper(),
        fingerprint_sha256=hashlib.sha256(der).hexdigest().upper(),
        not_before=not_before,
        not_after=not_after,
        key_type=key_type,
        key_size=key_size,
        key_curve=key_curve,
        signature_hash=signature_hash,
        key_usage=_read("key_usage", bad, lambda: _key_usage(cert), []),
        extended_key_usages=ekus or [],
        eku_restricted=ekus is not None,
        is_ca=_read("basic_constraints", bad, lambda: is_ca(cert), False),
        self_signed=self_signed,
        pem=_pem(der),
        unreadable=bad,
    )


def _pem(der: bytes) -> str:
    """The certificate as PEM, as cryptography writes it (RFC 7468: 64 characters a line), from
    the DER in hand: cryptography's public_bytes would encode the certificate again."""
    text = base64.b64encode(der).decode("ascii")
    lines = "\n".join(text[start:start + 64] for start in range(0, len(text), 64))
    return f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"


def _hash_name(algorithm: hashes.HashAlgorithm | None) -> str | None:
    return algorithm.name if algorithm is not None else None
