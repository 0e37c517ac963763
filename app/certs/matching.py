"""Which TlsSenderCertificateName values would work, given the accepted domains.

The rules (reference: exchange-facts.md section 4):

- The connector value must match a CN/SAN name of the certificate, and that
  value must pass the accepted-domain test.
- exact: the name itself is an accepted domain; the connector says the name.
- wildcard_certificate: the certificate names ``*.contoso.com``; the connector
  must say ``*.contoso.com``, which passes when contoso.com, or a subdomain of
  it, is accepted.
- wildcard_connector: the certificate names ``mail.contoso.com`` and its
  immediate parent contoso.com is accepted; the connector says
  ``*.contoso.com``. Only the immediate parent counts (KB 4019940:
  host.sub.contoso.com needs sub.contoso.com accepted).
- Never a bare parent (``contoso.com`` for a ``mail.contoso.com``
  certificate): no Microsoft text says that matches.
"""
from __future__ import annotations

from app.certs.domains import DomainError, normalize_certificate_name, normalize_domain
from app.certs.model import (
    ERROR, EXACT, INFO, WARNING, WILDCARD_CERTIFICATE, WILDCARD_CONNECTOR,
    Candidate, CertificateFacts, Finding,
)
from app.translate import Translate

_RANK = {EXACT: 0, WILDCARD_CERTIFICATE: 1, WILDCARD_CONNECTOR: 2}


def certificate_names(facts: CertificateFacts) -> list[str]:
    """CN then SAN DNS names, normalised, without duplicates or unusable names."""
    names: list[str] = []
    for text in ([facts.common_name] if facts.common_name else []) + facts.dns_names:
        name = normalize_certificate_name(text)
        if name and name not in names:
            names.append(name)
    return names


def normalize_accepted(domains: list[str]) -> list[str]:
    """Accepted domains in comparable form; entries that are not domains are skipped."""
    result: list[str] = []
    for text in domains:
        try:
            domain = normalize_domain(text)
        except DomainError:
            continue
        if domain not in result:
            result.append(domain)
    return result


def _parent(name: str) -> str:
    return name.split(".", 1)[1] if "." in name else ""


def _accepted_at_or_under(base: str, accepted: list[str]) -> str | None:
    if base in accepted:
        return base
    return next((a for a in accepted if a.endswith("." + base)), None)


def find_candidates(names: list[str], accepted: list[str]) -> list[Candidate]:
    """Connector values that would pass, best first, one per connector value."""
    found: list[tuple[int, int, Candidate]] = []
    for position, name in enumerate(names):
        if name.startswith("*."):
            domain = _accepted_at_or_under(name[2:], accepted)
            if domain:
                found.append((_RANK[WILDCARD_CERTIFICATE], position,
                              Candidate(name, name, domain, WILDCARD_CERTIFICATE)))
            continue
        if name in accepted:
            found.append((_RANK[EXACT], position, Candidate(name, name, name, EXACT)))
        parent = _parent(name)
        if parent in accepted:
            found.append((_RANK[WILDCARD_CONNECTOR], position,
                          Candidate("*." + parent, name, parent, WILDCARD_CONNECTOR)))
    best: dict[str, Candidate] = {}
    for _rank, _position, candidate in sorted(found, key=lambda item: item[:2]):
        best.setdefault(candidate.connector_domain, candidate)
    return list(best.values())


def _deeper_ancestor(names: list[str], accepted: list[str]) -> tuple[str, str, str] | None:
    """(name, accepted ancestor, domain that must be accepted) for KB 4019940 cases."""
    for name in names:
        needed = name[2:] if name.startswith("*.") else _parent(name)
        ancestor = _parent(needed)
        while ancestor:
            if ancestor in accepted:
                return name, ancestor, needed
            ancestor = _parent(ancestor)
    return None


def name_findings(names: list[str], accepted: list[str], candidates: list[Candidate],
                  _: Translate) -> list[Finding]:
    """name_not_accepted, host_name_not_accepted_domain or wildcard_certificate."""
    if not candidates:
        return [Finding("name_not_accepted", ERROR, _not_accepted_message(names, accepted, _))]
    best = candidates[0]
    if best.kind == WILDCARD_CONNECTOR:
        return [Finding("host_name_not_accepted_domain", WARNING, _(
            "%(name)s is not an accepted domain of your tenant, although it is under the "
            "accepted domain %(accepted)s. Either add %(name)s as an accepted domain "
            "(Microsoft recommends this) and enter %(name)s on the connector, or enter "
            "%(connector)s on the connector. The second way works, but then any other "
            "certificate under %(accepted)s, for example one a server uses to send mail to "
            "another tenant, also matches this connector.",
            name=best.certificate_name, accepted=best.accepted_domain,
            connector=best.connector_domain))]
    if best.kind == WILDCARD_CERTIFICATE:
        base = best.connector_domain[2:]
        if best.accepted_domain != base:
            return [Finding("wildcard_certificate", INFO, _(
                "This is a wildcard certificate: enter %(connector)s on the connector, with "
                "the \"*.\". It passes because %(accepted)s is accepted and lies under "
                "%(base)s; Microsoft documents this but we have not verified it, so send a "
                "test message.",
                connector=best.connector_domain, accepted=best.accepted_domain, base=base))]
        return [Finding("wildcard_certificate", INFO, _(
            "This is a wildcard certificate: enter %(connector)s on the connector, with the "
            "\"*.\". %(accepted)s on its own does not match a wildcard certificate.",
            connector=best.connector_domain, accepted=best.accepted_domain))]
    return []


def _not_accepted_message(names: list[str], accepted: list[str], _: Translate) -> str:
    if not names:
        return _("The certificate names no domain in its CN or SAN. Get a certificate whose "
                 "CN or SAN holds an accepted domain of your tenant.")
    if not accepted:
        return _("Enter your tenant's accepted domains so that the names on the certificate "
                 "(%(names)s) can be checked against them.", names=", ".join(names))
    deeper = _deeper_ancestor(names, accepted)
    if deeper:
        name, ancestor, needed = deeper
        if name.startswith("*."):
            return _("The certificate names %(name)s. Your tenant accepts %(ancestor)s, but "
                     "Exchange Online needs %(needed)s to be accepted for this name "
                     "(KB 4019940). Add %(needed)s as an accepted domain.",
                     name=name, ancestor=ancestor, needed=needed)
        return _("The certificate names %(name)s. Your tenant accepts %(ancestor)s, but "
                 "Exchange Online needs the name's parent domain %(needed)s to be accepted "
                 "(KB 4019940). Add %(needed)s or %(name)s as an accepted domain.",
                 name=name, ancestor=ancestor, needed=needed)
    return _("None of the names on the certificate (%(names)s) is an accepted domain of "
             "your tenant or directly under one (%(accepted)s). Add the certificate's domain "
             "as an accepted domain, or use a certificate whose CN or SAN holds an accepted "
             "domain.", names=", ".join(names), accepted=", ".join(accepted))
