"""The facts the report shows for keys, serials and usages, and which fields of an odd certificate it
names as unreadable (issue 16)."""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import x25519

from app.certs.analysis import analyze
from app.certs.facts import certificate_facts
from tests.certfactory import DAY, NOW, make_hierarchy, to_der
from tests.certs.test_facts import corpus_cert

H = make_hierarchy()


def facts_of(name: str):
    return certificate_facts(corpus_cert(name), NOW)


@pytest.mark.parametrize("name,key", [
    ("x509_custom_dsa_selfsigned_ca.pem", ("DSA", 2048, None)),
    ("x509_ed25519_server-ed25519-cert.pem", ("Ed25519", 256, None)),
    ("x509_ed448_server-ed448-cert.pem", ("Ed448", 456, None)),
    ("x509_custom_unsupported_subject_public_key_info.pem", ("unknown", None, None)),
])
def test_the_key_of_each_kind_of_certificate(name, key):
    facts = facts_of(name)
    assert (facts.key_type, facts.key_size, facts.key_curve) == key
    assert ("public_key" in facts.unreadable) == (key[0] == "unknown")


def issued(public_key, serial: int) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(H.intermediate.cert.subject)
               .public_key(public_key).serial_number(serial)
               .not_valid_before(NOW - DAY).not_valid_after(NOW + DAY))
    return builder.sign(H.intermediate.key, hashes.SHA256())


def test_a_key_type_without_a_short_name_is_shown_by_its_class_and_has_no_eku_limit():
    facts = certificate_facts(issued(x25519.X25519PrivateKey.generate().public_key(), 5), NOW)
    assert (facts.key_type, facts.key_size, facts.unreadable, facts.eku_restricted) == (
        "X25519PublicKey", None, [], False)


@pytest.mark.parametrize("serial,shown", [(2, "02"), (127, "7F"), (128, "0080"), (0x7FFF, "7FFF"), (0x8000, "008000")])
def test_serial_numbers_as_windows_shows_their_bytes(serial, shown):
    key = H.leaf.cert.public_key()
    assert certificate_facts(issued(key, serial), NOW).serial_number == shown


def test_every_key_usage_is_listed_in_order_encipher_and_decipher_only_last():
    facts = facts_of("x509_custom_all_key_usages.pem")
    assert (facts.key_usage, facts.unreadable) == ([
        "digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
        "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"], [])


def test_damaged_extensions_are_named_and_leave_empty_values():
    facts = facts_of("x509_badssl-sct-none-hash.der")
    assert facts.unreadable == ["subject_alternative_name", "extended_key_usages", "key_usage", "basic_constraints"]
    assert (facts.key_usage, facts.extended_key_usages, facts.eku_restricted) == ([], [], False)


def test_names_that_cannot_be_read_are_named_and_left_empty():
    facts = facts_of("x509_custom_name_attribute_unsupported_tag.pem")
    assert facts.unreadable == ["subject", "issuer", "subject_windows", "issuer_windows", "common_name"]
    assert (facts.subject, facts.issuer, facts.subject_windows, facts.issuer_windows, facts.common_name) == (
        "", "", "", "", None)


def test_a_signature_algorithm_cryptography_does_not_know_is_named():
    ecdsa_sha256, unknown = bytes.fromhex("06082a8648ce3d040302"), bytes.fromhex("06082a8648ce3d040309")
    cert = x509.load_der_x509_certificate(to_der(H.leaf.cert).replace(ecdsa_sha256, unknown))
    facts = certificate_facts(cert, NOW)
    assert (facts.unreadable, facts.signature_hash) == (["signature_hash"], None)


def test_the_report_of_a_certificate_with_unreadable_names_has_no_tls_name_to_compare():
    report = analyze([corpus_cert("x509_custom_name_attribute_unsupported_tag.pem")], ["contoso.com"], now=NOW)
    assert report.exchange_tls_certificate_name == ""


def _with_a_bad_tag(cert: x509.Certificate, name: x509.Name, value: str) -> x509.Certificate:
    """``cert`` with the string ``value`` in ``name`` re-tagged NULL, which cryptography cannot read."""
    encoded = name.public_bytes()
    at = encoded.index(value.encode())
    bad = encoded[:at - 2] + b"\x05" + encoded[at - 1:]
    return x509.load_der_x509_certificate(to_der(cert).replace(encoded, bad))


@pytest.mark.parametrize("unreadable", ["issuer", "subject"])
def test_the_report_has_no_tls_name_when_either_name_is_unreadable(unreadable):
    name, value = ((H.leaf.cert.issuer, "Test Issuing CA") if unreadable == "issuer"
                   else (H.leaf.cert.subject, "mail.contoso.com"))
    cert = _with_a_bad_tag(H.leaf.cert, name, value)

    report = analyze([cert], ["contoso.com"], now=NOW)

    readable = "subject" if unreadable == "issuer" else "issuer"
    assert f"{unreadable}_windows" in report.leaf.unreadable and f"{readable}_windows" not in report.leaf.unreadable
    assert report.exchange_tls_certificate_name == ""
