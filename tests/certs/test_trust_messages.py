"""What the admin reads about the chain of trust, word for word (issue 16)."""
from __future__ import annotations

import re
import struct
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.certs.analysis import analyze
from app.certs.model import ERROR, WARNING
from app.certs.trust import publicly_logged
from tests.certfactory import NOW, make_hierarchy, make_intermediate, make_leaf, make_root
from tests.certs.conftest import store_knowing

ACCEPTED = ["contoso.com", "mail.contoso.com"]


def findings(*certs, store):
    report = analyze(list(certs), ACCEPTED, now=NOW, trust_store=store)
    return [(f.code, f.severity, f.message) for f in report.findings]


def test_a_private_root_is_named(store):
    root = make_root("Contoso Private Root")
    issuing = make_intermediate(root, "Contoso Issuing CA")
    leaf = make_leaf(issuing)
    assert findings(leaf.cert, issuing.cert, root.cert, store=store) == [("untrusted_root", ERROR, (
        "The certificate chains to CN=Contoso Private Root, O=Test PKI, C=US, which is not a trusted public root CA. "
        "Exchange Online accepts only certificates issued by a CA in Microsoft's Trusted Root Program: get a "
        "certificate from a public CA."))]


def test_a_missing_public_intermediate_is_named_with_its_issuer(hierarchy):
    store = store_knowing(hierarchy.intermediate.cert)
    assert findings(hierarchy.leaf.cert, store=store) == [("incomplete_chain", WARNING, (
        "The upload does not include the CA certificate that issued CN=mail.contoso.com (issuer: CN=Test Issuing CA, "
        "O=Test PKI, C=US). Exchange Online does not download missing intermediate certificates: install them on "
        "the server so that it sends the full chain, and upload them here with the certificate."))]


def test_an_unknown_issuer_without_transparency_proof_is_most_likely_your_own_ca(store):
    issuing = make_intermediate(make_root("Contoso Private Root"), "Contoso Issuing CA")
    leaf = make_leaf(issuing)
    assert findings(leaf.cert, store=store) == [("untrusted_root", ERROR, (
        "CN=Contoso Issuing CA, O=Test PKI, C=US, which issued CN=mail.contoso.com, does not lead to a public root "
        "CA: no trusted root CA issued it, and the certificate carries no Certificate Transparency proof, which "
        "every current certificate from a public CA has. It is most likely your own CA (for example Active "
        "Directory Certificate Services). Exchange Online accepts only certificates issued by a CA in Microsoft's "
        "Trusted Root Program: get a certificate from a public CA. If CN=Contoso Issuing CA, O=Test PKI, C=US is in "
        "fact a public CA, upload the certificate with its intermediate certificates and check again."))]


def test_an_unknown_issuer_of_a_logged_certificate_is_a_missing_intermediate(store):
    issuing = make_intermediate(make_root("Public Root Not In This Store"), "Public Issuing CA")
    leaf = make_leaf(issuing, logged=True)
    assert [code for code, _, _ in findings(leaf.cert, store=store)] == ["incomplete_chain"]


def test_a_chain_the_verifier_refuses_says_why(store, hierarchy):
    not_a_ca = make_leaf(hierarchy.intermediate, "relay.contoso.com")
    leaf = make_leaf(not_a_ca, "mail.contoso.com")
    ((code, severity, message),) = findings(leaf.cert, not_a_ca.cert, hierarchy.intermediate.cert, store=store)
    assert (code, severity) == ("untrusted_root", ERROR)
    reason = re.fullmatch(r"The certificate chain does not verify up to a trusted root CA \((.+)\)\. Get a "
                          r"certificate from a public CA and upload it with its intermediate certificates\.", message)
    assert reason and reason.group(1) not in ("", "None") and "%(" not in message


def _with_sct_list(listing: bytes) -> x509.Certificate:
    """A self-signed certificate whose SCT list extension holds ``listing`` (RFC 6962, 3.3)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.contoso.com")])
    extension = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"),
                                           bytes([0x04, len(listing)]) + listing)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=90))
            .add_extension(extension, critical=False).sign(key, hashes.SHA256()))


def test_a_certificate_with_timestamps_is_publicly_logged():
    assert publicly_logged(make_leaf(None, logged=True).cert)
    assert not publicly_logged(make_leaf(None).cert)


def test_an_empty_timestamp_list_is_no_proof_of_logging():
    assert not publicly_logged(_with_sct_list(struct.pack(">H", 0)))
