"""Step 3 of the KB on Exchange Server: the certificate on each server, the send connector once.

The functions that make lines are shared with the renewal check (app/renewal):
one generator for every command an admin pastes into the Exchange Management Shell.
"""
from __future__ import annotations

from app.certs.matching import certificate_names
from app.certs.model import CertificateReport
from app.remediation import advice as A
from app.remediation.advice import Advice, sources_of
from app.remediation.answers import PlanAnswers
from app.remediation.model import CodeBlock, OnPremisesConfig
from app.remediation.powershell import SWITCH, Token, format_list, ps_command, ps_comment, ps_quote
from app.remediation.rules import (
    DIGICERT_GLOBAL_ROOT_G2, MX_PLACEHOLDER, OLD_WINDOWS_KINDS, SEND_CONNECTOR_NAME, SERVER_LABELS,
    WINDOWS_INTERMEDIATE_PATH, WINDOWS_PFX_PATH,
)
from app.translate import N_, Translate

CERTIFICATE_PROPERTIES = ("Thumbprint", "Subject", "Issuer", "NotAfter", "HasPrivateKey", "Services", "Status")
# Exchange 2010 send connectors have neither TlsCertificateName nor CloudServicesMailEnabled.
SEND_CONNECTOR_PROPERTIES_2010 = ("Name", "AddressSpaces", "SmartHosts", "RequireTLS", "TlsAuthLevel", "TlsDomain",
                                  "Fqdn", "SourceTransportServers")
SEND_CONNECTOR_PROPERTIES = SEND_CONNECTOR_PROPERTIES_2010 + ("TlsCertificateName", "CloudServicesMailEnabled")
TLS_NAME = Token("$tlsCertificateName")
SOURCE_SERVERS = Token("$sourceTransportServers")
OTHER_STAR = Token("$otherStarConnectors")   # send connectors for * other than the plan's
# Subscribed Edge servers are the source of a connector EdgeSync copies to them (their subscription's name).
EDGE_SERVERS = "@(Get-ExchangeServer | Where-Object { $_.IsEdgeServer } | ForEach-Object { $_.Name })"
# (per server, once) block labels by the server that connects to Exchange Online (answers.EGRESS).
EGRESS_LABELS = {
    "mailbox": (N_("On each server that sends to Office 365 (Exchange Management Shell)"),
                N_("Once for the organization (Exchange Management Shell)")),
    "frontend": (N_("On each Mailbox server whose front end proxies mail to Office 365 (Exchange Management Shell)"),
                 N_("Once for the organization (Exchange Management Shell)")),
    "edge": (N_("On each Edge Transport server (Exchange Management Shell on the Edge server)"),
             N_("Once for the organization, on a Mailbox server (Exchange Management Shell)")),
}
EGRESS_ADVICE = {"frontend": A.EGRESS_FRONTEND, "edge": A.EGRESS_EDGE, "unsure": A.EGRESS_UNSURE,
                 "frontend-2010": A.EGRESS_2010}
TLS12_CLIENT_KEY = "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client"
# The Default Frontend receive connector of the server the shell runs on ("<server>\Default Frontend <server>").
DEFAULT_FRONTEND = Token('"$env:COMPUTERNAME\\Default Frontend $env:COMPUTERNAME"')


def covers(certificate_name: str, host: str) -> bool:
    """Whether a CN/SAN name (maybe ``*.domain``, one label) names this host; case-insensitive."""
    certificate_name, host = certificate_name.lower(), host.lower()
    if certificate_name.startswith("*."):
        return "." in host and host.split(".", 1)[1] == certificate_name[2:]
    return certificate_name == host


def send_connector_fqdn(answers: PlanAnswers, report: CertificateReport) -> str | None:
    """The HELO name: the server's FQDN if the certificate names it, else a plain name on the certificate."""
    names = certificate_names(report.leaf)
    fqdn = answers.server_fqdn.strip().lower().rstrip(".")  # pragma: no mutate: lower case, so "XX.XX" strips alike
    if fqdn and any(covers(name, fqdn) for name in names):
        return fqdn
    preferred = [c.certificate_name for c in report.candidates] + names
    return next((name for name in preferred if not name.startswith("*")), None)


