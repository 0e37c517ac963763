"""Connector values (TlsSenderCertificateName) that would pass, best first."""
from __future__ import annotations

from app.certs.matching import find_candidates
from app.certs.model import EXACT, WILDCARD_CERTIFICATE, WILDCARD_CONNECTOR, Candidate


def values(names, accepted):
    return [(c.connector_domain, c.kind) for c in find_candidates(names, accepted)]


def test_exact_name_ranks_before_wildcard_connector():
    assert find_candidates(["mail.contoso.com"], ["contoso.com", "mail.contoso.com"]) == [
        Candidate("mail.contoso.com", "mail.contoso.com", "mail.contoso.com", EXACT),
        Candidate("*.contoso.com", "mail.contoso.com", "contoso.com", WILDCARD_CONNECTOR),
    ]


def test_host_name_under_accepted_domain_needs_a_wildcard_connector_never_the_bare_parent():
    candidates = find_candidates(["mail.contoso.com"], ["contoso.com"])
    assert [(c.connector_domain, c.accepted_domain, c.kind) for c in candidates] == [
        ("*.contoso.com", "contoso.com", WILDCARD_CONNECTOR)]


def test_only_the_immediate_parent_counts_kb_4019940():
    assert values(["host.sub.contoso.com"], ["contoso.com"]) == []
    assert values(["host.sub.contoso.com"], ["sub.contoso.com"]) == [("*.sub.contoso.com", WILDCARD_CONNECTOR)]


def test_wildcard_certificate_needs_the_wildcard_on_the_connector():
    candidates = find_candidates(["*.contoso.com"], ["contoso.com"])
    assert candidates == [Candidate("*.contoso.com", "*.contoso.com", "contoso.com", WILDCARD_CERTIFICATE)]


def test_wildcard_certificate_passes_through_an_accepted_subdomain():
    candidates = find_candidates(["*.contoso.com"], ["jpn.contoso.com"])
    assert [(c.connector_domain, c.accepted_domain) for c in candidates] == [("*.contoso.com", "jpn.contoso.com")]


def test_wildcard_certificate_under_unaccepted_subdomain_gets_nothing():
    assert values(["*.sub.contoso.com"], ["contoso.com"]) == []


def test_ranking_exact_then_wildcard_certificate_then_wildcard_connector():
    names = ["mail.fabrikam.com", "*.tailspintoys.com", "contoso.com"]
    accepted = ["fabrikam.com", "tailspintoys.com", "contoso.com"]
    assert values(names, accepted) == [
        ("contoso.com", EXACT), ("*.tailspintoys.com", WILDCARD_CERTIFICATE),
        ("*.fabrikam.com", WILDCARD_CONNECTOR)]


def test_same_connector_value_from_two_names_is_listed_once_for_the_first_name():
    candidates = find_candidates(["mail1.contoso.com", "mail2.contoso.com"], ["contoso.com"])
    assert [(c.connector_domain, c.certificate_name) for c in candidates] == [("*.contoso.com", "mail1.contoso.com")]


def test_wildcard_certificate_and_host_name_agree_on_one_value():
    # *.contoso.com on the certificate and mail.contoso.com both lead to "*.contoso.com":
    # the certificate's own wildcard is the stronger reason.
    candidates = find_candidates(["mail.contoso.com", "*.contoso.com"], ["contoso.com"])
    assert [(c.connector_domain, c.kind) for c in candidates] == [("*.contoso.com", WILDCARD_CERTIFICATE)]


def test_ties_keep_certificate_order():
    assert values(["b.com", "a.com"], ["a.com", "b.com"]) == [("b.com", EXACT), ("a.com", EXACT)]


def test_no_accepted_domain_no_candidate():
    assert values(["mail.contoso.com"], ["fabrikam.com"]) == []
