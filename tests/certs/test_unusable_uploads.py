"""What the user is told about an upload that holds no usable certificate (issue 16)."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, PublicFormat, pkcs12

from app.certs.pkcs12 import MAX_ITERATIONS
from app.certs.reading import (
    CRL, CSR, DAMAGED, NO_CERTIFICATE, NOT_A_CERTIFICATE, PASSWORD_REQUIRED, PFX_TOO_COSTLY, PRIVATE_KEY_ONLY,
    PUBLIC_KEY, WRONG_PASSWORD, CertificateInputError, read_certificates,
)
from tests.certfactory import make_hierarchy, to_pkcs12
from tests.certs.test_pkcs12_costs import crafted
from tests.hostile.pfx import with_mac_iterations

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


@pytest.mark.parametrize("cut", [1, 40, 600])
def test_a_cut_off_pfx_is_damaged_not_a_wrong_password(cut):
    assert refusal(to_pkcs12(H.leaf, password="pw")[:-cut], "pw") == (NOT_A_CERTIFICATE, DAMAGED)


def test_a_pfx_needs_its_password():
    pfx = to_pkcs12(H.leaf, password="pw")
    assert refusal(pfx, "wrong") == (WRONG_PASSWORD, None)
    assert refusal(pfx) == (PASSWORD_REQUIRED, None)


def test_a_password_typed_for_an_unprotected_pfx_is_forgiven():
    assert read_certificates(to_pkcs12(H.leaf), "pw").certificates == [H.leaf.cert]


def test_a_password_with_non_ascii_letters_opens_the_pfx():
    assert read_certificates(to_pkcs12(H.leaf, password="lösenord"), "lösenord").certificates == [H.leaf.cert]


def test_a_pfx_of_only_a_private_key_says_so():
    key_only = pkcs12.serialize_key_and_certificates(b"k", H.leaf.key, None, None, BestAvailableEncryption(b"pw"))
    assert refusal(key_only, "pw") == (PRIVATE_KEY_ONLY, None)


def test_a_pfx_that_asks_for_too_much_hashing_is_refused():
    assert refusal(with_mac_iterations(to_pkcs12(H.leaf, password="pw"), MAX_ITERATIONS + 1), "pw") == (
        PFX_TOO_COSTLY, None)


def test_a_pfx_holding_neither_certificate_nor_key_says_no_certificate():
    empty = crafted()
    assert refusal(empty) == (NO_CERTIFICATE, None)


@pytest.mark.parametrize("padding", [70_000, 300_000])
def test_a_pfx_of_64_kib_or_more_is_read_not_refused(padding):
    # A long friendly name makes the file large; its outer DER length then takes 3 bytes (0x83).
    large = pkcs12.serialize_key_and_certificates(b"x" * padding, H.leaf.key, H.leaf.cert, [H.intermediate.cert],
                                                  BestAvailableEncryption(b"pw"))
    assert len(large) > 65_536 and large[1] == 0x83
    assert read_certificates(large, "pw").certificates == [H.leaf.cert, H.intermediate.cert]
    assert refusal(large, "wrong") == (WRONG_PASSWORD, None)


def test_a_certificate_under_the_old_x509_certificate_label_is_read():
    from tests.certfactory import to_pem

    pem = to_pem(H.leaf.cert).replace(b"BEGIN CERTIFICATE", b"BEGIN X509 CERTIFICATE").replace(
        b"END CERTIFICATE", b"END X509 CERTIFICATE")
    assert read_certificates(pem).certificates == [H.leaf.cert]
