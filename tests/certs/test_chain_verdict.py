"""One verdict per certificate, whatever part of its chain the upload holds (issue 10, item 5).

Real hierarchies from tests/certfactory.py: the factory's "public" root is in
the test trust store; a private root is not. A chain that does not lead to a
trusted root reads as such (untrusted_root, an error) whether or not the upload
holds the private root; only a public CA's missing intermediate is an
incomplete chain (a warning).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509

from app.certs.analysis import analyze
from app.certs.trust import load_trust_store
from tests.certfactory import NOW, make_hierarchy, make_intermediate, make_leaf, make_root, write_trust_store
from tests.certs.conftest import store_knowing

CORPUS = Path(__file__).parent / "corpus"


def outcome(certs, store):
    report = analyze(list(certs), ["contoso.com", "mail.contoso.com"], now=NOW, trust_store=store)
    return report.verdict, [f.code for f in report.findings if f.code in ("untrusted_root", "incomplete_chain")]


@pytest.fixture(scope="module")
def private_pki():
    root = make_root("Contoso Private Root")
    issuing = make_intermediate(root, "Contoso Issuing CA")
    return root, issuing, make_leaf(issuing)


@pytest.mark.parametrize("upload", ["leaf, issuing CA, root", "leaf, issuing CA", "leaf", "root first"])
def test_private_ca_is_blocked_with_or_without_its_root(store, private_pki, upload):
    root, issuing, leaf = private_pki
    certs = {"leaf, issuing CA, root": [leaf.cert, issuing.cert, root.cert],
             "leaf, issuing CA": [leaf.cert, issuing.cert],
             "leaf": [leaf.cert],
             "root first": [root.cert, leaf.cert, issuing.cert]}[upload]
    assert outcome(certs, store) == ("blocked", ["untrusted_root"])


def test_without_its_root_the_message_says_where_the_chain_ends_not_that_a_file_is_missing(store, private_pki):
    _root, issuing, leaf = private_pki
    report = analyze([leaf.cert, issuing.cert], ["contoso.com"], now=NOW, trust_store=store)
    message = next(f.message for f in report.findings if f.code == "untrusted_root")
    assert message.startswith("CN=Contoso Private Root, O=Test PKI, C=US, which issued CN=Contoso Issuing CA")
    assert "does not lead to a public root CA" in message and "get a certificate from a public CA" in message


def test_public_chain_whole_is_ready(store):
    h = make_hierarchy()
    assert outcome([h.leaf.cert, h.intermediate.cert], store) == ("ready", [])
    assert outcome([h.leaf.cert, h.intermediate.cert, h.root.cert], store) == ("ready", [])


def test_public_leaf_alone_is_an_incomplete_chain_when_its_issuer_is_a_known_intermediate():
    h = make_hierarchy()
    verdict, codes = outcome([h.leaf.cert], store_knowing(h.intermediate.cert))
    assert (verdict, codes) == ("needs_attention", ["incomplete_chain"])


def test_public_leaf_alone_is_an_incomplete_chain_when_certificate_transparency_logged_it(store):
    h = make_hierarchy(logged=True)
    assert outcome([h.leaf.cert], store) == ("needs_attention", ["incomplete_chain"])
    assert outcome([h.leaf.cert, h.intermediate.cert], store) == ("ready", [])


def test_unlogged_leaf_of_an_unknown_intermediate_does_not_lead_to_a_public_root(store):
    h = make_hierarchy()
    assert outcome([h.leaf.cert], store) == ("blocked", ["untrusted_root"])


def test_private_ca_leaf_that_claims_transparency_still_blocks_when_its_root_is_uploaded(store, private_pki):
    root, issuing, _leaf = private_pki
    logged = make_leaf(issuing, logged=True)
    assert outcome([logged.cert, issuing.cert, root.cert], store) == ("blocked", ["untrusted_root"])


def test_known_intermediates_come_from_the_trust_bundle_and_are_never_anchors(tmp_path):
    h = make_hierarchy()
    store = load_trust_store(write_trust_store(tmp_path / "bundle.pem", h.root.cert, h.intermediate.cert))
    assert store.roots == (h.root.cert,) and store.intermediates == (h.intermediate.cert,)
    assert outcome([h.leaf.cert], store) == ("needs_attention", ["incomplete_chain"])
    # An intermediate in the bundle does not make its own leaves trusted without it.
    assert not store.anchors(h.leaf.cert)


def test_a_real_logged_certificate_without_its_intermediate_against_certifi():
    """Let's Encrypt Authority X3 is no root: certifi does not know it, the leaf's SCTs show a public CA."""
    leaf = x509.load_pem_x509_certificate((CORPUS / "x509_cryptography-scts.pem").read_bytes())
    report = analyze([leaf], ["cryptography.io"], now=NOW, trust_store=load_trust_store(None))
    assert "incomplete_chain" in [f.code for f in report.findings]
    assert "untrusted_root" not in [f.code for f in report.findings]
