"""One upload verifies each signature of its chain once: reading, ordering, the walk to a root
and cryptography's verifier share the work (counted, not timed: the speed is in bench/)."""
from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.certs import chain, trust
from app.certs.analysis import analyze
from app.certs.reading import read_certificates
from tests.certfactory import NOW, make_hierarchy, make_intermediate, make_leaf, make_root, to_pem
from tests.certs.conftest import store_knowing


@pytest.fixture
def verifications(monkeypatch) -> list[str]:
    """Every signature verification: ours one by one, the verifier's one per link of the chain it built."""
    seen: list[str] = []
    verify_signature, verified_chain = chain.verify_signature, trust.verified_chain

    def counted_signature(cert, issuer):
        seen.append(f"{cert.subject.rfc4514_string()} by {issuer.subject.rfc4514_string()}")
        return verify_signature(cert, issuer)

    def counted_chain(certs, store, now):
        built = verified_chain(certs, store, now)
        seen.extend(f"{cert.subject.rfc4514_string()} by {issuer.subject.rfc4514_string()}"
                    for cert, issuer in zip(built, built[1:]))
        return built

    monkeypatch.setattr(chain, "verify_signature", counted_signature)
    monkeypatch.setattr(trust, "verified_chain", counted_chain)
    return seen


def fresh_upload() -> bytes:
    """A leaf and a new intermediate under the trusted test root: no cache has seen them."""
    intermediate = make_intermediate(make_hierarchy().root, "Fresh Issuing CA")
    return to_pem(make_leaf(intermediate, "mail.contoso.com").cert, intermediate.cert)


def test_a_fresh_chain_verifies_each_signature_once(verifications):
    upload = read_certificates(fresh_upload())
    report = analyze(upload.certificates, ["contoso.com"], now=NOW, trust_store=store_knowing())

    assert not [f.code for f in report.findings if f.severity == "error"]
    assert sorted(verifications) == sorted(set(verifications))  # none twice
    assert len(verifications) == 2  # the leaf by the intermediate, the intermediate by the root


def test_a_chain_that_does_not_verify_is_still_ordered_and_reported(verifications):
    """A private CA's chain: the verifier fails, our own walk verifies and names the finding."""
    root = make_root("Private Root CA")
    intermediate = make_intermediate(root, "Private Issuing CA")
    leaf = make_leaf(intermediate, "mail.contoso.com")
    upload = read_certificates(to_pem(intermediate.cert, leaf.cert))

    report = analyze(upload.certificates, ["contoso.com"], now=NOW, trust_store=store_knowing())

    assert [c.subject for c in report.chain] == [leaf.cert.subject.rfc4514_string(),
                                                 intermediate.cert.subject.rfc4514_string()]
    assert "untrusted_root" in [f.code for f in report.findings]
    assert verifications and sorted(verifications) == sorted(set(verifications))  # ours, each once


def test_a_signature_that_fails_is_checked_once_too(verifications):
    """A certificate bearing the intermediate's name with another key: that it did not sign the
    leaf is found once, though the order and the walk to a root both ask."""
    h = make_hierarchy()
    other_key = ec.generate_private_key(ec.SECP256R1())
    stranger = make_intermediate(h.root, subject=h.intermediate.cert.subject, key=other_key)
    upload = read_certificates(to_pem(h.leaf.cert, stranger.cert))

    analyze(upload.certificates, ["contoso.com"], now=NOW, trust_store=store_knowing())

    assert verifications and sorted(verifications) == sorted(set(verifications))
