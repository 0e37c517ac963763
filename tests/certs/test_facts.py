"""certificate_facts: the fields the report shows, and odd certificates that do not crash it."""
from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.certs.facts import certificate_facts
from app.certs.reading import read_certificates
from tests.certfactory import CLIENT_AUTH, DAY, NOW, SERVER_AUTH, make_hierarchy, make_leaf

CORPUS = Path(__file__).parent / "corpus"


def corpus_cert(name: str) -> x509.Certificate:
    return read_certificates((CORPUS / name).read_bytes()).certificates[0]


def test_facts_of_a_server_certificate(hierarchy):
    cert = make_leaf(hierarchy.intermediate, sans=["mail.contoso.com"], not_after=NOW + 180 * DAY).cert
    facts = certificate_facts(cert, NOW)
    assert facts.thumbprint_sha1 == cert.fingerprint(hashes.SHA1()).hex().upper()
    assert len(facts.thumbprint_sha1) == 40 and ":" not in facts.thumbprint_sha1
    assert facts.fingerprint_sha256 == cert.fingerprint(hashes.SHA256()).hex().upper()
    assert int(facts.serial_number, 16) == cert.serial_number and facts.serial_number.isupper()
    assert facts.subject_windows == "CN=mail.contoso.com"
    assert facts.issuer_windows == "CN=Test Issuing CA, O=Test PKI, C=US"
    assert (facts.common_name, facts.dns_names) == ("mail.contoso.com", ["mail.contoso.com"])
    assert (facts.key_type, facts.key_size, facts.key_curve) == ("EC", 256, "secp256r1")
    assert facts.signature_hash == "sha256"
    assert facts.extended_key_usages == [SERVER_AUTH.dotted_string, CLIENT_AUTH.dotted_string]
    assert facts.eku_restricted and not facts.is_ca and not facts.self_signed
    assert facts.not_after == cert.not_valid_after_utc and facts.days_remaining == 180
    assert facts.pem.startswith("-----BEGIN CERTIFICATE-----") and "PRIVATE" not in facts.pem
    assert facts.unreadable == []


def test_days_remaining_is_negative_once_expired(hierarchy):
    leaf = make_leaf(hierarchy.intermediate, not_before=NOW - 10 * DAY, not_after=NOW - 2 * DAY)
    assert certificate_facts(leaf.cert, NOW).days_remaining == -2


def test_rsa_key_and_ca_flags():
    h = make_hierarchy(key_type="rsa", key_size=2048)
    assert certificate_facts(h.leaf.cert, NOW).key_type == "RSA"
    assert certificate_facts(h.root.cert, NOW).is_ca and certificate_facts(h.root.cert, NOW).self_signed


def test_other_san_types_are_listed():
    facts = certificate_facts(corpus_cert("x509_custom_san_email_dns_ip_dirname_uri.pem"), NOW)
    assert any(n.startswith("email:") for n in facts.other_names)
    assert any(n.startswith("IP:") for n in facts.other_names)
    assert facts.dns_names


def test_negative_serial_shown_as_windows_bytes():
    cert = corpus_cert("x509_custom_negative_serial.pem")
    facts = certificate_facts(cert, NOW)
    assert facts.serial_number == "FBCE996C13"  # -18008675309 as its two's complement DER bytes



def test_duplicate_extension_marks_fields_unreadable_instead_of_crashing():
    facts = certificate_facts(corpus_cert("x509_custom_two_basic_constraints.pem"), NOW)
    assert {"subject_alternative_name", "basic_constraints"} <= set(facts.unreadable)
    assert facts.subject  # the rest of the certificate is still read


def test_unsupported_name_tag_marks_names_unreadable():
    facts = certificate_facts(corpus_cert("x509_custom_name_attribute_unsupported_tag.pem"), NOW)
    assert "subject" in facts.unreadable and facts.subject == ""
