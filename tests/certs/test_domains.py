"""Accepted domains typed one per line or pasted from Get-AcceptedDomain."""
from __future__ import annotations

import pytest

from app.certs.domains import (
    INTERNAL, SINGLE_LABEL, SPACE, WILDCARD, DomainError, LineProblem, is_internal_name, normalize_domain,
    parse_accepted_domains,
)


@pytest.mark.parametrize("text, domain", [
    ("contoso.com", "contoso.com"),
    ("  Contoso.COM.  ", "contoso.com"),
    ("Bücher.de", "xn--bcher-kva.de"),
    ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("mail.sub.contoso.com", "mail.sub.contoso.com"),
])
def test_normalize_domain(text, domain):
    assert normalize_domain(text) == domain


@pytest.mark.parametrize("text, code", [
    ("", "empty"), ("   ", "empty"), ("*.contoso.com", "wildcard"), ("con toso.com", "space"),
    ("contoso", "single_label"), ("-contoso.com", "bad_label"), ("a..com", "bad_label"),
    ("con_toso.com", "bad_label"), ("a" * 64 + ".com", "bad_label"), ("contoso.com:25", "bad_label"),
])
def test_normalize_domain_rejects_with_a_reason(text, code):
    with pytest.raises(DomainError) as caught:
        normalize_domain(text)
    assert caught.value.code == code
    assert "contoso.com" in caught.value.message() and "invalid" not in caught.value.message().lower()


def test_one_per_line_keeps_order_drops_duplicates_and_blank_lines():
    parsed = parse_accepted_domains("Contoso.com\n\n  fabrikam.com  \ncontoso.com\nBücher.de\n")
    assert parsed.domains == ["contoso.com", "fabrikam.com", "xn--bcher-kva.de"]
    assert parsed.problems == []


def test_bad_lines_are_reported_by_line_number_with_the_reason():
    parsed = parse_accepted_domains("contoso.com\n*.fabrikam.com\n\nnot a domain\ntailspintoys.com\ncontoso")
    assert parsed.domains == ["contoso.com", "tailspintoys.com"]
    assert parsed.problems == [LineProblem(2, "*.fabrikam.com", WILDCARD), LineProblem(4, "not a domain", SPACE),
                               LineProblem(6, "contoso", SINGLE_LABEL)]


def test_the_lines_of_the_issue_are_both_kept_and_say_where_they_came_from():
    """`http://contoso.com` was silently dropped (read as a "Property : value" line)."""
    parsed = parse_accepted_domains("http://contoso.com\nFabrikam.com.")
    assert parsed.domains == ["contoso.com", "fabrikam.com"]
    assert parsed.problems == []
    assert parsed.sources == {"contoso.com": "http://contoso.com", "fabrikam.com": "Fabrikam.com."}


@pytest.mark.parametrize("line, domain", [
    ("https://Contoso.com/owa", "contoso.com"),
    ("http://user:secret@contoso.com:8080/path?q=1#top", "contoso.com"),
    ("admin@contoso.com", "contoso.com"),
    ("mailto:admin@contoso.com", "contoso.com"),
    ('"contoso.com"', "contoso.com"),
    ("<contoso.com>", "contoso.com"),
    ("contoso.com.", "contoso.com"),
    ("Bücher.de", "xn--bcher-kva.de"),
])
def test_a_url_an_address_quotes_or_a_root_dot_give_the_domain_and_are_noted(line, domain):
    parsed = parse_accepted_domains(line)
    assert parsed.domains == [domain] and parsed.problems == []
    assert parsed.sources == {domain: line}


def test_letter_case_alone_is_not_worth_a_note():
    parsed = parse_accepted_domains("Contoso.COM")
    assert parsed.domains == ["contoso.com"] and parsed.sources == {}


def test_several_domains_on_a_line_are_each_kept():
    parsed = parse_accepted_domains("contoso.com, fabrikam.com; tailspintoys.com wingtiptoys.com")
    assert parsed.domains == ["contoso.com", "fabrikam.com", "tailspintoys.com", "wingtiptoys.com"]
    assert parsed.problems == []


def test_a_line_with_one_word_that_is_no_domain_is_refused_whole():
    parsed = parse_accepted_domains("contoso.com and fabrikam.com")
    assert parsed.domains == [] and parsed.problems == [LineProblem(1, "contoso.com and fabrikam.com", SPACE)]


@pytest.mark.parametrize("line", ["contoso.local", "mail.corp", "192.0.2.10", "https://exchange01.lan/owa"])
def test_internal_names_and_addresses_are_refused_as_such(line):
    parsed = parse_accepted_domains(line)
    assert parsed.domains == [] and parsed.problems == [LineProblem(1, line, INTERNAL)]


@pytest.mark.parametrize("line", ["foo: bar", "contoso: com", "http://", "user@", "notcontoso"])
def test_no_line_is_dropped_without_a_word(line):
    """Only headings and other properties of Get-AcceptedDomain are skipped; anything else is kept or refused."""
    parsed = parse_accepted_domains(line)
    assert parsed.domains or [problem.number for problem in parsed.problems] == [1]


TABLE = """\
PS C:\\> Get-AcceptedDomain

Name                 DomainName                   DomainType    Default
----                 ----------                   ----------    -------
contoso.com          contoso.com                  Authoritative True
Contoso Sub          sub.contoso.com              InternalRelay False
contoso.onmicrosoft… contoso.onmicrosoft.com      Authoritative False
fabrikam.com         fabrikam.com                 ExternalRelay False
"""


def test_get_accepted_domain_table():
    parsed = parse_accepted_domains(TABLE)
    assert parsed.domains == ["contoso.com", "sub.contoso.com", "contoso.onmicrosoft.com", "fabrikam.com"]
    assert parsed.problems == []


LIST = """\
Name               : contoso.com
DomainName         : contoso.com
DomainType         : Authoritative
Default            : True

Name               : Fabrikam
DomainName         : Fabrikam.com
DomainType         : InternalRelay
MatchSubDomains    : False
"""


def test_get_accepted_domain_format_list():
    parsed = parse_accepted_domains(LIST)
    assert parsed.domains == ["contoso.com", "fabrikam.com"]
    assert parsed.problems == []


def test_bad_domain_in_list_form_is_reported_with_its_line():
    parsed = parse_accepted_domains("DomainName : contoso.com\nDomainName : bad domain\n")
    assert [(p.number, p.text) for p in parsed.problems] == [(2, "DomainName : bad domain")]


def test_table_row_without_domain_type_is_a_problem():
    parsed = parse_accepted_domains("Name DomainName DomainType Default\ncontoso.com something else\n")
    assert parsed.domains == []
    assert [(p.number, p.text) for p in parsed.problems] == [(2, "contoso.com something else")]


@pytest.mark.parametrize("name", [
    "mail.contoso.local", "*.contoso.local", "exchange01", "EXCH01.", "mail.corp", "smtp.lan", "host.internal",
    "srv.home.arpa", "mail.localdomain", "192.0.2.10", "2001:db8::1", "[2001:db8::1]", "localhost", "a.test",
])
def test_names_that_only_resolve_inside_an_organization_are_internal(name):
    assert is_internal_name(name)


@pytest.mark.parametrize("name", [
    "mail.contoso.com", "*.contoso.com", "contoso.com", "mail.notlocal.com", "local.contoso.com",
    "mail.corporate.com", "lan.contoso.se", "mail.contoso.co.uk", "xn--mnchen-3ya.de", "mail.contoso.mailbox.org",
])
def test_public_names_are_not_internal_even_when_a_label_looks_internal(name):
    assert not is_internal_name(name)
