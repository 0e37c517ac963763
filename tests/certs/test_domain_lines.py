"""Accepted-domain lines at their edges: an address with a quoted local part, a bare mailto:, a repeated
domain before a new one, an internal name beside a domain (issue 16)."""
from __future__ import annotations

from app.certs.domains import parse_accepted_domains


def read(text: str):
    parsed = parse_accepted_domains(text)
    return parsed.domains, [tuple(p) for p in parsed.problems]


def test_an_address_gives_the_domain_after_its_last_at_sign():
    assert read('"ann@home"@contoso.com') == (["contoso.com"], [])


def test_a_mailto_without_an_address_gives_its_domain():
    assert read("mailto:contoso.com") == (["contoso.com"], [])


def test_a_domain_already_read_does_not_hide_the_next_one_on_its_line():
    assert read("contoso.com\ncontoso.com, fabrikam.com") == (["contoso.com", "fabrikam.com"], [])


def test_an_internal_name_beside_a_domain_is_refused_as_internal():
    assert read("contoso.com mail.contoso.local") == ([], [(1, "contoso.com mail.contoso.local", "internal")])


def test_a_url_gives_its_host_without_user_password_or_port():
    assert read("https://admin:p%40ss@mail.contoso.com:8443/owa\nsmtp://relay.contoso.com:/") == (
        ["mail.contoso.com", "relay.contoso.com"], [])
