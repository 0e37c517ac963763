"""A domain that only ends in the same letters is not under it: notcontoso.com is not contoso.com (issue 16)."""
from __future__ import annotations

from app.certs.matching import find_candidates, passes_now
from app.certs.model import ADD_ACCEPTED_DOMAIN, Candidate


def test_a_wildcard_certificate_for_contoso_com_is_not_accepted_for_notcontoso_com():
    assert not passes_now("*.contoso.com", ["notcontoso.com"])
    # The only way is to add contoso.com itself.
    assert find_candidates(["*.contoso.com"], ["notcontoso.com"]) == [
        Candidate("*.contoso.com", "*.contoso.com", "contoso.com", ADD_ACCEPTED_DOMAIN)]


def test_a_wildcard_certificate_is_not_accepted_through_a_subdomain_of_a_look_alike():
    assert not passes_now("*.contoso.com", ["mail.notcontoso.com"])


def test_a_wildcard_certificate_is_accepted_through_a_real_subdomain():
    assert passes_now("*.contoso.com", ["mail.contoso.com"])


def test_a_host_name_under_contoso_com_gets_no_wildcard_connector_from_notcontoso_com():
    assert not passes_now("*.contoso.com", ["notcontoso.com"])
    assert find_candidates(["mail.contoso.com"], ["notcontoso.com"]) == [
        Candidate("mail.contoso.com", "mail.contoso.com", "mail.contoso.com", ADD_ACCEPTED_DOMAIN)]
