"""Which TlsSenderCertificateName values would work, given the accepted domains.

The rules (reference: exchange-facts.md sections 4 and 10):

- The connector value must match a CN/SAN name of the certificate, and that
  value must pass the accepted-domain test.
- exact: the name itself is an accepted domain; the connector says the name.
- wildcard_certificate: the certificate names ``*.contoso.com``; the connector
  must say ``*.contoso.com``, which passes when contoso.com, or a subdomain of
  it, is accepted.
- add_accepted_domain: the connector says a name of the certificate that passes
  once the tenant adds it (``*.fabrikam.net``: fabrikam.net) as an accepted
  domain. For a host name under an accepted domain this is Microsoft's
  preferred fix (KB 4019940 "(Preferred)", facts section 10) and ranks before
  the wildcard connector; when no name relates to an accepted domain at all,
  it is the only way to keep the certificate.
- wildcard_connector: the certificate names ``mail.contoso.com`` and its
  immediate parent contoso.com is accepted; the connector says
  ``*.contoso.com``. It works at once, but any other certificate under
  contoso.com matches too, so it is the fallback. Only the immediate parent
  counts (KB 4019940: host.sub.contoso.com needs sub.contoso.com accepted).
- Never a bare parent (``contoso.com`` for a ``mail.contoso.com``
  certificate): no Microsoft text says that matches.
- Never an internal name (``mail.contoso.local``, ``exchange01``, an IP
  address): no public CA issues one and Microsoft 365 cannot verify it.

A value that works as it is (exact, wildcard_certificate) makes the other kinds
pointless, so they are offered only when there is none.
"""
from __future__ import annotations

import re

from app.certs.domains import DomainError, is_internal_name, normalize_certificate_name, normalize_domain
from app.certs.model import (
    ADD_ACCEPTED_DOMAIN, CANDIDATE_KINDS, ERROR, EXACT, INFO, WARNING, WILDCARD_CERTIFICATE,
    WILDCARD_CONNECTOR, Candidate, CertificateFacts, Finding,
)
from app.translate import Translate

_RANK = {kind: rank for rank, kind in enumerate(CANDIDATE_KINDS)}
# What a host name or address looks like in a CN: no spaces, no DN punctuation
# (a CN such as "Contoso Relay Certificate" names nothing on the network).
_HOST_LIKE = re.compile(r"[\w*:.-]+")


def _cn_and_sans(facts: CertificateFacts) -> list[str]:
    return ([facts.common_name] if facts.common_name else []) + facts.dns_names


def certificate_names(facts: CertificateFacts) -> list[str]:
    """CN then SAN DNS names, normalised, without duplicates or unusable names."""
    names = (normalize_certificate_name(text) for text in _cn_and_sans(facts))
    return list(dict.fromkeys(name for name in names if name))


def public_names(facts: CertificateFacts) -> list[str]:
    """The certificate's names that a public CA can issue: the ones a connector may use."""
    return [name for name in certificate_names(facts) if not is_internal_name(name)]


def internal_names(facts: CertificateFacts) -> list[str]:
    """CN, SAN and IP names that exist only inside a network (see is_internal_name)."""
    addresses = [name.removeprefix("IP:") for name in facts.other_names if name.startswith("IP:")]
    # pragma: no mutate start, lower case first: a mutated "XX.XX" strips the same dot
    names = (text.strip().lower().rstrip(".") for text in _cn_and_sans(facts) + addresses)
    # pragma: no mutate end
    return list(dict.fromkeys(name for name in names if _HOST_LIKE.fullmatch(name) and is_internal_name(name)))


def normalize_accepted(domains: list[str]) -> list[str]:
    """Accepted domains in comparable form; entries that are not domains are skipped."""
    result: dict[str, None] = {}  # ordered; a duplicate costs one lookup
    for text in domains:
        try:
            result[normalize_domain(text)] = None
        except DomainError:
            continue
    return list(result)


def _parent(name: str) -> str:
    return name.split(".", 1)[1] if "." in name else ""


def _accepted_at_or_under(base: str, accepted: list[str]) -> str | None:
    if base in accepted:
        return base
    return next((a for a in accepted if a.endswith("." + base)), None)


def domain_to_add(name: str) -> str:
    """The accepted domain that makes a certificate name pass: the name, or x for ``*.x``."""
    return name[2:] if name.startswith("*.") else name


def _passing(names: list[str], accepted: list[str]) -> list[Candidate]:
    """Candidates that pass with the accepted domains as they are."""
    found = []
    for name in names:
        if name.startswith("*."):
            domain = _accepted_at_or_under(name[2:], accepted)
            if domain:
                found.append(Candidate(name, name, domain, WILDCARD_CERTIFICATE))
            continue
        if name in accepted:
            found.append(Candidate(name, name, name, EXACT))
        parent = _parent(name)
        if parent in accepted:
            found.append(Candidate("*." + parent, name, parent, WILDCARD_CONNECTOR))
    return found


