"""Real test certificates, made with cryptography (no mocks, no files on disk).

Small API shared by every test suite::

    from tests.certfactory import make_hierarchy, make_leaf, to_pem

    h = make_hierarchy(sans=["mail.contoso.com"])     # root -> intermediate -> leaf
    pem = to_pem(h.leaf.cert, h.intermediate.cert)    # what a server presents
    store_path = write_trust_store(tmp_path / "roots.pem", h.root.cert)

Every function returns an :class:`Issued` (certificate plus its private key) so
that it can issue further certificates. Keys are cached per (type, size): RSA
generation is slow, and tests never need distinct keys. EC P-256 is the default
wherever the key type does not matter.
"""
from __future__ import annotations

import functools
import ipaddress
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
# Signing a CSR imports the OpenSSL backend lazily: load it now, before a test's guard on opened files.
import cryptography.hazmat.backends.openssl  # noqa: F401,E402

SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
DAY = timedelta(days=1)

# Fixed instant for tests that need exact dates; default validity is relative
# to the real clock so that certificates also verify "now".
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def one_way(when: datetime, step: timedelta = DAY) -> datetime:
    """``when``, or the first later day (earlier with ``step=-DAY``) whose date reads the same as M/d and
    d/M (day after the 12th, or day equal to month).

    Default validity ends on such a day, so a pasted NotAfter ("6/5/2027" in en-US, which the audit
    also reads as 6 May) means the same whichever day the tests run: otherwise a run in March would
    find the certificates "expiring" on the day-first reading (issue 29).
    """
    while when.day <= 12 and when.day != when.month:
        when += step
    return when


@dataclass(frozen=True)
class Issued:
    """A certificate and the private key that can issue with it."""

    cert: x509.Certificate
    key: object


@dataclass(frozen=True)
class Hierarchy:
    root: Issued
    intermediate: Issued
    leaf: Issued


@functools.lru_cache(maxsize=None)
def make_key(key_type: str = "ec", size: int | None = None):
    """A private key, cached: ``("ec", 256|384)``, ``("rsa", 1024|2048|...)``, ``("ed25519",)``."""
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=size or 2048)
    if key_type == "ec":
        curve = {256: ec.SECP256R1(), 384: ec.SECP384R1(), 192: ec.SECP192R1()}[size or 256]
        return ec.generate_private_key(curve)
    if key_type == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(key_type)


def name(cn: str | None = None, *attributes: x509.NameAttribute | x509.RelativeDistinguishedName) -> x509.Name:
    """A subject name: the given attributes (DER order), then CN if given."""
    rdns = [a if isinstance(a, x509.RelativeDistinguishedName) else x509.RelativeDistinguishedName([a])
            for a in attributes]
    if cn is not None:
        rdns.append(x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
    return x509.Name(rdns)


def _build(subject: x509.Name, issuer: Issued | None, public_key, *, ca: bool,
           not_before: datetime, not_after: datetime, hash_alg, extensions: Iterable,
           signing_key=None) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.cert.public_key()), critical=False)
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    key = signing_key or (issuer.key if issuer else None)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        hash_alg = None
    if isinstance(hash_alg, (hashes.SHA1, hashes.MD5)):
        return _sign_weak(builder.sign(key, hashes.SHA256()), key, hash_alg)
    return builder.sign(key, hash_alg)


# cryptography refuses to sign with SHA-1 or MD5, so a weak certificate is made
# by hand: sha256WithRSAEncryption and its weak siblings differ in one OID byte,
# so the TBS keeps its length and only the outer DER needs rebuilding.
_RSA_SIG_OID = bytes.fromhex("2a864886f70d0101")
_RSA_SIG_SUFFIX = {"sha256": 0x0B, "sha1": 0x05, "md5": 0x04}