def build_exchange(answers: PlanAnswers, report: CertificateReport | None, smart_host: str,
                   _: Translate) -> OnPremisesConfig:
    kind = answers.server_kind
    if report is None:
        return OnPremisesConfig(kind=kind, notes=[_(
            "Add the certificate to the case: the commands for %(server)s need its thumbprint and names.",
            server=_(SERVER_LABELS[kind]),
        )])
    is_2010 = kind == "exchange-2010"
    egress = "mailbox" if is_2010 and answers.egress == "frontend" else answers.egress
    fqdn = send_connector_fqdn(answers, report)
    per_server = [ps_comment(_("Run in the Exchange Management Shell on each server that sends to Office 365."))]
    per_server += certificate_lines(report, kind, _) + digicert_lines(_)
    if kind in OLD_WINDOWS_KINDS:
        per_server += tls12_lines(_)
    once = [] if is_2010 else tls_certificate_name_lines(report, _)
    if egress == "edge" and not is_2010:
        # The certificate is on the Edge server only: read its name there, type it where the connector is made.
        per_server += once + [str(TLS_NAME)]
        once = [ps_comment(_("Type the value the last line printed on the Edge server:")),
                f"{TLS_NAME} = " + ps_command("Read-Host", Prompt="TlsCertificateName printed on the Edge server")]
    once += (hybrid_lines(report, is_2010, _) if answers.hybrid_wizard
             else send_connector_lines(smart_host, fqdn, is_2010, _, egress))
    labels = EGRESS_LABELS.get(egress, EGRESS_LABELS["mailbox"])
    blocks = [CodeBlock(_(labels[0]), "powershell", "\n".join(per_server)),
              CodeBlock(_(labels[1]), "powershell", "\n".join(once))]
    if egress == "unsure":
        blocks.insert(0, CodeBlock(_("Which server connects to Exchange Online (Exchange Management Shell)"),
                                   "powershell", "\n".join(egress_check_lines())))
    notes, used = _notes(answers, fqdn, is_2010, _)
    said = EGRESS_ADVICE.get(answers.egress if not is_2010 or answers.egress != "frontend" else "frontend-2010")
    if said:
        notes.insert(0, said.say(_))
        used.insert(0, said)
    return OnPremisesConfig(kind=kind, powershell="\n".join(block.text for block in blocks), blocks=blocks,
                            notes=notes, sources=sources_of(*used, *_line_advice(answers, kind)))


def egress_check_lines() -> list[str]:
    """What tells which server connects: the send connectors' sources and proxy flag, and the servers' roles."""
    return [format_list("Get-SendConnector", ("Name", "AddressSpaces", "SourceTransportServers", "FrontendProxyEnabled")),
            format_list("Get-ExchangeServer", ("Name", "ServerRole"))]


def _line_advice(answers: PlanAnswers, kind: str) -> list[Advice]:
    """The advice the command blocks say in their comments, for the step's sources."""
    used = [A.IMPORT_PFX, A.INTERMEDIATES, A.ENABLE_SMTP, A.DIGICERT_G2]
    used += [A.CERTUTIL, A.TLS12] if kind in OLD_WINDOWS_KINDS else []
    used += [] if kind == "exchange-2010" else [A.TLS_NAME_ON_SERVER]
    if answers.hybrid_wizard:
        check = A.HYBRID_CHECK_2010 if kind == "exchange-2010" else A.HYBRID_CHECK  # pragma: no mutate: sources only, cited by the others too
        return used + [A.HYBRID_RERUN, A.HCW_REWRITES, check]
    return used + [A.SEND_CONNECTOR_ONCE]


def import_certificate_lines(_: Translate) -> list[str]:
    """Import-ExchangeCertificate from a .pfx: the shell path works on every version (no EAC import)."""
    prompt = ps_quote(_("PFX password"))  # the admin reads it at the prompt, in the plan's language
    return [
        ps_comment(A.IMPORT_PFX.say(_)),
        ps_command("Import-ExchangeCertificate",
                   FileData=Token(f"([System.IO.File]::ReadAllBytes({ps_quote(WINDOWS_PFX_PATH)}))"),
                   Password=Token(f"(Read-Host -AsSecureString -Prompt {prompt})"),
                   PrivateKeyExportable=True),
    ]


def certificate_lines(report: CertificateReport, kind: str, _: Translate) -> list[str]:
    """Import, check, intermediates and SMTP: what each server that sends needs."""
    thumbprint = report.leaf.thumbprint_sha1
    lines = import_certificate_lines(_) + [
        ps_comment(_("Check that this server has it, with its private key:")),
        format_list(ps_command("Get-ExchangeCertificate", Thumbprint=thumbprint), CERTIFICATE_PROPERTIES),
    ]
    return lines + intermediate_lines(report, kind, _) + enable_smtp_lines(thumbprint, _)


