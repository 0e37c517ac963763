"""read_certificates: every upload format, and every way an upload can be unusable."""
from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from app.certs.reading import CertificateInputError, input_error_message, read_certificates
from tests.certfactory import (
    key_pem, make_hierarchy, make_key, make_leaf, to_der, to_pem, to_pkcs7, to_pkcs12,
)


def subjects(upload) -> list[str]:
    return [c.subject.rfc4514_string() for c in upload.certificates]


def input_error(data: bytes, password: str | None = None) -> CertificateInputError:
    with pytest.raises(CertificateInputError) as caught:
        read_certificates(data, password)
    return caught.value


LEAF_FIRST = ["CN=mail.contoso.com", "CN=Test Issuing CA,O=Test PKI,C=US", "CN=Test Root CA,O=Test PKI,C=US"]


def test_pem_chain_in_any_order_with_text_and_key_is_ordered_leaf_first(hierarchy):
    h = hierarchy
    data = (b"Bag Attributes\n friendlyName: mail\n" + to_pem(h.root.cert) + b"\nsome notes\n"
            + key_pem(h.leaf.key) + to_pem(h.intermediate.cert, h.leaf.cert) + b"trailing text")
    upload = read_certificates(data)
    assert subjects(upload) == LEAF_FIRST
    assert upload.private_key_dropped is True


def test_pem_without_key_does_not_claim_a_dropped_key(hierarchy):
    assert read_certificates(to_pem(hierarchy.leaf.cert)).private_key_dropped is False


def test_der_certificate(hierarchy):
    upload = read_certificates(to_der(hierarchy.leaf.cert))
    assert upload.certificates == [hierarchy.leaf.cert]


def test_base64_without_pem_armour_is_read_as_der(hierarchy):
    data = base64.encodebytes(to_der(hierarchy.leaf.cert))
    assert read_certificates(data).certificates == [hierarchy.leaf.cert]


def test_utf16_pem_from_windows_is_read(hierarchy):
    data = to_pem(hierarchy.leaf.cert).decode().encode("utf-16")
    assert read_certificates(data).certificates == [hierarchy.leaf.cert]


@pytest.mark.parametrize("pem", [False, True], ids=["der", "pem"])
def test_pkcs7_bundle(hierarchy, pem):
    h = hierarchy
    upload = read_certificates(to_pkcs7(h.root.cert, h.leaf.cert, h.intermediate.cert, pem=pem))
    assert subjects(upload) == LEAF_FIRST
    assert upload.private_key_dropped is False


def test_pkcs12_without_password_drops_the_key(hierarchy):
    h = hierarchy
    upload = read_certificates(to_pkcs12(h.leaf, h.intermediate.cert, h.root.cert))
    assert subjects(upload) == LEAF_FIRST
    assert upload.private_key_dropped is True


def test_pkcs12_with_password(hierarchy):
    data = to_pkcs12(hierarchy.leaf, hierarchy.intermediate.cert, password="pässword")
    upload = read_certificates(data, "pässword")
    assert subjects(upload) == LEAF_FIRST[:2]
    assert upload.private_key_dropped is True


def test_pkcs12_password_given_for_unprotected_file_is_forgiven(hierarchy):
    assert read_certificates(to_pkcs12(hierarchy.leaf), "not needed").certificates == [hierarchy.leaf.cert]


def test_pkcs12_certificate_only_reports_no_dropped_key(hierarchy):
    upload = read_certificates(to_pkcs12(hierarchy.leaf, with_key=False))
    assert upload.private_key_dropped is False


def test_pkcs12_needs_password(hierarchy):
    error = input_error(to_pkcs12(hierarchy.leaf, password="secret"))
    assert error.code == "password_required"
    assert "password" in error.message()


def test_pkcs12_wrong_password(hierarchy):
    assert input_error(to_pkcs12(hierarchy.leaf, password="secret"), "guess").code == "wrong_password"


def _csr() -> x509.CertificateSigningRequest:
    subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "mail.contoso.com")])
    return x509.CertificateSigningRequestBuilder().subject_name(subject).sign(make_key(), hashes.SHA256())


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_csr_is_named_as_such(encoding):
    error = input_error(_csr().public_bytes(encoding))
    assert error.code == "not_a_certificate"
    assert error.message() == ("This is a certificate signing request (CSR), not a certificate: "
                               "upload the certificate your CA issued.")