def _der(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + content


def _sign_weak(cert: x509.Certificate, key, hash_alg) -> x509.Certificate:
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("SHA-1/MD5 test certificates need an RSA issuer key")
    old = _RSA_SIG_OID + bytes([_RSA_SIG_SUFFIX["sha256"]])
    new = _RSA_SIG_OID + bytes([_RSA_SIG_SUFFIX[hash_alg.name]])
    tbs = cert.tbs_certificate_bytes.replace(old, new, 1)
    algorithm = _der(0x30, _der(0x06, new) + b"\x05\x00")
    signature = key.sign(tbs, padding.PKCS1v15(), hash_alg)
    return x509.load_der_x509_certificate(_der(0x30, tbs + algorithm + _der(0x03, b"\x00" + signature)))


def _ca_extensions():
    return [(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                           data_encipherment=False, key_agreement=False, key_cert_sign=True,
                           crl_sign=True, encipher_only=False, decipher_only=False), True)]


def _ca_name(cn: str) -> x509.Name:
    return name(cn, x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI"))


def make_root(cn: str = "Test Root CA", *, key=None, subject: x509.Name | None = None,
              not_before: datetime | None = None, not_after: datetime | None = None) -> Issued:
    """A self-signed root CA (EC P-384 unless ``key`` is given), "C=US, O=Test PKI, CN=<cn>"
    unless ``subject`` is given."""
    key = key or make_key("ec", 384)
    subject = subject or _ca_name(cn)
    cert = _build(subject, None, key.public_key(), ca=True,
                  not_before=not_before or NOW - 3650 * DAY, not_after=not_after or one_way(NOW + 3650 * DAY),
                  hash_alg=hashes.SHA384(), extensions=_ca_extensions(), signing_key=key)
    return Issued(cert, key)


def make_intermediate(issuer: Issued, cn: str = "Test Issuing CA", *, key=None,
                      subject: x509.Name | None = None, not_before: datetime | None = None,
                      not_after: datetime | None = None) -> Issued:
    """A CA certificate issued by ``issuer`` (EC P-256 unless ``key`` is given)."""
    key = key or make_key("ec", 256)
    subject = subject or _ca_name(cn)
    cert = _build(subject, issuer, key.public_key(), ca=True,
                  not_before=not_before or NOW - 1000 * DAY, not_after=not_after or one_way(NOW + 1000 * DAY),
                  hash_alg=hashes.SHA256(), extensions=_ca_extensions())
    return Issued(cert, key)


def _sct_list() -> x509.UnrecognizedExtension:
    """An embedded SCT list (RFC 6962, 3.3) with one well-formed timestamp from a made-up log.

    cryptography builds no SCTs, so the extension is written as raw bytes; it
    parses back as PrecertificateSignedCertificateTimestamps.
    """
    signature = bytes(8)
    sct = (bytes([0]) + bytes(32) + struct.pack(">Q", int(NOW.timestamp() * 1000)) + struct.pack(">H", 0)
           + bytes([4, 3]) + struct.pack(">H", len(signature)) + signature)
    listing = struct.pack(">H", len(sct) + 2) + struct.pack(">H", len(sct)) + sct
    return x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"),
                                      bytes([0x04, len(listing)]) + listing)


