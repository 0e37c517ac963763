"""What the user is told about an upload that holds no usable certificate (issue 16)."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.certs.reading import (
    CRL, CSR, DAMAGED, NOT_A_CERTIFICATE, PASSWORD_REQUIRED, PUBLIC_KEY, WRONG_PASSWORD, CertificateInputError,
    _der_truncated, read_certificates,
)
from tests.certfactory import make_hierarchy, to_pkcs12

H = make_hierarchy("mail.contoso.com")


def refusal(data: bytes, password: str | None = None) -> tuple[str, str | None]:
    with pytest.raises(CertificateInputError) as caught:
        read_certificates(data, password)
    return caught.value.code, caught.value.detail


def pem(label: str) -> bytes:
    return f"-----BEGIN {label}-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END {label}-----\n".encode()


@pytest.mark.parametrize("label,what", [("CERTIFICATE REQUEST", CSR), ("NEW CERTIFICATE REQUEST", CSR),
                                        ("X509 CRL", CRL), ("PUBLIC KEY", PUBLIC_KEY), ("RSA PUBLIC KEY", PUBLIC_KEY),
                                        ("SOMETHING ELSE", None)])
def test_a_pem_file_of_another_kind_is_named(label, what):
    assert refusal(pem(label)) == (NOT_A_CERTIFICATE, what)


def test_a_real_public_key_is_named_as_one():
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert refusal(key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)) == (NOT_A_CERTIFICATE, PUBLIC_KEY)


def test_a_cut_off_pfx_is_damaged_not_a_wrong_password():
    pfx = to_pkcs12(H.leaf, password="pw")
    assert refusal(pfx[:-40], "pw") == (NOT_A_CERTIFICATE, DAMAGED)
    assert refusal(pfx, "wrong") == (WRONG_PASSWORD, None)
    assert refusal(pfx) == (PASSWORD_REQUIRED, None)


@pytest.mark.parametrize("der,cut_off", [
    (b"", True), (b"\x30", True),
    (b"\x30\x03abc", False), (b"\x30\x03abcd", False), (b"\x30\x04abc", True),     # short form length
    (b"\x30\x7fx" + b"a" * 126, False), (b"\x30\x7f" + b"a" * 126, True),
    (b"\x30\x81\x80" + b"a" * 128, False), (b"\x30\x81\x80" + b"a" * 127, True),  # one length byte
    (b"\x30\x82\x01\x00" + b"a" * 256, False), (b"\x30\x82\x01\x00" + b"a" * 255, True),  # two, big-endian
    (b"\x30\x82\x01", True),        # the length itself cut off
    (b"\x30\x80" + b"a" * 10, True), (b"\x30\x80" + b"a" * 200, True),  # indefinite length: not DER
])
def test_a_der_structure_is_cut_off_when_it_claims_more_bytes_than_arrived(der, cut_off):
    assert _der_truncated(der) is cut_off
