"""Removing duplicate domains and names costs one lookup each, however many there are.

Each list is capped where it enters (5,000 API domains, 20,000 characters in the wizard, 1,000 names
a certificate), but the functions behind the caps must not rely on them: with a list lookup per entry
the 50,000 distinct entries below cost about 1.25 billion comparisons (minutes); with a set, well
under a second of CPU.
"""
from __future__ import annotations

from dataclasses import replace

from app.certs.domains import parse_accepted_domains
from app.certs.matching import certificate_names, internal_names, normalize_accepted
from tests.hostile.test_bounded_cost import cpu_seconds
from tests.remediation.factories import ISSUER, SUBJECT, THUMBPRINT, facts

COUNT = 50_000
DOMAINS = [f"d{number}.contoso.com" for number in range(COUNT)]


def bounded(function, *args, cpu_limit: float = 3.0):
    started = cpu_seconds()
    result = function(*args)
    spent = cpu_seconds() - started
    assert spent < cpu_limit, f"{function.__name__} took {spent:.2f} s of CPU for {COUNT} entries"
    return result


def test_accepted_domains_typed_in_are_deduplicated_in_linear_time_in_order():
    text = "\n".join(DOMAINS + ["D0.Contoso.com.", "d1.contoso.com"])
    parsed = bounded(parse_accepted_domains, text)
    assert parsed.domains == DOMAINS and parsed.sources == {}
    assert parsed.problems == []


def test_accepted_domains_from_the_api_are_deduplicated_in_linear_time_in_order():
    assert bounded(normalize_accepted, DOMAINS + ["D0.CONTOSO.COM", "not a domain"]) == DOMAINS


def facts_with(names: list[str]):
    """A certificate's facts with these SAN names (the first also as CN) and 1,000 IP addresses."""
    return replace(facts(SUBJECT, ISSUER, dns_names=names, common_name=names[0], thumbprint=THUMBPRINT),
                   other_names=[f"IP:10.0.{n // 256}.{n % 256}" for n in range(1000)])


def test_a_certificates_names_are_deduplicated_in_linear_time_in_order():
    assert bounded(certificate_names, facts_with(DOMAINS + DOMAINS[:10])) == DOMAINS


def test_internal_names_are_deduplicated_in_linear_time_in_order():
    local = [f"host{number}.contoso.local" for number in range(COUNT)]
    found = bounded(internal_names, facts_with(local + local[:10]))
    assert found == local + [f"10.0.{n // 256}.{n % 256}" for n in range(1000)]