def make_leaf(issuer: Issued | None, cn: str | None = "mail.contoso.com", *,
              sans: Iterable[str] | None = None, subject: x509.Name | None = None,
              not_before: datetime | None = None, not_after: datetime | None = None,
              key_type: str = "ec", key_size: int | None = None, hash_alg=None,
              ekus: Iterable[x509.ObjectIdentifier] | None = (SERVER_AUTH, CLIENT_AUTH),
              ca: bool = False, logged: bool = False, ip_addresses: Iterable[str] = ()) -> Issued:
    """A server certificate issued by ``issuer`` (self-signed when ``issuer`` is None).

    ``sans``: DNS names for the SAN extension; default ``[cn]``; ``[]`` for no SAN.
    ``subject`` replaces the default name built from ``cn``. ``ekus=None`` leaves
    the EKU extension out. ``hash_alg`` defaults to SHA-256 (``hashes.SHA1()``
    makes a weak signature). Valid from 30 days ago for 210 days (up to 12 more, see
    :func:`one_way`) unless given.
    ``logged`` embeds Certificate Transparency timestamps, as public CAs do;
    ``ip_addresses`` adds IP address SANs.
    """
    key = make_key(key_type, key_size)
    sans = [cn] if sans is None and cn else list(sans or [])
    extensions = []
    general_names = [x509.DNSName(s) for s in sans] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ip_addresses]
    if general_names:
        extensions.append((x509.SubjectAlternativeName(general_names), False))
    if logged:
        extensions.append((_sct_list(), False))
    if ekus is not None:
        extensions.append((x509.ExtendedKeyUsage(list(ekus)), False))
    subject = subject if subject is not None else name(cn)
    cert = _build(subject, issuer, key.public_key(), ca=ca,
                  not_before=not_before or NOW - 30 * DAY, not_after=not_after or one_way(NOW + 180 * DAY),
                  hash_alg=hash_alg or hashes.SHA256(), extensions=extensions,
                  signing_key=None if issuer else key)
    return Issued(cert, key)


def make_hierarchy(cn: str | None = "mail.contoso.com", **leaf_options) -> Hierarchy:
    """Root -> intermediate -> leaf; ``leaf_options`` go to :func:`make_leaf`."""
    root = _default_root()
    intermediate = _default_intermediate()
    return Hierarchy(root, intermediate, make_leaf(intermediate, cn, **leaf_options))


@functools.lru_cache(maxsize=None)
def _default_root() -> Issued:
    return make_root()


@functools.lru_cache(maxsize=None)
def _default_intermediate() -> Issued:
    return make_intermediate(_default_root())


def to_pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def to_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def to_pkcs7(*certs: x509.Certificate, pem: bool = False) -> bytes:
    """A certificates-only PKCS#7 bundle (.p7b), DER unless ``pem``."""
    encoding = serialization.Encoding.PEM if pem else serialization.Encoding.DER
    return pkcs7.serialize_certificates(list(certs), encoding)


def to_pkcs12(leaf: Issued, *cas: x509.Certificate, password: str | None = None,
              with_key: bool = True) -> bytes:
    """A .pfx with the leaf (and its key unless ``with_key`` is False) and CA certificates."""
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(
        b"test", leaf.key if with_key else None, leaf.cert, list(cas) or None, encryption)


def key_pem(key) -> bytes:
    """A private key as an unencrypted PKCS#8 PEM block."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def write_trust_store(path: Path | str, *roots: x509.Certificate) -> str:
    """Write ``roots`` as a PEM bundle (like TRUSTED_ROOTS_FILE) and return the path."""
    Path(path).write_bytes(to_pem(*roots))
    return str(path)


def make_request(cn: str | None = "mail.contoso.com", *, sans: Iterable[str] | None = None,
                 key=None, hash_alg=None, ekus: Iterable[x509.ObjectIdentifier] | None = None,
                 ip_sans: Iterable[str] = ()) -> x509.CertificateSigningRequest:
    """A certificate signing request (PKCS#10), as openssl req or New-ExchangeCertificate makes one.

    ``sans`` defaults to the CN; ``sans=[]`` asks for no SAN extension.
    """
    key = key or make_key("ec")
    builder = x509.CertificateSigningRequestBuilder().subject_name(name(cn))
    names = [x509.DNSName(n) for n in (sans if sans is not None else ([cn] if cn else []))]
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in ip_sans]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if ekus is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(ekus)), critical=False)
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else (hash_alg or hashes.SHA256())
    return builder.sign(key, algorithm)


def request_pem(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_bytes(serialization.Encoding.PEM)


def request_der(csr: x509.CertificateSigningRequest) -> bytes:
    return csr.public_bytes(serialization.Encoding.DER)
