"""Connector values (TlsSenderCertificateName) that would pass, best first."""
from __future__ import annotations

import pytest

from app.certs.matching import find_candidates, passes_now
from app.certs.model import (
    ADD_ACCEPTED_DOMAIN as ADD, EXACT, WILDCARD_CERTIFICATE, WILDCARD_CONNECTOR, Candidate,
)


def values(names, accepted):
    return [(c.connector_domain, c.kind) for c in find_candidates(names, accepted)]


def test_exact_name_ranks_before_wildcard_connector():
    assert find_candidates(["mail.contoso.com"], ["contoso.com", "mail.contoso.com"]) == [
        Candidate("mail.contoso.com", "mail.contoso.com", "mail.contoso.com", EXACT),
        Candidate("*.contoso.com", "mail.contoso.com", "contoso.com", WILDCARD_CONNECTOR),
    ]


def test_host_name_under_accepted_domain_adds_the_host_name_first_then_the_wildcard_never_the_bare_parent():
    # Microsoft prefers adding the host name (KB 4019940 "(Preferred)"); *.contoso.com is the fallback.
    candidates = find_candidates(["mail.contoso.com"], ["contoso.com"])
    assert [(c.connector_domain, c.accepted_domain, c.kind, c.works_now) for c in candidates] == [
        ("mail.contoso.com", "mail.contoso.com", ADD, False),
        ("*.contoso.com", "contoso.com", WILDCARD_CONNECTOR, True)]


def test_only_the_immediate_parent_counts_kb_4019940():
    # contoso.com does not cover host.sub.contoso.com: only adding a domain helps.
    assert values(["host.sub.contoso.com"], ["contoso.com"]) == [("host.sub.contoso.com", ADD)]
    assert values(["host.sub.contoso.com"], ["sub.contoso.com"]) == [
        ("host.sub.contoso.com", ADD), ("*.sub.contoso.com", WILDCARD_CONNECTOR)]


def test_wildcard_certificate_needs_the_wildcard_on_the_connector():
    candidates = find_candidates(["*.contoso.com"], ["contoso.com"])
    assert candidates == [Candidate("*.contoso.com", "*.contoso.com", "contoso.com", WILDCARD_CERTIFICATE)]


def test_wildcard_certificate_passes_through_an_accepted_subdomain():
    candidates = find_candidates(["*.contoso.com"], ["jpn.contoso.com"])
    assert [(c.connector_domain, c.accepted_domain) for c in candidates] == [("*.contoso.com", "jpn.contoso.com")]


def test_wildcard_certificate_under_unaccepted_subdomain_needs_that_subdomain_added():
    assert find_candidates(["*.sub.contoso.com"], ["contoso.com"]) == [
        Candidate("*.sub.contoso.com", "*.sub.contoso.com", "sub.contoso.com", ADD)]


def test_ranking_exact_then_wildcard_certificate_then_wildcard_connector():
    names = ["mail.fabrikam.com", "*.tailspintoys.com", "contoso.com"]
    accepted = ["fabrikam.com", "tailspintoys.com", "contoso.com"]
    # A name that works as it is makes "add a domain" pointless: none is offered.
    assert values(names, accepted) == [
        ("contoso.com", EXACT), ("*.tailspintoys.com", WILDCARD_CERTIFICATE),
        ("*.fabrikam.com", WILDCARD_CONNECTOR)]


def test_same_connector_value_from_two_names_is_listed_once_for_the_first_name():
    candidates = find_candidates(["mail1.contoso.com", "mail2.contoso.com"], ["contoso.com"])
    assert [(c.connector_domain, c.certificate_name, c.kind) for c in candidates] == [
        ("mail1.contoso.com", "mail1.contoso.com", ADD), ("mail2.contoso.com", "mail2.contoso.com", ADD),
        ("*.contoso.com", "mail1.contoso.com", WILDCARD_CONNECTOR)]


def test_wildcard_certificate_and_host_name_agree_on_one_value():
    # *.contoso.com on the certificate and mail.contoso.com both lead to "*.contoso.com":
    # the certificate's own wildcard is the stronger reason.
    candidates = find_candidates(["mail.contoso.com", "*.contoso.com"], ["contoso.com"])
    assert [(c.connector_domain, c.kind) for c in candidates] == [("*.contoso.com", WILDCARD_CERTIFICATE)]


def test_ties_keep_certificate_order():
    assert values(["b.com", "a.com"], ["a.com", "b.com"]) == [("b.com", EXACT), ("a.com", EXACT)]


def test_no_related_accepted_domain_offers_each_name_after_adding_it():
    assert find_candidates(["mail.fabrikam.net", "*.fabrikam.net"], ["contoso.com", "fabrikam.com"]) == [
        Candidate("mail.fabrikam.net", "mail.fabrikam.net", "mail.fabrikam.net", ADD),
        Candidate("*.fabrikam.net", "*.fabrikam.net", "fabrikam.net", ADD)]


def test_look_alike_suffix_is_not_under_the_accepted_domain():
    assert values(["mail.notcontoso.com"], ["contoso.com"]) == [("mail.notcontoso.com", ADD)]
    assert values(["*.notcontoso.com"], ["contoso.com"]) == [("*.notcontoso.com", ADD)]


@pytest.mark.parametrize("name", ["mail.contoso.local", "exchange01.corp", "smtp.contoso.lan",
                                  "relay.internal", "192.0.2.10", "*.contoso.local"])
def test_internal_names_are_never_candidates(name):
    # Not even when someone typed the internal domain as "accepted".
    assert find_candidates([name], ["contoso.com", "contoso.local", "corp", "lan"]) == []


def test_passes_now_excludes_values_that_need_a_domain_added():
    assert passes_now("*.contoso.com", ["contoso.com"])
    assert passes_now("MAIL.contoso.com", ["mail.contoso.com"])
    assert not passes_now("mail.contoso.com", ["contoso.com"])
    assert not passes_now("mail.fabrikam.net", ["contoso.com"])
    assert not passes_now("contoso.local", ["contoso.local"])
