"""What the analysis keeps between uploads (a certificate's facts, a signature's verdict, by the
certificates' bytes) changes no report: whatever else an answer depends on (the time, the trust
store, the language, another certificate with the same names) gives the new answer."""
from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import verification

from app.certs import chain
from app.certs import facts as facts_module
from app.certs.analysis import analyze
from app.certs.facts import certificate_facts
from app.certs.kept import Kept
from app.certs.reading import read_certificates
from app.certs.trust import TrustStore
from tests.certfactory import DAY, NOW, make_hierarchy, make_intermediate, make_key, make_leaf, make_root, to_pem
from tests.certs.conftest import store_knowing
from tests.certs.test_facts import corpus_cert


def report_of(pem: bytes, *, now=NOW, store=None, _=None):
    options = {"_": _} if _ else {}
    return analyze(read_certificates(pem).certificates, ["contoso.com"], now=now,
                   trust_store=store or store_knowing(), **options)


def test_a_kept_certificate_is_dated_by_each_analysis_own_time():
    h = make_hierarchy()
    pem = to_pem(h.leaf.cert, h.intermediate.cert, h.root.cert)

    today = report_of(pem)
    later = report_of(pem, now=NOW + 400 * DAY)
    again = report_of(pem)

    assert [c.days_remaining for c in later.chain] == [c.days_remaining - 400 for c in today.chain]
    assert "expired" in [f.code for f in later.findings]
    assert "expired" not in [f.code for f in today.findings + again.findings]
    assert again.chain == today.chain


def test_a_certificate_with_the_same_names_but_other_bytes_gets_its_own_facts():
    h = make_hierarchy()
    first = make_leaf(h.intermediate, "mail.contoso.com", sans=["mail.contoso.com"])
    second = make_leaf(h.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "relay.contoso.com"])

    one = report_of(to_pem(first.cert, h.intermediate.cert))
    other = report_of(to_pem(second.cert, h.intermediate.cert))

    assert one.leaf.dns_names == ["mail.contoso.com"]
    assert other.leaf.dns_names == ["mail.contoso.com", "relay.contoso.com"]
    assert one.leaf.fingerprint_sha256 != other.leaf.fingerprint_sha256


def test_a_report_lists_are_its_own():
    h = make_hierarchy()
    pem = to_pem(h.leaf.cert, h.intermediate.cert)
    report_of(pem).leaf.dns_names.append("changed.contoso.com")

    assert "changed.contoso.com" not in report_of(pem).leaf.dns_names


def test_a_verified_chain_is_judged_again_with_another_trust_store():
    h = make_hierarchy()
    pem = to_pem(h.leaf.cert, h.intermediate.cert)
    other_root = make_root("Another Root CA").cert
    stranger = TrustStore((other_root,), verification.Store([other_root]))

    trusted = report_of(pem)
    untrusted = report_of(pem, store=stranger)
    trusted_again = report_of(pem)

    assert "untrusted_root" not in [f.code for f in trusted.findings + trusted_again.findings]
    assert "untrusted_root" in [f.code for f in untrusted.findings]


def test_an_impostor_bearing_a_verified_intermediates_name_is_not_taken_for_it():
    """The first upload verifies the real intermediate; the second brings one with the same
    name and another key (signed by a root nobody trusts): its leaf does not chain to the root."""
    h = make_hierarchy()
    report_of(to_pem(h.leaf.cert, h.intermediate.cert))
    other_root = make_root(subject=h.root.cert.subject, key=make_key("rsa", 2048))
    impostor = make_intermediate(other_root, subject=h.intermediate.cert.subject, key=make_key("ec", 384))
    leaf = make_leaf(impostor, "mail.contoso.com")

    report = report_of(to_pem(leaf.cert, impostor.cert))

    assert "untrusted_root" in [f.code for f in report.findings]


def test_the_findings_are_in_each_analysis_language():
    h = make_hierarchy()
    pem = to_pem(make_leaf(h.intermediate, "mail.contoso.com", not_after=NOW + 10 * DAY).cert, h.intermediate.cert)

    plain_report = report_of(pem)
    shouted = report_of(pem, _=lambda text, **values: (text % values if values else text).upper())

    expiring = [f.message for f in plain_report.findings if f.code == "expires_soon"]
    assert expiring and expiring[0] != expiring[0].upper()
    assert [f.message for f in shouted.findings if f.code == "expires_soon"] == [expiring[0].upper()]


def test_each_certificate_object_reads_as_its_own_bytes():
    """The DER is kept per certificate object; objects come and go, and their ids are reused."""
    h = make_hierarchy()
    for number in range(100):
        cert = make_leaf(h.intermediate, f"mail{number}.contoso.com").cert
        loaded = read_certificates(cert.public_bytes(serialization.Encoding.PEM)).certificates[0]
        assert chain.der_of(loaded) == cert.public_bytes(serialization.Encoding.DER)
        del cert, loaded


def test_the_facts_carry_each_certificate_as_cryptography_writes_it():
    """The PEM, thumbprint and fingerprint come from the DER read once: the same as cryptography's."""
    names = ("x509_custom_dsa_selfsigned_ca.pem", "x509_ed25519_server-ed25519-cert.pem",
             "x509_custom_all_key_usages.pem", "x509_custom_name_attribute_unsupported_tag.pem")
    certs = [corpus_cert(name) for name in names] + [make_leaf(make_hierarchy().intermediate, "mail.contoso.com",
                                                               sans=[f"n{i}.contoso.com" for i in range(40)]).cert]
    for cert in certs:
        facts = certificate_facts(cert, NOW)
        assert facts.pem == cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
        assert facts.thumbprint_sha1 == cert.fingerprint(hashes.SHA1()).hex().upper()
        assert facts.fingerprint_sha256 == cert.fingerprint(hashes.SHA256()).hex().upper()


def test_what_is_kept_is_bounded_and_the_entry_used_longest_ago_goes_first():
    kept = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" is now the one used last
    kept.put("c", 3)

    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)
    assert len(kept) == 2


def test_an_upload_encodes_each_certificate_once(monkeypatch):
    """cryptography writes a certificate's DER anew on each call; reading and analysing an upload
    ask for it many times (the order, the signatures' verdicts, the facts): counted, not timed."""
    encoded: list[int] = []
    encode = chain.encode
    monkeypatch.setattr(chain, "encode", lambda cert: encoded.append(id(cert)) or encode(cert))
    intermediate = make_intermediate(make_hierarchy().root, "Fresh Issuing CA")

    report_of(to_pem(make_leaf(intermediate, "mail.contoso.com").cert, intermediate.cert, make_hierarchy().root.cert))

    assert len(encoded) == len(set(encoded)) >= 3


def test_a_certificate_is_read_into_facts_once_for_upload_after_upload(monkeypatch):
    read: list[str] = []
    facts_of = facts_module._facts
    monkeypatch.setattr(facts_module, "_facts", lambda cert, *rest: read.append(cert.subject.rfc4514_string())
                        or facts_of(cert, *rest))
    h = make_hierarchy()
    intermediate = make_intermediate(h.root, "Fresh Issuing CA")
    pem = to_pem(make_leaf(intermediate, "mail.contoso.com").cert, intermediate.cert, h.root.cert)

    first, second = report_of(pem), report_of(pem)

    assert second.chain == first.chain
    assert len(read) == len(set(read)) and "CN=Fresh Issuing CA,O=Test PKI,C=US" in read
