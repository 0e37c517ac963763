"""The targeted plan: only the Set-/Enable- commands the failed rules call for, dry run first,
in an order that keeps mail flowing.

Order (lowest first): the certificate is made usable on the server before anything
names it; Exchange Online is told to expect it before the server presents it; the
send connector's TLS settings come before its certificate; the smart host, then
turning the connector on, last, so that it starts only when it is right.
"""
from __future__ import annotations

import re

from app.audit import derive, values
from app.audit.derive import Context
from app.audit.model import (
    CERTIFICATE, EXCHANGE_ONLINE_SHELL, EXCHANGE_SERVER_SHELL, MANUAL, Configuration, Finding, FixPlan, FixStep,
)
from app.remediation.powershell import SWITCH, Token, format_list, ps_command, ps_comment
from app.remediation.rules import EXCHANGE_VERSIONS
from app.translate import Translate

ORDER = (
    "certificate_not_smtp", "certificate_no_private_key", "certificate_status_invalid",
    "certificate_root_not_third_party", "inbound_connector_disabled", "inbound_connector_by_ip_only",
    "tls_sender_name_not_on_certificate", "tls_sender_name_not_accepted", "tls_sender_name_wildcard",
    "cloud_services_mail_mismatch", "treat_messages_as_internal", "require_tls_off", "tls_auth_level_weak",
    "tls_domain_missing", "tls_domain_unexpected", "tls_certificate_name_missing", "tls_certificate_name_syntax",
    "tls_certificate_not_found", "smart_host_submission", "smart_host_legacy", "smart_host_not_mx_endpoint",
    "send_connector_disabled", "frontend_certificate_mismatch",
)
SEND_PROPERTIES = ("Name", "Enabled", "SmartHosts", "RequireTLS", "TlsAuthLevel", "TlsDomain", "TlsCertificateName",
                   "CloudServicesMailEnabled")
INBOUND_PROPERTIES = ("Name", "Enabled", "ConnectorType", "ConnectorSource", "RequireTls", "TlsSenderCertificateName",
                      "CloudServicesMailEnabled", "TreatMessagesAsInternal")
TLS_NAME = Token("$tlsCertificateName")
SERVICE_DOMAIN = "mail.protection.outlook.com"
# Connectors the Hybrid Configuration Wizard manages: their fix is the wizard's next run (facts section 11).
_GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
HCW_NAMES = re.compile(rf"(?:Inbound from|Outbound to Office 365(?: -)?) {_GUID}\Z", re.IGNORECASE)
HCW_INBOUND_FIXES = ("inbound_connector_by_ip_only", "tls_sender_name_not_on_certificate", "cloud_services_mail_mismatch",
                     "inbound_connector_disabled")
HCW_SEND_FIXES = ("require_tls_off", "tls_auth_level_weak", "tls_domain_missing", "tls_domain_unexpected",
                  "tls_certificate_name_missing", "tls_certificate_name_syntax", "tls_certificate_not_found",
                  "cloud_services_mail_mismatch")


def server_version(config: Configuration, server_kind: str | None) -> str:
    """The oldest Exchange version among the pasted servers (the commands must work on all), else the case's."""
    from app.audit.model import EXCHANGE_SERVER
    builds = [b for b in (values.build(s.get("AdminDisplayVersion")) for s in config.of(EXCHANGE_SERVER)) if b]
    if builds:
        major, minor, build, _rev = min(builds)
        if major < 15:
            return "Exchange Server 2010"
        return {0: "Exchange Server 2013", 1: "Exchange Server 2016"}.get(
            minor, "Exchange Server SE" if build >= 2562 else "Exchange Server 2019")
    return EXCHANGE_VERSIONS.get(server_kind or "", "Exchange Server 2016")


def build_fix_plan(findings: list[Finding], ctx: Context, version: str, _: Translate) -> FixPlan:
    failed = {f.code: f for f in findings}
    steps = []
    for code in ORDER:
        finding = failed.get(code)
        if finding is None:
            continue
        step = _step(finding, ctx, version, _)
        if step is not None:
            steps.append(step)
    steps += [FixStep(f.code, f.title, MANUAL, [], f.fix) for f in findings
              if f.code not in ORDER and f.severity != "info"]
    return FixPlan(steps, version)


def _dry_run_then_change(command: str, **params: object) -> list[str]:
    return [ps_command(command, **params, WhatIf=SWITCH), ps_command(command, **params)]


def _send(finding: Finding, title: str, connector: str | None = None, **settings: object) -> FixStep:
    """The change on the finding's send connector (or ``connector``), dry run first, then a look at it."""
    name = connector or finding.target["connector"]
    commands = _dry_run_then_change("Set-SendConnector", Identity=name, **settings)
    commands.append(format_list(ps_command("Get-SendConnector", Identity=name), SEND_PROPERTIES))
    return FixStep(finding.code, title, EXCHANGE_SERVER_SHELL, commands)