def _additions(names: list[str], passing: list[Candidate]) -> list[Candidate]:
    """add_accepted_domain candidates: none beside a value that works as it is."""
    if any(c.kind in (EXACT, WILDCARD_CERTIFICATE) for c in passing):
        return []
    # Host names under an accepted domain; with no relation at all, every name.
    chosen = [c.certificate_name for c in passing] if passing else names
    return [Candidate(name, name, domain_to_add(name), ADD_ACCEPTED_DOMAIN) for name in chosen]


def find_candidates(names: list[str], accepted: list[str]) -> list[Candidate]:
    """Connector values, best first, one per connector value; internal names never count."""
    names = [name for name in names if not is_internal_name(name)]
    passing = _passing(names, accepted)
    found = passing + _additions(names, passing)
    ranked = sorted(found, key=lambda c: (_RANK[c.kind], names.index(c.certificate_name)))
    best: dict[str, Candidate] = {}
    for candidate in ranked:
        best.setdefault(candidate.connector_domain, candidate)
    return list(best.values())


def passes_now(connector_value: str, accepted: list[str]) -> bool:
    """Whether Exchange Online accepts this connector value for the tenant as it is (facts §4)."""
    value = connector_value.lower()
    return any(c.connector_domain == value and c.works_now
               for c in find_candidates([value], normalize_accepted(accepted)))


def example_names(accepted: list[str]) -> tuple[str, str]:
    """(an accepted domain, a host name under it) for advice: contoso.com and mail.contoso.com."""
    domain = accepted[0] if accepted else "contoso.com"
    return domain, "mail." + domain


def _deeper_ancestor(names: list[str], accepted: list[str]) -> tuple[str, str, str] | None:
    """(name, accepted ancestor, domain that must be accepted) for KB 4019940 cases."""
    for name in names:
        needed = name[2:] if name.startswith("*.") else _parent(name)  # pragma: no mutate: _parent("*.x") is x too
        ancestor = _parent(needed)
        while ancestor:
            if ancestor in accepted:
                return name, ancestor, needed
            ancestor = _parent(ancestor)
    return None


def name_findings(names: list[str], internal: list[str], accepted: list[str],
                  candidates: list[Candidate], _: Translate) -> list[Finding]:
    """internal_name, name_not_accepted, host_name_not_accepted_domain or wildcard_certificate.

    ``names`` are the public names, ``internal`` the internal ones. Internal
    names matter only when no public name works: then they are why.
    """
    if not any(c.works_now for c in candidates):
        findings = [_internal_name(internal, accepted, _)] if internal else []
        if names or not internal:
            findings.append(Finding("name_not_accepted", ERROR, _not_accepted_message(names, accepted, _)))
        return findings
    best = candidates[0]
    if best.kind == ADD_ACCEPTED_DOMAIN:
        fallback = next(c for c in candidates if c.kind == WILDCARD_CONNECTOR)
        return [Finding("host_name_not_accepted_domain", WARNING, _(
            "%(name)s is not an accepted domain of your tenant, although it is under the "
            "accepted domain %(accepted)s. Either add %(name)s as an accepted domain "
            "(Microsoft recommends this) and enter %(name)s on the connector, or enter "
            "%(connector)s on the connector. The second way works, but then any other "
            "certificate under %(accepted)s, for example one a server uses to send mail to "
            "another tenant, also matches this connector.",
            name=best.certificate_name, accepted=fallback.accepted_domain,
            connector=fallback.connector_domain))]
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


def _internal_name(internal: list[str], accepted: list[str], _: Translate) -> Finding:
    domain, host = example_names(accepted)
    return Finding("internal_name", ERROR, _(
        "%(names)s: names like these (under .local, .lan, .internal or .corp, single-label "
        "names and IP addresses) exist only inside your network. No public CA issues a "
        "certificate for them, and Microsoft 365 cannot verify them as domains, so Exchange "
        "Online cannot identify your server by them. Get a certificate from a public CA whose "
        "CN or SAN holds a public name: one of your accepted domains, like %(domain)s, or a "
        "name under one, like %(host)s.",
        names=", ".join(internal), domain=domain, host=host))


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
    domain, host = example_names(accepted)
    return _("None of the names on the certificate (%(names)s) is one of your accepted domains "
             "(%(accepted)s) or directly under one. Either add %(add)s as an accepted domain and "
             "enter %(value)s on the connector, or get a certificate whose CN or SAN holds one of "
             "your accepted domains, like %(domain)s, or a name under one, like %(host)s.",
             names=", ".join(names), accepted=", ".join(accepted), add=domain_to_add(names[0]),
             value=names[0], domain=domain, host=host)
