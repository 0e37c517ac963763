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

from app.certs.matching import certificate_names, find_candidates
from app.certs.model import BLOCKED, CertificateFacts, CertificateReport
from app.remediation.powershell import Token, ps_command, ps_comment
from app.remediation.onprem_exchange import enable_smtp_lines, intermediate_lines
from app.remediation.rules import DEFAULT_CONNECTOR_NAME, SEND_CONNECTOR_NAME
from app.translate import N_, Translate, plain

EKU_NAMES = {"1.3.6.1.5.5.7.3.1": "Server Authentication", "1.3.6.1.5.5.7.3.2": "Client Authentication"}
NEW_CONNECTOR_NAME = DEFAULT_CONNECTOR_NAME + " (renewed)"
NEW_PFX_PATH = "C:\\Certificates\\renewed.pfx"
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
class RenewalStep:
    title: str
    commands: list[str]


@dataclass(frozen=True)
class RenewalPlan:
    changes: list[Change]
    connector_domain: str
    old_matches_connector: bool
    new_matches_connector: bool
    new_connector_domain: str | None      # the value the connector needs for the new certificate
    tls_name_changed: bool
    new_tls_certificate_name: str
    steps: list[RenewalStep]
    warnings: list[str]


def connector_matches(connector_domain: str, facts: CertificateFacts) -> bool:
    """Whether a TlsSenderCertificateName value matches the certificate (the rules of app.certs.matching)."""
    value = connector_domain.strip().lower().rstrip(".")
    base = value.removeprefix("*.")
    return value in {c.connector_domain for c in find_candidates(certificate_names(facts), [base])}


def _eku_names(facts: CertificateFacts) -> list[str]:
    return [EKU_NAMES.get(oid, oid) for oid in facts.extended_key_usages]


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
        _list_change("ekus", _eku_names(old), _eku_names(new), _),
        scalar("not_before", old.not_before, new.not_before),
        scalar("not_after", old.not_after, new.not_after),
    ]


def compare_certificates(old: CertificateReport, new: CertificateReport, connector_domain: str,
                         _: Translate = plain) -> RenewalPlan:
    """Both reports were made against the same accepted domains."""
    old_match = connector_matches(connector_domain, old.leaf)
    new_match = connector_matches(connector_domain, new.leaf)
    target = connector_domain if new_match else new.working_connector_domain
    tls_changed = old.exchange_tls_certificate_name.casefold() != new.exchange_tls_certificate_name.casefold()
    steps = [_import_step(new, _), _enable_step(new, _)]
    if not new_match and target:
        steps.append(_connector_step(target, _))
    steps.append(_send_connector_step(new, tls_changed, _))
    steps += [_test_step(new, _), _cleanup_step(old, new_match, _)]
    return RenewalPlan(changes_between(old.leaf, new.leaf, _), connector_domain, old_match, new_match, target,
                       tls_changed, new.exchange_tls_certificate_name, steps, _warnings(old, new, new_match, target, _))


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
    if new.leaf.not_after <= old.leaf.not_after:
        warnings.append(_("The replacement expires no later than the certificate in use. Check that you "
                          "uploaded them in the right order."))
    return warnings


def _import_step(new: CertificateReport, _: Translate) -> RenewalStep:
    commands = [
        ps_comment(_("Import the new certificate with its private key (change the path to your file):")),
        ps_command("Import-ExchangeCertificate",
                   FileData=Token(f"([System.IO.File]::ReadAllBytes('{NEW_PFX_PATH}'))"),
                   Password=Token("(Read-Host -AsSecureString -Prompt 'PFX password')")),
        ps_comment(_("Install its intermediate CA certificates: Exchange Online does not fetch them.")),
    ]
    return RenewalStep(_("Import the new certificate and its chain"), commands + intermediate_lines(new, _))


def _enable_step(new: CertificateReport, _: Translate) -> RenewalStep:
    return RenewalStep(_("Enable the new certificate for SMTP"), enable_smtp_lines(new.leaf.thumbprint_sha1, _))


def _connector_step(target: str, _: Translate) -> RenewalStep:
    return RenewalStep(_("Add an Exchange Online connector for the new name, beside the old one"), [
        ps_comment(_("The names changed: the old connector no longer matches the new certificate. Create a "
                     "second connector now and wait up to an hour for it to apply; the old one keeps mail "
                     "flowing meanwhile. Copy the old connector's other settings (Get-InboundConnector | "
                     "Format-List).")),
        ps_command("New-InboundConnector", Name=NEW_CONNECTOR_NAME, ConnectorType=Token("OnPremises"),
                   SenderDomains=Token("*"), RequireTls=True, TlsSenderCertificateName=target),
    ])


def _send_connector_step(new: CertificateReport, changed: bool, _: Translate) -> RenewalStep:
    if not changed:
        return RenewalStep(_("The send connector needs no change"), [ps_comment(_(
            "Issuer and subject are the same, so TlsCertificateName still fits: Exchange uses the certificate "
            "that expires last among those with the same issuer and subject."))])
    return RenewalStep(_("Point the send connector at the new certificate"), [
        ps_comment(_("Issuer or subject changed. Use your send connector's name (Get-SendConnector).")),
        ps_command("Set-SendConnector", Identity=SEND_CONNECTOR_NAME,
                   TlsCertificateName=new.exchange_tls_certificate_name),
    ])


def _test_step(new: CertificateReport, _: Translate) -> RenewalStep:
    return RenewalStep(_("Test before removing anything"), [
        ps_comment(_("Send a message to an outside mailbox, and one that makes a non-delivery report.")),
        ps_comment(_("The send connector's protocol log must show this certificate thumbprint: %(thumbprint)s",
                     thumbprint=new.leaf.thumbprint_sha1)),
        "Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-1) -EndDate (Get-Date)",
    ])


def _cleanup_step(old: CertificateReport, new_match: bool, _: Translate) -> RenewalStep:
    # Only cmdlets and parameters from the Exchange reference: turning the old connector
    # off is reversible, and the old certificate is removed in the admin center.
    commands = [ps_comment(_("When the test mail arrived, remove the old certificate (thumbprint %(thumbprint)s) "
                             "in the Exchange admin center under Servers > Certificates.",
                             thumbprint=old.leaf.thumbprint_sha1))]
    if not new_match:
        commands.insert(0, ps_comment(_("Then turn the old Exchange Online connector off (use its name); delete "
                                        "it in the admin center a few days later:")))
        commands.insert(1, ps_command("Set-InboundConnector", Identity=DEFAULT_CONNECTOR_NAME, Enabled=False))
    return RenewalStep(_("Retire the old certificate"), commands)
