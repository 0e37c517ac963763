"""Fixtures for the certificate tests: one private PKI, trusted through a file."""
from __future__ import annotations

import pytest

from cryptography import x509
from cryptography.x509 import verification

from app.certs.trust import TrustStore, load_trust_store
from tests.certfactory import NOW, Hierarchy, make_hierarchy, write_trust_store


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
