"""What changed between two certificates, and the order of work that avoids a mail outage.

Reference: exchange-facts.md sections 4, 5 and 9. Exchange picks, among the
certificates with the same issuer and subject, the one that expires last; a
new issuer or subject breaks relay until the send connector's
TlsCertificateName follows, and a new name breaks it until the Exchange Online
connector's TlsSenderCertificateName follows. The connector change goes first,
as a second connector beside the old one: Exchange Online takes up to an hour
to apply it, and the old connector keeps mail flowing meanwhile.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.certs.eku import EKU_STATEMENT
from app.certs.findings import ANY_EXTENDED_KEY_USAGE, CLIENT_AUTH
from app.certs.matching import certificate_names, find_candidates
from app.certs.usages import eku_name
from app.certs.model import BLOCKED, CertificateFacts, CertificateReport
from app.remediation.answers import EXCHANGE_KINDS
from app.translate import N_, Translate, plain

from .steps import RenewalStep, Situation, renewal_steps

FIELD_LABELS = {
    "subject": N_("Subject"), "names": N_("Names (CN and SAN)"), "issuer": N_("Issuer"),
    "thumbprint": N_("Thumbprint"), "ekus": N_("Extended key usages"),
    "not_before": N_("Valid from"), "not_after": N_("Valid until"),
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str | list[str] | datetime
    new: str | list[str] | datetime
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class RenewalPlan:
    changes: list[Change]
    connector_domain: str
    old_matches_connector: bool
    new_matches_connector: bool
    new_connector_domain: str | None      # the value the connector needs for the new certificate
    tls_name_changed: bool
    new_tls_certificate_name: str         # a check to compare with what the server prints; never pasted
    steps: list[RenewalStep]
    warnings: list[str]
    server_kind: str = "exchange-2019"
    hybrid: bool = False

    @property
    def names_certificate(self) -> bool:
        """Whether the server names the certificate by <I>issuer<S>subject (Exchange 2013 and later)."""
        return self.server_kind in EXCHANGE_KINDS and self.server_kind != "exchange-2010"


def connector_matches(connector_domain: str, facts: CertificateFacts) -> bool:
    """Whether a TlsSenderCertificateName value matches the certificate (the rules of app.certs.matching)."""
    value = connector_domain.strip().lower().rstrip(".")
    base = value.removeprefix("*.")
    return value in {c.connector_domain for c in find_candidates(certificate_names(facts), [base]) if c.works_now}


def _eku_names(facts: CertificateFacts, _: Translate) -> list[str]:
    return [eku_name(oid, _) for oid in facts.extended_key_usages]


def _list_change(name: str, old: list[str], new: list[str], _: Translate) -> Change:
    return Change(name, _(FIELD_LABELS[name]), old, new,
                  added=[n for n in new if n not in old], removed=[n for n in old if n not in new])


def changes_between(old: CertificateFacts, new: CertificateFacts, _: Translate = plain) -> list[Change]:
    def scalar(name: str, before, after) -> Change:
        return Change(name, _(FIELD_LABELS[name]), before, after)

    return [
        scalar("subject", old.subject_windows, new.subject_windows),
        _list_change("names", certificate_names(old), certificate_names(new), _),
        scalar("issuer", old.issuer_windows, new.issuer_windows),
        scalar("thumbprint", old.thumbprint_sha1, new.thumbprint_sha1),
        _list_change("ekus", _eku_names(old, _), _eku_names(new, _), _),
        scalar("not_before", old.not_before, new.not_before),
        scalar("not_after", old.not_after, new.not_after),
    ]


def _keeps_client_auth(facts: CertificateFacts) -> bool:
    return not facts.eku_restricted or bool({CLIENT_AUTH, ANY_EXTENDED_KEY_USAGE} & set(facts.extended_key_usages))


def compare_certificates(old: CertificateReport, new: CertificateReport, connector_domain: str, server_kind: str,
                         hybrid: bool = False, _: Translate = plain) -> RenewalPlan:
    """Both reports were made against the same accepted domains."""
    old_match = connector_matches(connector_domain, old.leaf)
    new_match = connector_matches(connector_domain, new.leaf)
    target = connector_domain if new_match else new.working_connector_domain
    tls_changed = old.exchange_tls_certificate_name.casefold() != new.exchange_tls_certificate_name.casefold()
    steps = renewal_steps(Situation(old, new, server_kind, hybrid and server_kind in EXCHANGE_KINDS, new_match,
                                    target, tls_changed), _)
    return RenewalPlan(changes_between(old.leaf, new.leaf, _), connector_domain, old_match, new_match, target,
                       tls_changed, new.exchange_tls_certificate_name, steps, _warnings(old, new, new_match, target, _),
                       server_kind, hybrid and server_kind in EXCHANGE_KINDS)


def _warnings(old: CertificateReport, new: CertificateReport, new_match: bool, target: str | None,
              _: Translate) -> list[str]:
    warnings = []
    if old.leaf.thumbprint_sha1 == new.leaf.thumbprint_sha1:
        warnings.append(_("Both uploads hold the same certificate. Upload the replacement as the second one."))
    if new.verdict == BLOCKED:
        warnings.append(_("Do not switch yet: the replacement certificate has problems that stop relay. "
                          "See its findings below."))
    if not new_match and target is None:
        warnings.append(_("No name on the replacement certificate can be used on the connector with these "
                          "accepted domains. Add the certificate's domain to Office 365, or get a certificate "
                          "that names one of your accepted domains."))
    if _keeps_client_auth(old.leaf) and not _keeps_client_auth(new.leaf):
        # Issue 25: the replacement lost the Client Authentication EKU; whether that matters is not published.
        warnings.append(EKU_STATEMENT.say(_))
    if new.leaf.not_after <= old.leaf.not_after:
        warnings.append(_("The replacement expires no later than the certificate in use. Check that you "
                          "uploaded them in the right order."))
    return warnings
