"""Internal names at their edges: a wildcard over one label, an address in brackets, a CN that only
the subject holds, a root dot (issue 16)."""
from __future__ import annotations

import pytest

from app.certs.domains import is_internal_name
from app.certs.facts import certificate_facts
from app.certs.matching import internal_names
from tests.certfactory import NOW, make_hierarchy


@pytest.mark.parametrize("name,internal", [
    ("*.exch01", True), ("*.contoso.com", False), ("[10.0.0.5]", True), ("[2001:db8::5]", True),
    ("mail.contoso.com.", False), ("exch01.", True),
])
def test_which_certificate_names_can_only_be_internal(name, internal):
    assert is_internal_name(name) is internal


def test_an_internal_common_name_counts_even_when_the_san_names_a_public_host():
    leaf = make_hierarchy("exch01", sans=["mail.contoso.com"]).leaf.cert
    assert internal_names(certificate_facts(leaf, NOW)) == ["exch01"]


def test_an_internal_name_with_a_root_dot_is_named_once_without_it():
    leaf = make_hierarchy("exch01", sans=["exch01.", "mail.contoso.local."]).leaf.cert
    assert internal_names(certificate_facts(leaf, NOW)) == ["exch01", "mail.contoso.local"]
