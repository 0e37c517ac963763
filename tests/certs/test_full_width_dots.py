"""An accepted domain typed with a full-width dot (Japanese or Chinese input) is the same domain.

Found by the random local runs of tests/fuzz/test_domains.py (issue 16): "a.a．" was kept as "a.a."."""
from __future__ import annotations

import pytest

from app.certs.domains import DomainError, normalize_domain, parse_accepted_domains


@pytest.mark.parametrize("text", ["contoso．com", "contoso。com", "contoso｡com", "contoso.com．", "contoso.com。"])
def test_a_full_width_dot_separates_labels_like_a_dot(text):
    assert normalize_domain(text) == "contoso.com"


def test_a_single_label_with_a_full_width_dot_is_still_a_single_label():
    with pytest.raises(DomainError):
        normalize_domain("contoso．")
    assert parse_accepted_domains("contoso．").domains == []


def test_pasted_domains_with_full_width_dots_are_canonical():
    assert parse_accepted_domains("a.a．\nfabrikam。com").domains == ["a.a", "fabrikam.com"]