def intermediate_lines(report: CertificateReport, kind: str, _: Translate) -> list[str]:
    """Each uploaded intermediate into the machine's CA store: certutil where Windows may be 2008 R2."""
    lines = [ps_comment(A.INTERMEDIATES.say(_))]
    if kind in OLD_WINDOWS_KINDS:
        lines.append(ps_comment(A.CERTUTIL.say(_)))
    intermediates = [c for c in report.chain[1:] if not c.self_signed]
    if not intermediates:
        lines.append(ps_comment(_("The uploaded file held no intermediate certificate: download them from your CA.")))
    for number, intermediate in enumerate(intermediates or [None], start=1):
        if intermediate is not None:
            lines.append(ps_comment(_("Intermediate %(number)d: %(subject)s", number=number,
                                      subject=intermediate.subject_windows)))
        path = WINDOWS_INTERMEDIATE_PATH % number
        lines.append(f"certutil -addstore CA {ps_quote(path)}" if kind in OLD_WINDOWS_KINDS else ps_command(
            "Import-Certificate", CertStoreLocation=Token("Cert:\\LocalMachine\\CA"), FilePath=path))
    return lines


def enable_smtp_lines(thumbprint: str, _: Translate) -> list[str]:
    return [
        ps_comment(A.ENABLE_SMTP.say(_)),
        ps_command("Enable-ExchangeCertificate", Thumbprint=thumbprint, Services=Token("SMTP")),
    ]


def digicert_lines(_: Translate) -> list[str]:
    return [
        ps_comment(A.DIGICERT_G2.say(_)),
        "Get-ChildItem -Path Cert:\\LocalMachine\\Root | Where-Object { $_.Thumbprint -eq "
        f"{ps_quote(DIGICERT_GLOBAL_ROOT_G2)} }}",
    ]


def tls12_lines(_: Translate) -> list[str]:
    return [ps_comment(A.TLS12.say(_)), ps_command("Get-ItemProperty", Path=TLS12_CLIENT_KEY)]


def tls_certificate_name_lines(report: CertificateReport, _: Translate) -> list[str]:
    """$tlsCertificateName built on the server; the value computed from the upload is compared, never used."""
    return [
        ps_comment(A.TLS_NAME_ON_SERVER.say(_)),
        "$cert = " + ps_command("Get-ExchangeCertificate", Thumbprint=report.leaf.thumbprint_sha1),
        '$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"',
        ps_comment(_("Check: the next line must print True. False means this server prints the names differently: "
                     "the commands use the server's value, so compare the two by eye.")),
        "$tlsCertificateName -eq " + ps_quote(report.exchange_tls_certificate_name),
    ]


def send_connector_lines(smart_host: str, fqdn: str | None, is_2010: bool, _: Translate,
                         egress: str = "mailbox") -> list[str]:
    settings: dict[str, object] = {
        "Name": SEND_CONNECTOR_NAME,
        "AddressSpaces": Token("*"),
        "SmartHosts": smart_host,
        # SmartHosts needs DNSRoutingEnabled $false in the same command.
        "DNSRoutingEnabled": False,
        "RequireTLS": True,
        "TlsAuthLevel": Token("CertificateValidation"),
        "SourceTransportServers": SOURCE_SERVERS,
    }
    if fqdn:
        settings["Fqdn"] = fqdn
    if not is_2010:
        settings["TlsCertificateName"] = TLS_NAME
        settings["CloudServicesMailEnabled"] = True
    if egress == "frontend" and not is_2010:
        settings["FrontendProxyEnabled"] = True   # the front end connects: keep what the admin has
    # Verbose logs record "Certificate subject" and "Certificate thumbprint": the proof in the verify step.
    settings["ProtocolLoggingLevel"] = Token("Verbose")
    properties = SEND_CONNECTOR_PROPERTIES_2010 if is_2010 else SEND_CONNECTOR_PROPERTIES
    unconfirmed = [ps_comment(A.REPLACE_PLACEHOLDER.say(_, placeholder=smart_host))] if smart_host == MX_PLACEHOLDER else []
    return unconfirmed + [
        ps_comment((A.SEND_CONNECTOR_EDGE if egress == "edge" else A.SEND_CONNECTOR_ONCE).say(_)),
        f"{SOURCE_SERVERS} = " + (EDGE_SERVERS if egress == "edge" else "@($env:COMPUTERNAME)"),
        ps_comment(_("Your other send connectors for address space *, which Exchange may choose instead of the new "
                     "one:")),
        # @(...): an empty list, never $null, so that the pipelines below run for nothing when there is none.
        f"{OTHER_STAR} = @(Get-SendConnector | Where-Object {{ $_.Name -ne {ps_quote(SEND_CONNECTOR_NAME)} -and "
        "($_.AddressSpaces | Where-Object { $_.Address -eq '*' }) })",
        format_list(str(OTHER_STAR), ("Name", "AddressSpaces", "SmartHosts", "Enabled", "SourceTransportServers")),
        ps_comment(_("Dry run: shows what would change and changes nothing.")),
        ps_command("New-SendConnector", **settings, WhatIf=SWITCH),
        ps_comment(_("The change itself.")),
        ps_command("New-SendConnector", **settings),
        format_list(ps_command("Get-SendConnector", Identity=SEND_CONNECTOR_NAME), properties),
        ps_comment(A.EXISTING_STAR_CONNECTOR.say(_)),
        ps_comment(_("Then, if the list above showed another connector for *, turn it off (dry run first):")),
        f"{OTHER_STAR} | " + ps_command("Set-SendConnector", Enabled=False, WhatIf=SWITCH),
        f"{OTHER_STAR} | " + ps_command("Set-SendConnector", Enabled=False),
    ]