def _inbound(finding: Finding, title: str, **settings: object) -> FixStep:
    name = finding.target["connector"]
    commands = _dry_run_then_change("Set-InboundConnector", Identity=name, **settings)
    commands.append(format_list(ps_command("Get-InboundConnector", Identity=name), INBOUND_PROPERTIES))
    return FixStep(finding.code, title, EXCHANGE_ONLINE_SHELL, commands)


def hcw_managed(ctx: Context, name: str | None) -> bool:
    """Made by the Hybrid Configuration Wizard: ConnectorSource HybridWizard, or the wizard's names."""
    if not name:
        return False
    source = next((c.text("ConnectorSource") for c in derive.onpremises_connectors(ctx.config) if c.name == name), "")
    return source.lower() == "hybridwizard" or bool(HCW_NAMES.match(name.strip()))


def _hcw_connector(finding: Finding, ctx: Context) -> str | None:
    """The wizard's connector this fix would change, if any."""
    target = finding.target
    inbound = target.get("connector") if finding.code in HCW_INBOUND_FIXES else None
    if finding.code == "cloud_services_mail_mismatch":
        inbound = target.get("connector") if target.get("side") == "inbound" else None
        send = target.get("send_connector") if target.get("side") != "inbound" else None
    else:
        send = target.get("connector") if finding.code in HCW_SEND_FIXES else None
    return next((n for n in (inbound, send) if hcw_managed(ctx, n)), None)


def _hcw_step(finding: Finding, name: str, ctx: Context, _: Translate) -> FixStep:
    """Run the wizard again with the right certificate; a hand edit only as the labelled fallback."""
    inbound = name in {c.name for c in derive.onpremises_connectors(ctx.config)}
    note = _("The Hybrid Configuration Wizard made and manages %(name)s and rewrites it on each run: run the wizard "
             "again and, on its Transport Certificate page, choose the certificate your send connector uses. Change "
             "%(name)s by hand only if the wizard cannot be run; its next run reverts the change.", name=name)
    check = (format_list(ps_command("Get-InboundConnector", Identity=name), INBOUND_PROPERTIES) if inbound
             else format_list(ps_command("Get-SendConnector", Identity=name), SEND_PROPERTIES))
    shell = EXCHANGE_ONLINE_SHELL if inbound else EXCHANGE_SERVER_SHELL
    return FixStep(finding.code, _("Run the Hybrid Configuration Wizard again (it manages %(name)s)", name=name),
                   shell, [ps_comment(note), ps_comment(_("Then check:")), check], note)


def _step(finding: Finding, ctx: Context, version: str, _: Translate) -> FixStep | None:
    target, code = finding.target, finding.code
    wizard_connector = _hcw_connector(finding, ctx)
    if wizard_connector:
        return _hcw_step(finding, wizard_connector, ctx, _)
    if code == "certificate_not_smtp" and target.get("thumbprint"):
        params = {"Thumbprint": target["thumbprint"], "Services": Token("SMTP")}
        if target.get("server"):
            params["Server"] = target["server"]
        commands = [ps_comment(_("When asked whether to replace the default SMTP certificate, answer No."))]
        commands += _dry_run_then_change("Enable-ExchangeCertificate", **params)
        return FixStep(code, _("Enable the certificate for SMTP"), EXCHANGE_SERVER_SHELL, commands)
    if code == "inbound_connector_disabled":
        return _inbound(finding, _("Turn the OnPremises connector on"), Enabled=True)
    if code in ("inbound_connector_by_ip_only", "tls_sender_name_not_on_certificate"):
        if not target.get("value"):
            return FixStep(code, finding.title, MANUAL, [], finding.fix)
        # RequireTls $true with TlsSenderCertificateName, as Microsoft's examples and the EAC set them (section 11).
        return _inbound(finding, _("Expect %(value)s on the connector", value=target["value"]),
                        RequireTls=True, TlsSenderCertificateName=target["value"])
    if code == "cloud_services_mail_mismatch":
        if target.get("side") == "inbound":
            return _inbound(finding, _("Keep the internal Exchange headers"), CloudServicesMailEnabled=True)
        if version == "Exchange Server 2010":
            return None
        return _send(finding, _("Keep the internal Exchange headers"), target["send_connector"],
                     CloudServicesMailEnabled=True)
    if code == "treat_messages_as_internal":
        return _inbound(finding, _("Filter the connector's mail for spam again"), TreatMessagesAsInternal=False)
    if code == "require_tls_off":
        return _send(finding, _("Require TLS on the send connector"), RequireTLS=True)
    if code == "tls_auth_level_weak":
        return _send(finding, _("Validate Office 365's certificate"), RequireTLS=True,
                     TlsAuthLevel=Token("CertificateValidation"))
    if code in ("tls_domain_missing", "tls_domain_unexpected"):
        return _send(finding, _("Check Office 365's certificate for its own domain"), TlsDomain=SERVICE_DOMAIN)
    if code in ("tls_certificate_name_missing", "tls_certificate_name_syntax", "tls_certificate_not_found"):
        return _tls_name_step(finding, ctx, version, _)
    if code in ("smart_host_submission", "smart_host_legacy", "smart_host_not_mx_endpoint"):
        step = _send(finding, _("Send to your tenant's MX endpoint"), SmartHosts=ctx.mx, DNSRoutingEnabled=False)
        if not ctx.mx_known:
            note = _("%(mx)s is a guess from your accepted domain: check the MX value in the Microsoft 365 admin "
                     "center before you run this.", mx=ctx.mx)
            return FixStep(step.code, step.title, step.shell, [ps_comment(note)] + step.commands, note)
        return step
    if code == "send_connector_disabled":
        return _send(finding, _("Turn the send connector on"), Enabled=True)
    if code == "frontend_certificate_mismatch" and version != "Exchange Server 2010":
        return _frontend_step(finding, ctx, _)
    return FixStep(code, finding.title, MANUAL, [], finding.fix)


