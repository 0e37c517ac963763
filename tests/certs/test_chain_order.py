"""Who issued whom in an upload, told by names and then by signatures, and the order that follows:
certificates that share a name, borrow one, sign each other or lack the CA flag where they
should have it."""
from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from app.certs.analysis import analyze
from app.certs.chain import issued_by
from app.certs.reading import read_certificates
from tests.certfactory import DAY, NOW, make_hierarchy, make_intermediate, make_key, make_leaf, make_root, to_pem
from tests.certs.conftest import store_knowing
from tests.certs.test_facts import CORPUS


def report_of(*certs):
    upload = read_certificates(to_pem(*certs))
    return analyze(upload.certificates, ["contoso.com"], now=NOW, trust_store=store_knowing())


def other_ec_key():
    """An EC P-256 key that no factory certificate has (make_key hands out one key per type)."""
    return ec.generate_private_key(ec.SECP256R1())


def test_a_ca_certificate_with_the_issuers_name_that_did_not_sign_the_leaf_is_not_on_its_path():
    """An expired certificate bearing the intermediate's name, but with another key: the leaf's
    chain stops at the leaf, so the expiry is not reported and the missing issuer is."""
    h = make_hierarchy()
    stranger = make_intermediate(h.root, subject=h.intermediate.cert.subject, key=other_ec_key(),
                                 not_before=NOW - 900 * DAY, not_after=NOW - 10 * DAY)

    report = report_of(h.leaf.cert, stranger.cert)

    assert "expired" not in [f.code for f in report.findings]
    untrusted = [f.message for f in report.findings if f.code == "untrusted_root"]
    assert untrusted and "which issued CN=mail.contoso.com" in untrusted[0]


def test_the_real_issuer_is_found_beside_a_certificate_bearing_its_name():
    h = make_hierarchy()
    stranger = make_intermediate(h.root, subject=h.intermediate.cert.subject, key=other_ec_key(),
                                 not_before=NOW - 900 * DAY, not_after=NOW - 10 * DAY)

    report = report_of(h.leaf.cert, stranger.cert, h.intermediate.cert, h.root.cert)

    assert [c.fingerprint_sha256 for c in report.chain] == [
        report_of(c).leaf.fingerprint_sha256 for c in (h.leaf.cert, h.intermediate.cert, h.root.cert, stranger.cert)]
    assert not [f.code for f in report.findings if f.severity == "error"]


def test_reading_puts_the_certificate_that_signed_the_leaf_after_it_when_two_share_a_name():
    h = make_hierarchy()
    twin = make_intermediate(h.root, subject=h.intermediate.cert.subject, key=other_ec_key())

    upload = read_certificates(to_pem(twin.cert, h.leaf.cert, h.intermediate.cert))

    assert upload.certificates == [h.leaf.cert, h.intermediate.cert, twin.cert]


def test_a_signature_cryptography_cannot_check_is_judged_by_the_names():
    """MD5: the leaf still chains to its uploaded root, which the report then names."""
    root = make_root("Old Private Root", key=make_key("rsa", 2048))
    leaf = make_leaf(root, "mail.contoso.com", hash_alg=hashes.MD5())

    report = report_of(leaf.cert, root.cert)

    assert "weak_signature" in [f.code for f in report.findings]
    assert any("chains to CN=Old Private Root" in f.message for f in report.findings if f.code == "untrusted_root")
    assert issued_by(leaf.cert, root.cert)
    assert not issued_by(leaf.cert, make_hierarchy().root.cert)  # another name: never its issuer


def test_a_certificate_that_issued_another_is_not_the_servers_even_without_the_ca_flag():
    h = make_hierarchy()
    issuing = make_leaf(h.intermediate, "issuing.contoso.com")  # no CA flag, yet it signs
    issued = make_intermediate(issuing, "Issued Test CA")

    report = report_of(issuing.cert, issued.cert)

    assert [c.common_name for c in report.chain] == ["Issued Test CA", "issuing.contoso.com"]


def test_the_servers_certificate_is_the_leaf_beside_a_longer_chain_of_ca_certificates():
    h = make_hierarchy()
    second = make_intermediate(h.intermediate, "Second Level CA", key=make_key("ec", 384))
    elsewhere = make_intermediate(make_root("Other Root CA", key=make_key("rsa", 2048)), "Other CA")
    server = make_leaf(elsewhere, "mail.contoso.com")

    report = report_of(second.cert, h.intermediate.cert, h.root.cert, server.cert)

    assert report.leaf.common_name == "mail.contoso.com"
    assert report.leaf.fingerprint_sha256 == report_of(server.cert).leaf.fingerprint_sha256


def test_two_ca_certificates_that_signed_each_other_are_ordered_as_uploaded():
    first_key, second_key = other_ec_key(), other_ec_key()
    first = make_root("Cross A", key=first_key)
    second = make_intermediate(first, "Cross B", key=second_key)
    first_again = make_intermediate(second, subject=first.cert.subject, key=first_key)

    report = report_of(first_again.cert, second.cert)

    assert [c.common_name for c in report.chain] == ["Cross A", "Cross B"]
    assert [f.code for f in report.findings] == ["ca_certificate_only"]


def test_the_chain_stops_at_the_trusted_root_beside_its_cross_signed_twin():
    """As ISRG Root X1 came both self-signed and cross-signed by another CA."""
    h = make_hierarchy()
    cross_signed = make_intermediate(make_root("Older Root CA", key=make_key("rsa", 2048)),
                                     subject=h.root.cert.subject, key=make_key("ec", 384))

    report = report_of(h.leaf.cert, h.intermediate.cert, h.root.cert, cross_signed.cert)

    assert not [f.code for f in report.findings if f.severity == "error"]
    assert report.verdict == report_of(h.leaf.cert, h.intermediate.cert).verdict


def test_a_certificate_without_basic_constraints_is_a_server_certificate_not_a_ca():
    """Old and test PKIs leave basicConstraints out of end-entity certificates."""
    leaf = read_certificates((CORPUS / "pkits_certs_InvalidCASignatureTest2EE.crt").read_bytes()).certificates[0]

    report = analyze([leaf], ["contoso.com"], now=NOW, trust_store=store_knowing())

    assert not report.leaf.is_ca
    assert "ca_certificate_only" not in [f.code for f in report.findings]
