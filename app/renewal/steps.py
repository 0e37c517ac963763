"""The order of work for a renewal, per server kind.

Every command comes from the generators the plan uses (app.remediation): the
renewal check never writes a command of its own. Exchange 2013 and later name
the certificate on the send connector (built on the server from
Get-ExchangeCertificate, never pasted); Exchange 2010 selects it by the
connector's FQDN; Postfix, Sendmail and Exim read files, so their renewal
replaces the files and reloads. Hybrid servers also point the Default Frontend
receive connector at the new certificate and run the Hybrid Configuration
Wizard again (KB 2989382).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.certs.matching import certificate_names
from app.certs.model import CertificateReport
from app.remediation import advice as A
from app.remediation.advice import sources_of
from app.remediation.answers import EXCHANGE_KINDS
from app.remediation.checklist import openssl_command
from app.remediation.exchange_online import (
    disable_connector_command, dry_run_then_change, hybrid_connector_lines, inbound_connector_settings,
    message_trace_command,
)
from app.remediation.onprem_exchange import (
    enable_smtp_lines, hybrid_lines, hybrid_receive_connector_lines, import_certificate_lines, intermediate_lines,
    remove_certificate_lines, set_send_connector_certificate_lines, set_send_connector_fqdn_lines,
    tls_certificate_name_lines,
)
from app.remediation.onprem_mta import MTA_KINDS, chain_files_note, install_lines, log_lines, reload_lines
from app.remediation.powershell import format_list, ps_comment
from app.remediation.rules import DEFAULT_CONNECTOR_NAME, MX_PLACEHOLDER, OLD_WINDOWS_KINDS
from app.remediation.sources import Source, cite
from app.translate import Translate

NEW_CONNECTOR_NAME = DEFAULT_CONNECTOR_NAME + " (renewed)"
POWERSHELL, SHELL = "powershell", "shell"


@dataclass(frozen=True)
class RenewalStep:
    title: str
    commands: list[str]
    language: str = POWERSHELL
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class Situation:
    old: CertificateReport
    new: CertificateReport
    server_kind: str
    hybrid: bool
    new_match: bool          # the connector's value still matches the replacement
    target: str | None       # the value the connector needs for the replacement
    tls_changed: bool        # issuer or subject changed: TlsCertificateName no longer fits


def renewal_steps(s: Situation, _: Translate) -> list[RenewalStep]:
    steps = _install(s, _)
    if not s.new_match and s.target:
        steps.append(_connector(s, _))
    steps += _point_at_new(s, _) + [_test(s, _)]
    cleanup = _cleanup(s, _)
    return steps + ([cleanup] if cleanup.commands else [])


def _install(s: Situation, _: Translate) -> list[RenewalStep]:
    kind = s.server_kind
    if kind in EXCHANGE_KINDS:
        return [
            RenewalStep(_("Import the new certificate and its chain on each server that sends to Office 365"),
                        import_certificate_lines(_) + intermediate_lines(s.new, kind, _),
                        sources=sources_of(A.IMPORT_PFX, A.INTERMEDIATES,
                                           *([A.CERTUTIL] if kind in OLD_WINDOWS_KINDS else []))),
            RenewalStep(_("Enable the new certificate for SMTP"), enable_smtp_lines(s.new.leaf.thumbprint_sha1, _),
                        sources=sources_of(A.ENABLE_SMTP)),
        ]
    if kind in MTA_KINDS:
        return [RenewalStep(_("Put the new certificate and key in place"), [
            "# " + _("Copy the old files aside first (cp -p), to go back if the test fails."),
            "# " + chain_files_note(_),
        ] + install_lines(kind), SHELL, sources_of(A.CHAIN_FILES))]
    return [RenewalStep(_("Install the new certificate on the device"), [ps_comment(_(
        "Install the new certificate with its private key and intermediate certificates as the device's "
        "documentation describes."))], sources=sources_of(A.DEVICE_CERTIFICATE))]


def _connector(s: Situation, _: Translate) -> RenewalStep:
    if s.hybrid:
        # The wizard's connector: its next run with the new certificate rewrites it (issue 21 item 2).
        lines = [ps_comment(A.HYBRID_VIA_HCW.say(_, certificate=_(
            "the certificate issued to %(subject)s (thumbprint %(thumbprint)s)",
            subject=s.new.leaf.subject_windows, thumbprint=s.new.leaf.thumbprint_sha1))),
                 "Connect-ExchangeOnline"] + hybrid_connector_lines(s.target, _)
        return RenewalStep(_("Run the Hybrid Configuration Wizard again for the new name, then check its connector"),
                           lines, sources=sources_of(A.HYBRID_VIA_HCW, A.HYBRID_CHECK_INBOUND, A.HCW_FALLBACK,
                                                     A.HCW_REWRITES))
    lines = [ps_comment(_("The names changed: the old connector no longer matches the new certificate. Create a "
                          "second connector now and wait up to an hour for it to apply; the old one keeps mail "
                          "flowing meanwhile. Copy the old connector's other settings (Get-InboundConnector | "
                          "Format-List)."))]
    used = [A.CONNECTOR_STEPS, A.REQUIRE_TLS]
    if (s.target or "").startswith("*."):
        host = next((n for n in certificate_names(s.new.leaf) if not n.startswith("*")), None)
        lines.append(ps_comment(A.RENEWAL_WILDCARD.say(_, value=s.target, domain=s.target[2:],
                                                        host=host or s.target[2:])))
        used.append(A.RENEWAL_WILDCARD)
    settings = inbound_connector_settings(s.target or "", s.server_kind in EXCHANGE_KINDS)
    lines += [ps_comment(A.REQUIRE_TLS.say(_))]
    lines += dry_run_then_change("New-InboundConnector", {"Name": NEW_CONNECTOR_NAME, **settings}, _)
    return RenewalStep(_("Add an Exchange Online connector for the new name, beside the old one"), lines,
                       sources=sources_of(*used))


def _point_at_new(s: Situation, _: Translate) -> list[RenewalStep]:
    kind = s.server_kind
    if kind in MTA_KINDS:
        return [RenewalStep(_("Reload the mail server and check its log"), reload_lines(kind) + log_lines(kind, _), SHELL,
                            sources_of(A.POSTFIX_RELAYHOST if kind == "postfix" else A.EXIM_ROUTER if kind == "exim"
                                       else A.SENDMAIL_CHAIN))]
    if kind == "exchange-2010":
        return [_fqdn_2010(s, _)]
    if kind not in EXCHANGE_KINDS:
        return []
    if not s.tls_changed:
        return [RenewalStep(_("The send connector needs no change"), [ps_comment(_(
            "Issuer and subject are the same, so TlsCertificateName still fits: Exchange uses the certificate that "
            "expires last among those with the same issuer and subject."))], sources=cite("New-SendConnector"))]
    lines = tls_certificate_name_lines(s.new, _)
    if s.hybrid:
        lines += hybrid_receive_connector_lines(_) + hybrid_lines(s.new, False, _)
        return [RenewalStep(_("Point the hybrid connectors at the new certificate"), lines,
                            sources=sources_of(A.TLS_NAME_ON_SERVER, A.HYBRID_RECEIVE, A.HYBRID_RERUN,
                                               A.HCW_REWRITES, A.HYBRID_CHECK))]
    return [RenewalStep(_("Point the send connector at the new certificate"),
                        lines + set_send_connector_certificate_lines(_),
                        sources=sources_of(A.TLS_NAME_ON_SERVER, A.RENEWAL_FOLLOWS))]


def _fqdn_2010(s: Situation, _: Translate) -> RenewalStep:
    """Exchange 2010 picks the SMTP certificate whose name matches the send connector's FQDN."""
    names = certificate_names(s.new.leaf)
    plain = [n for n in [c.certificate_name for c in s.new.candidates] + names if not n.startswith("*")]
    lines = [ps_comment(A.FQDN_2010.say(_)),
             ps_comment(_("Names on the new certificate: %(names)s. The FQDN must be one of them.",
                          names=", ".join(names))),
             format_list("Get-SendConnector", ("Name", "Fqdn", "SmartHosts"))]
    if set(certificate_names(s.old.leaf)) - set(names) and plain:
        lines += set_send_connector_fqdn_lines(plain[0], _)
    used = [A.FQDN_2010]
    if s.hybrid:
        lines += hybrid_lines(s.new, True, _)
        used += [A.HYBRID_RERUN, A.HCW_REWRITES, A.HYBRID_CHECK_2010]
    return RenewalStep(_("Check the send connector's FQDN (Exchange 2010)"), lines, sources=sources_of(*used))


