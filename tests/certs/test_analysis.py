"""analyze(): each finding, produced by a real certificate, with the user-visible outcome."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes

from app.certs.analysis import analyze
from app.certs.reading import read_certificates
from tests.certfactory import (
    CLIENT_AUTH, DAY, NOW, SERVER_AUTH, make_hierarchy, make_intermediate, make_key, make_leaf,
    make_root,
)
from tests.certs.conftest import store_knowing


def hierarchy_intermediate():
    return make_hierarchy().intermediate.cert

ACCEPTED = ["contoso.com", "mail.contoso.com"]


def run(*certs, accepted=ACCEPTED, store, **options):
    return analyze(list(certs), accepted, now=NOW, trust_store=store, **options)


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def finding(report, code):
    (found,) = [f for f in report.findings if f.code == code]
    return found


def chain(**leaf_options):
    h = make_hierarchy(**leaf_options)
    return h.leaf.cert, h.intermediate.cert


def test_good_certificate_is_ready(store):
    report = run(*chain(), store=store)
    assert report.findings == []
    assert report.verdict == "ready"
    assert report.recommended_connector_domain == "mail.contoso.com"


def test_names_compare_case_insensitively(store):
    report = run(*chain(cn="MAIL.Contoso.COM"), accepted=["Mail.Contoso.com"], store=store)
    assert report.recommended_connector_domain == "mail.contoso.com"
    assert report.verdict == "ready"


def test_name_not_accepted(store):
    report = run(*chain(cn="mail.fabrikam.com"), store=store)
    assert codes(report) == ["name_not_accepted"]
    assert report.verdict == "blocked"
    # The way out: the certificate's own name, once the tenant adds it as a domain.
    assert [(c.connector_domain, c.accepted_domain, c.works_now) for c in report.candidates] == [
        ("mail.fabrikam.com", "mail.fabrikam.com", False)]
    message = finding(report, "name_not_accepted").message
    assert "add mail.fabrikam.com as an accepted domain" in message
    assert "get a certificate whose CN or SAN holds one of your accepted domains, like contoso.com" in message


def test_name_not_accepted_explains_kb_4019940(store):
    report = run(*chain(cn="mail.eu.contoso.com"), accepted=["contoso.com"], store=store)
    message = finding(report, "name_not_accepted").message
    assert "eu.contoso.com" in message and "KB 4019940" in message


def test_embedded_wildcard_is_never_a_candidate(store):
    report = run(*chain(cn="mail.*.contoso.com", sans=["mail.*.contoso.com"]), store=store)
    assert report.candidates == [] and "name_not_accepted" in codes(report)


def test_host_name_not_accepted_domain_gives_both_ways_out(store):
    report = run(*chain(), accepted=["contoso.com"], store=store)
    # Microsoft's preferred way first (KB 4019940), the wildcard as the stated fallback.
    assert [c.connector_domain for c in report.candidates] == ["mail.contoso.com", "*.contoso.com"]
    found = finding(report, "host_name_not_accepted_domain")
    assert found.severity == "warning" and report.verdict == "needs_attention"
    assert "add mail.contoso.com as an accepted domain" in found.message
    assert "*.contoso.com" in found.message and "another tenant" in found.message


def test_wildcard_certificate(store):
    report = run(*chain(cn="*.contoso.com"), accepted=["contoso.com"], store=store)
    assert report.recommended_connector_domain == "*.contoso.com"
    assert finding(report, "wildcard_certificate").severity == "info"
    assert report.verdict == "ready"


def test_self_signed(store):
    report = run(make_leaf(None).cert, store=store)
    assert codes(report) == ["self_signed"]
    assert report.leaf.self_signed


def test_untrusted_root(store):
    private_root = make_root("Contoso Private Root")
    issuing = make_intermediate(private_root, "Contoso Issuing CA")
    leaf = make_leaf(issuing)
    report = run(leaf.cert, issuing.cert, private_root.cert, store=store)
    assert codes(report) == ["untrusted_root"]
    assert "Contoso Private Root" in finding(report, "untrusted_root").message


def test_a_root_that_only_borrows_a_trusted_name_is_not_trusted(store):
    """Trust is found by the issuer's name, then proven by the signature."""
    impostor = make_root(key=make_key("ec", 256))  # same subject as the trusted test root, other key
    issuing = make_intermediate(impostor, key=make_key("rsa", 2048))  # same name as the known intermediate
    leaf = make_leaf(issuing)
    assert codes(run(leaf.cert, issuing.cert, impostor.cert, store=store)) == ["untrusted_root"]
    assert codes(run(leaf.cert, issuing.cert, store=store)) == ["untrusted_root"]
    # Even when the borrowed name is that of a known intermediate, and the leaf is logged.
    impostor_leaf = make_leaf(issuing, logged=True)
    assert codes(run(impostor_leaf.cert, store=store_knowing(hierarchy_intermediate()))) == ["untrusted_root"]


def test_incomplete_chain(hierarchy):
    report = run(hierarchy.leaf.cert, store=store_knowing(hierarchy.intermediate.cert))
    assert codes(report) == ["incomplete_chain"]
    assert "Test Issuing CA" in finding(report, "incomplete_chain").message
    assert report.verdict == "needs_attention"


def test_chain_including_the_trusted_root_is_fine(store, hierarchy):
    h = hierarchy
    assert run(h.leaf.cert, h.intermediate.cert, h.root.cert, store=store).findings == []