def _best_certificate(ctx: Context, server: str):
    """An installed certificate fit to relay: SMTP-enabled or not, with its key, newest first."""
    fit = [c for c in derive.certificates_on(ctx.config, server)
           if c.flag("HasPrivateKey") is not False and not c.flag("IsSelfSigned")
           and c.text("Thumbprint") and "microsoft exchange" not in c.text("Subject").lower()]
    return derive.chosen_certificate(fit)


def _tls_name_lines(ctx: Context, server: str, _: Translate) -> list[str] | None:
    cert = _best_certificate(ctx, server)
    if cert is None:
        return None
    params = {"Thumbprint": values.thumbprint(cert.get("Thumbprint"))}
    if server:
        params["Server"] = server
    return [
        ps_comment(_("The certificate %(subject)s: its issuer and subject, read on the server.",
                     subject=cert.text("Subject"))),
        "$cert = " + ps_command("Get-ExchangeCertificate", **params),
        '$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"',
    ]


def _tls_name_step(finding: Finding, ctx: Context, version: str, _: Translate) -> FixStep:
    server = finding.target.get("server", "")  # pragma: no mutate: None and "" both mean every server
    lines = _tls_name_lines(ctx, server, _) if version != "Exchange Server 2010" else None
    if lines is None:
        return FixStep(finding.code, finding.title, MANUAL, [], finding.fix)
    step = _send(finding, _("Name the certificate on the send connector"), TlsCertificateName=TLS_NAME)
    ready, missing = _ready_on_every_source(ctx, finding.target["connector"], _best_certificate(ctx, server), _)
    return FixStep(step.code, step.title, step.shell, ready + lines + step.commands, missing)


def _ready_on_every_source(ctx: Context, name: str, cert, _: Translate) -> tuple[list[str], str]:
    """A certificate proposed for a send connector is enabled for SMTP and installed on every source server
    (KB 4051498; facts section 11): the lines that enable it, and what is missing, said (issue 21 item 8)."""
    thumbprint = values.thumbprint(cert.get("Thumbprint"))
    connector = next((c for c in derive.relay_send_connectors(ctx.config) if c.name == name), None)
    read_on = {derive.server_of(c) for c in ctx.config.of(CERTIFICATE)} - {""}
    sources = (derive.source_servers(connector) if connector else []) if read_on else []
    lines, missing = [], []
    for server in sources or [""]:
        copy = next((c for c in derive.certificates_on(ctx.config, server)
                     if values.thumbprint(c.get("Thumbprint")) == thumbprint), None)
        if copy is None:
            missing.append(server)
        elif "SMTP" not in values.services(copy.get("Services")):
            params = {"Thumbprint": thumbprint, "Services": Token("SMTP"), **({"Server": server} if server else {})}
            lines += _dry_run_then_change("Enable-ExchangeCertificate", **params)
    if lines:
        lines.insert(0, ps_comment(_("The certificate is not enabled for SMTP yet: enable it first, and answer No "
                                     "when asked whether to replace the default SMTP certificate.")))
    if not missing:
        return lines, ""
    note = _("The certificate %(thumbprint)s is not installed on %(servers)s, which also send through %(name)s: "
             "import it there from its .pfx file (Import-ExchangeCertificate) and enable it for SMTP before you "
             "name it on the connector, or those servers fail with 454 4.7.5.", thumbprint=thumbprint,
             servers=", ".join(missing), name=name)
    return [ps_comment(note)] + lines, note


def _frontend_step(finding: Finding, ctx: Context, _: Translate) -> FixStep:
    value = derive.hybrid(ctx.config).text("TlsCertificateName")  # the finding exists only beside the hybrid object
    name = finding.target["receive_connector"]
    commands = _dry_run_then_change("Set-ReceiveConnector", Identity=name, TlsCertificateName=value)
    commands.append(format_list(ps_command("Get-ReceiveConnector", Identity=name), ("Identity", "TlsCertificateName")))
    return FixStep(finding.code, _("Name the hybrid certificate on the Front End receive connector"),
                   EXCHANGE_SERVER_SHELL, commands)
