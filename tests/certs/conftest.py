"""Fixtures for the certificate tests: one private PKI, trusted through a file."""
from __future__ import annotations

import pytest

from cryptography import x509
from cryptography.x509 import verification

from app.certs import chain, domains, facts
from app.certs.trust import TrustStore, load_trust_store
from tests.certfactory import NOW, Hierarchy, make_hierarchy, write_trust_store


@pytest.fixture(autouse=True)
def nothing_kept_between_tests():
    """Each test reads its certificates afresh. What the analysis keeps by a certificate's bytes
    or a name would otherwise hand a test what an earlier test worked out, and hide from it a
    changed rule (make mutate runs the tests in a process that ran them all once)."""
    for kept in (chain._VERDICTS, chain._OBJECTS, facts._KEPT):
        kept.clear()
    for cached in (chain.names_of, domains.normalize_domain, domains.is_internal_name):
        cached.cache_clear()


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> TrustStore:
    """A trust store holding only the factory's default root."""
    root = make_hierarchy().root.cert
    return load_trust_store(write_trust_store(tmp_path_factory.mktemp("roots") / "roots.pem", root))


@pytest.fixture
def hierarchy() -> Hierarchy:
    return make_hierarchy()


@pytest.fixture
def now():
    return NOW


def store_knowing(*intermediates: x509.Certificate) -> TrustStore:
    """The factory's root as the trusted root, plus ``intermediates`` as known public intermediates."""
    root = make_hierarchy().root.cert
    return TrustStore((root,), verification.Store([root]), tuple(intermediates))