def _test(s: Situation, _: Translate) -> RenewalStep:
    trace = message_trace_command(1)
    lines = [ps_comment(_("Send a test message that only the certificate can relay, from your on-premises server to "
                          "a mailbox outside Microsoft 365, and read its headers there.")),
             ps_comment(A.NDR_TEST.say(_))]
    if s.server_kind in EXCHANGE_KINDS:
        lines.append(ps_comment(_("The send connector's protocol log must show this certificate thumbprint: "
                                  "%(thumbprint)s", thumbprint=s.new.leaf.thumbprint_sha1)))
    if s.server_kind in MTA_KINDS:
        return RenewalStep(_("Test before removing anything"), lines + [
            "# " + _("Replace %(placeholder)s with your MX endpoint.", placeholder=MX_PLACEHOLDER),
            openssl_command(MX_PLACEHOLDER),
            "# " + _("Then, in Exchange Online PowerShell:"), "# " + trace,
        ], SHELL, sources_of(A.OPENSSL_TEST, A.NDR_TEST, extra=("Get-MessageTraceV2",)))
    return RenewalStep(_("Test before removing anything"), lines + [trace], sources=sources_of(A.NDR_TEST, extra=(
        "Get-MessageTraceV2",)))


def _cleanup(s: Situation, _: Translate) -> RenewalStep:
    lines, ids = [], []
    if not s.new_match and not s.hybrid:  # hybrid: the wizard rewrote its one connector, there is no second
        lines += [ps_comment(_("Then turn the old Exchange Online connector off (use its name); delete it in the "
                               "admin center a few days later:")),
                  disable_connector_command(DEFAULT_CONNECTOR_NAME)]
        ids.append("Set-InboundConnector")
    if s.server_kind in EXCHANGE_KINDS:
        lines += remove_certificate_lines(s.old.leaf.thumbprint_sha1, _)
        ids.append("Remove-ExchangeCertificate")
    return RenewalStep(_("Retire the old certificate"), lines, sources=cite(*ids))