def test_crl_is_named_as_such(hierarchy):
    crl = (x509.CertificateRevocationListBuilder().issuer_name(hierarchy.root.cert.subject)
           .last_update(hierarchy.root.cert.not_valid_before_utc)
           .next_update(hierarchy.root.cert.not_valid_after_utc)
           .sign(hierarchy.root.key, hashes.SHA256()))
    error = input_error(crl.public_bytes(serialization.Encoding.PEM))
    assert (error.code, error.detail) == ("not_a_certificate", "crl")
    assert "revocation list" in error.message()


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_private_key_only(encoding):
    data = make_key().private_bytes(encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert input_error(data).code == "private_key_only"


def test_public_key_is_named_as_such():
    data = make_key().public_key().public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    assert input_error(data).detail == "public_key"


def test_damaged_pem_certificate_says_so(hierarchy):
    pem = to_pem(hierarchy.leaf.cert)
    damaged = pem[:100] + b"AAAA" + pem[104:]
    error = input_error(damaged)
    assert (error.code, error.detail) == ("not_a_certificate", "damaged")


@pytest.mark.parametrize("data", [b"\x00\x01garbage\xff" * 20, b"Hello, this is a text file.\n",
                                  b"-----BEGIN NOTHING-----\nabc\n-----END NOTHING-----\n"])
def test_random_input_is_not_a_certificate(data):
    error = input_error(data)
    assert error.code == "not_a_certificate"
    assert "not a certificate" in error.message()


@pytest.mark.parametrize("data", [b"", b"  \r\n\t"])
def test_empty_input(data):
    assert input_error(data).code == "no_certificate"


def test_eleven_certificates_are_too_many(hierarchy):
    leaves = [make_leaf(hierarchy.intermediate, f"host{i}.contoso.com").cert for i in range(11)]
    error = input_error(to_pem(*leaves))
    assert error.code == "too_many_certificates"
    assert "more than 10 certificates" in error.message()
    assert len(read_certificates(to_pem(*leaves[:10])).certificates) == 10


def test_duplicates_count_once(hierarchy):
    assert read_certificates(to_pem(*[hierarchy.leaf.cert] * 12)).certificates == [hierarchy.leaf.cert]


def test_unrelated_certificates_follow_the_chain_in_upload_order(hierarchy):
    h = hierarchy
    other = make_leaf(None, "other.fabrikam.com").cert
    upload = read_certificates(to_pem(other, h.intermediate.cert, h.leaf.cert))
    assert upload.certificates == [h.leaf.cert, h.intermediate.cert, other]


def test_ordering_is_stable_on_a_second_read(hierarchy):
    h = hierarchy
    first = read_certificates(to_pem(h.root.cert, make_leaf(None, "x.example").cert, h.leaf.cert,
                                     h.intermediate.cert)).certificates
    assert read_certificates(to_pem(*first)).certificates == first


def test_every_code_has_a_message_without_invalid():
    codes = ["no_certificate", "not_a_certificate", "password_required", "wrong_password",
             "private_key_only", "too_many_certificates"]
    messages = [input_error_message(code) for code in codes]
    assert all(m and "invalid" not in m.lower() for m in messages)
    assert len(set(messages)) == len(codes)


def test_messages_go_through_the_translation_hook(hierarchy):
    seen = []

    def translate(msgid, **params):
        seen.append((msgid, params))
        return "übersetzt"

    leaves = [make_leaf(hierarchy.intermediate, f"host{i}.contoso.com").cert for i in range(11)]
    assert input_error(to_pem(*leaves)).message(translate) == "übersetzt"
    msgid, params = seen[0]
    assert "%(limit)s" in msgid and params == {"limit": 10}


def test_a_cut_off_pfx_is_called_damaged_not_a_wrong_password():
    h = make_hierarchy()
    pfx = to_pkcs12(h.leaf, h.intermediate.cert, password="right")
    with pytest.raises(CertificateInputError) as cut:
        read_certificates(pfx[: len(pfx) // 2], "right")
    assert (cut.value.code, cut.value.detail) == ("not_a_certificate", "damaged")
    with pytest.raises(CertificateInputError) as wrong:
        read_certificates(pfx, "wrong")
    assert wrong.value.code == "wrong_password"