def set_send_connector_certificate_lines(_: Translate) -> list[str]:
    """Point an existing send connector at the certificate in $tlsCertificateName (Exchange 2013 and later)."""
    return [
        ps_comment(_("Use your send connector's name (Get-SendConnector) if it is not %(name)s.",
                     name=SEND_CONNECTOR_NAME)),
        ps_command("Set-SendConnector", Identity=SEND_CONNECTOR_NAME, TlsCertificateName=TLS_NAME),
    ]


def set_send_connector_fqdn_lines(fqdn: str, _: Translate) -> list[str]:
    """Exchange 2010 selects the certificate by the send connector's FQDN: point it at a name the certificate has."""
    return [
        ps_comment(_("If the FQDN is a name the certificate does not have, set it to one it has (use your send "
                     "connector's name if it is not %(name)s):", name=SEND_CONNECTOR_NAME)),
        ps_command("Set-SendConnector", Identity=SEND_CONNECTOR_NAME, Fqdn=fqdn),
    ]


def remove_certificate_lines(thumbprint: str, _: Translate) -> list[str]:
    return [
        ps_comment(_("When the test mail arrived, remove the old certificate (thumbprint %(thumbprint)s) from each "
                     "server:", thumbprint=thumbprint)),
        ps_command("Remove-ExchangeCertificate", Thumbprint=thumbprint, WhatIf=SWITCH),
        ps_command("Remove-ExchangeCertificate", Thumbprint=thumbprint),
    ]


def hybrid_receive_connector_lines(_: Translate) -> list[str]:
    """KB 2989382: the Default Frontend receive connector names the certificate Exchange Online must see."""
    return [
        ps_comment(A.HYBRID_RECEIVE.say(_)),
        ps_command("Set-ReceiveConnector", Identity=DEFAULT_FRONTEND, TlsCertificateName=TLS_NAME),
    ]


def hybrid_lines(report: CertificateReport, is_2010: bool, _: Translate) -> list[str]:
    properties = SEND_CONNECTOR_PROPERTIES_2010 if is_2010 else SEND_CONNECTOR_PROPERTIES
    lines = [
        ps_comment(A.HYBRID_RERUN.say(_, subject=report.leaf.subject_windows, thumbprint=report.leaf.thumbprint_sha1)),
        ps_comment(A.HCW_REWRITES.say(_)),
        ps_comment((A.HYBRID_CHECK_2010 if is_2010 else A.HYBRID_CHECK).say(_)),
        format_list("Get-SendConnector", properties),
    ]
    return lines if is_2010 else lines + [str(TLS_NAME)]


def _notes(answers: PlanAnswers, fqdn: str | None, is_2010: bool, _: Translate) -> tuple[list[str], list[Advice]]:
    used = [A.FQDN_2010] if is_2010 else []
    if fqdn is None:
        used.append(A.WILDCARD_ONLY_FQDN)
    if not answers.hybrid_wizard:
        used += [A.EXISTING_STAR_CONNECTOR, A.VALIDATION_CHOICE]
    if not is_2010 and not answers.hybrid_wizard:  # hybrid: the wizard's next run follows the renewal
        used.append(A.RENEWAL_FOLLOWS)
    # The send connector selection rule is said once, as the comment before the commands it explains.
    return [advice.say(_) for advice in used if advice is not A.EXISTING_STAR_CONNECTOR], used