def test_certifi_roots_by_default_do_not_trust_a_private_pki(hierarchy):
    report = analyze([hierarchy.leaf.cert, hierarchy.intermediate.cert], ACCEPTED, now=NOW)
    assert codes(report) == ["untrusted_root"]


def test_verifier_catches_what_the_walk_cannot(store, hierarchy):
    # Issued by a certificate that is not a CA: the names chain, the verifier refuses.
    not_a_ca = make_leaf(hierarchy.intermediate, "relay.contoso.com")
    leaf = make_leaf(not_a_ca, "mail.contoso.com")
    report = run(leaf.cert, not_a_ca.cert, hierarchy.intermediate.cert, store=store)
    assert codes(report) == ["untrusted_root"]
    assert "does not verify" in finding(report, "untrusted_root").message


def test_expired(store):
    report = run(*chain(not_before=NOW - 400 * DAY, not_after=NOW - DAY), store=store)
    assert codes(report) == ["expired"]
    assert (NOW - DAY).strftime("%Y-%m-%d") in finding(report, "expired").message


def test_expired_intermediate(store, hierarchy):
    old_ca = make_intermediate(hierarchy.root, "Old Issuing CA", not_before=NOW - 900 * DAY,
                               not_after=NOW - DAY)
    report = run(make_leaf(old_ca).cert, old_ca.cert, store=store)
    assert codes(report) == ["expired"]
    assert "Old Issuing CA" in finding(report, "expired").message


def test_expired_unrelated_certificate_does_not_block(store, hierarchy):
    stale = make_leaf(None, "old.fabrikam.com", not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    report = run(hierarchy.leaf.cert, hierarchy.intermediate.cert, stale.cert, store=store)
    assert report.findings == [] and len(report.chain) == 3


def test_not_yet_valid(store):
    report = run(*chain(not_before=NOW + DAY, not_after=NOW + 100 * DAY), store=store)
    assert codes(report) == ["not_yet_valid"]


@pytest.mark.parametrize("days, severity", [(10, "warning"), (45, "info")])
def test_expires_soon(store, days, severity):
    report = run(*chain(not_after=NOW + days * DAY), store=store)
    found = finding(report, "expires_soon")
    assert found.severity == severity and f"in {days} days" in found.message
    assert report.leaf.days_remaining == days


def test_not_expiring_soon_at_61_days(store):
    assert "expires_soon" not in codes(run(*chain(not_after=NOW + 61 * DAY), store=store))


@pytest.mark.parametrize("key_type, size, bits", [("rsa", 1024, "1024"), ("ec", 192, "192")])
def test_weak_key(store, key_type, size, bits):
    report = run(*chain(key_type=key_type, key_size=size), store=store)
    assert "weak_key" in codes(report)
    assert f"only {bits} bits" in finding(report, "weak_key").message


def test_rsa_2048_is_not_weak(store):
    assert run(*chain(key_type="rsa", key_size=2048), store=store).findings == []


@pytest.mark.parametrize("hash_alg, shown", [(hashes.SHA1(), "SHA-1"), (hashes.MD5(), "MD5")])
def test_weak_signature(store, hash_alg, shown):
    rsa_root = make_root("RSA Root", key=make_key("rsa", 2048))
    report = run(make_leaf(rsa_root, hash_alg=hash_alg).cert, rsa_root.cert, store=store)
    assert finding(report, "weak_signature").message.startswith(f"The certificate is signed with {shown}")


def test_no_san(store):
    report = run(*chain(sans=[]), store=store)
    assert codes(report) == ["no_san"]
    assert report.recommended_connector_domain == "mail.contoso.com"


@pytest.mark.parametrize("ekus, missing", [
    ([SERVER_AUTH], True), ([SERVER_AUTH, CLIENT_AUTH], False), (None, False)])
def test_client_auth_eku_missing(store, ekus, missing):
    report = run(*chain(ekus=ekus), store=store)
    assert ("client_auth_eku_missing" in codes(report)) is missing
    if missing:
        message = finding(report, "client_auth_eku_missing").message
        assert "2026" in message and "test message" in message


def test_ca_certificate_only(store, hierarchy):
    report = run(hierarchy.intermediate.cert, hierarchy.root.cert, store=store)
    assert codes(report) == ["ca_certificate_only"]
    assert report.candidates == [] and report.verdict == "blocked"


def test_private_key_notice(store):
    report = run(*chain(), store=store, private_key_dropped=True)
    assert report.notices and "private key" in report.notices[0]
    assert run(*chain(), store=store).notices == []


def test_leaf_is_found_whatever_the_order(store, hierarchy):
    report = run(hierarchy.intermediate.cert, hierarchy.leaf.cert, store=store)
    assert report.leaf.common_name == "mail.contoso.com"
    assert [c.common_name for c in report.chain] == ["mail.contoso.com", "Test Issuing CA"]


def test_messages_are_translated(store):
    def shout(msgid, **params):
        return (msgid % params if params else msgid).upper()

    report = analyze(list(chain(cn="mail.fabrikam.com")), ACCEPTED, now=NOW, trust_store=store, _=shout)
    assert finding(report, "name_not_accepted").message.isupper()


def test_upload_round_trip(store, hierarchy):
    upload = read_certificates(b"".join(f.pem.encode() for f in run(*chain(), store=store).chain))
    assert run(*upload.certificates, store=store).findings == []
