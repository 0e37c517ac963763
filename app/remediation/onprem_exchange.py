"""Step 2 of the KB on Exchange Server: certificate, chain and send connector."""
from __future__ import annotations

from app.certs.matching import certificate_names
from app.certs.model import CertificateReport
from app.remediation.answers import PlanAnswers
from app.remediation.model import OnPremisesConfig
from app.remediation.powershell import SWITCH, Token, format_list, ps_command, ps_comment, ps_quote
from app.remediation.rules import SEND_CONNECTOR_NAME, SERVER_LABELS, WINDOWS_INTERMEDIATE_PATH
from app.translate import Translate

CERTIFICATE_PROPERTIES = ("Thumbprint", "Subject", "Issuer", "NotAfter", "HasPrivateKey", "Services", "Status")
# Exchange 2010 send connectors have neither TlsCertificateName nor CloudServicesMailEnabled.
SEND_CONNECTOR_PROPERTIES_2010 = ("Name", "AddressSpaces", "SmartHosts", "RequireTLS", "TlsAuthLevel", "TlsDomain", "Fqdn")
SEND_CONNECTOR_PROPERTIES = SEND_CONNECTOR_PROPERTIES_2010 + ("TlsCertificateName", "CloudServicesMailEnabled")
TLS_NAME = Token("$tlsCertificateName")


def covers(certificate_name: str, host: str) -> bool:
    """Whether a CN/SAN name (maybe ``*.domain``, one label) names this host; case-insensitive."""
    certificate_name, host = certificate_name.lower(), host.lower()
    if certificate_name.startswith("*."):
        return "." in host and host.split(".", 1)[1] == certificate_name[2:]
    return certificate_name == host


def send_connector_fqdn(answers: PlanAnswers, report: CertificateReport) -> str | None:
    """The HELO name: the server's FQDN if the certificate names it, else a plain name on the certificate."""
    names = certificate_names(report.leaf)
    fqdn = answers.server_fqdn.strip().lower().rstrip(".")
    if fqdn and any(covers(name, fqdn) for name in names):
        return fqdn
    preferred = [c.certificate_name for c in report.candidates] + names
    return next((name for name in preferred if not name.startswith("*")), None)


def build_exchange(answers: PlanAnswers, report: CertificateReport | None, mx: str, _: Translate) -> OnPremisesConfig:
    kind = answers.server_kind
    if report is None:
        return OnPremisesConfig(kind=kind, notes=[_(
            "Add the certificate to the case: the commands for %(server)s need its thumbprint and names.",
            server=_(SERVER_LABELS[kind]),
        )])
    is_2010 = kind == "exchange-2010"
    fqdn = send_connector_fqdn(answers, report)
    lines = [ps_comment(_("Run in the Exchange Management Shell on each server that sends to Office 365."))]
    lines += _certificate_lines(report, _)
    if not is_2010:
        lines += _tls_certificate_name_lines(report, _)
    if answers.hybrid_wizard:
        lines += _hybrid_lines(report, is_2010, _)
    else:
        lines += _send_connector_lines(mx, fqdn, is_2010, _)
    return OnPremisesConfig(kind=kind, powershell="\n".join(lines), notes=_notes(answers, fqdn, is_2010, _))


def _certificate_lines(report: CertificateReport, _: Translate) -> list[str]:
    thumbprint = report.leaf.thumbprint_sha1
    lines = [
        ps_comment(_(
            "Install the certificate with its private key (Exchange admin center > Servers > "
            "Certificates > Import Exchange certificate), then check that this server has it:"
        )),
        format_list(ps_command("Get-ExchangeCertificate", Thumbprint=thumbprint), CERTIFICATE_PROPERTIES),
        ps_comment(_(
            "Install the intermediate CA certificates: Exchange Online does not fetch them, the "
            "server must send them. Save each one from the report as a .cer file first."
        )),
    ]
    return lines + intermediate_lines(report, _) + enable_smtp_lines(thumbprint, _)


def intermediate_lines(report: CertificateReport, _: Translate) -> list[str]:
    """Import-Certificate into the machine's CA store for each uploaded intermediate."""
    lines = []
    intermediates = [c for c in report.chain[1:] if not c.self_signed]
    if not intermediates:
        lines.append(ps_comment(_("The uploaded file held no intermediate certificate: download them from your CA.")))
    for number, intermediate in enumerate(intermediates or [None], start=1):
        if intermediate is not None:
            lines.append(ps_comment(_("Intermediate %(number)d: %(subject)s", number=number, subject=intermediate.subject_windows)))
        lines.append(ps_command(
            "Import-Certificate", CertStoreLocation=Token("Cert:\\LocalMachine\\CA"),
            FilePath=WINDOWS_INTERMEDIATE_PATH % number,
        ))
    return lines


def enable_smtp_lines(thumbprint: str, _: Translate) -> list[str]:
    return [
        ps_comment(_(
            "Enable the certificate for SMTP. When asked whether to replace the default SMTP "
            "certificate, answer No: internal mail between your servers keeps the default one."
        )),
        ps_command("Enable-ExchangeCertificate", Thumbprint=thumbprint, Services=Token("SMTP")),
    ]


def _tls_certificate_name_lines(report: CertificateReport, _: Translate) -> list[str]:
    return [
        ps_comment(_("The send connector names its certificate by issuer and subject, read from the certificate itself:")),
        "$cert = " + ps_command("Get-ExchangeCertificate", Thumbprint=report.leaf.thumbprint_sha1),
        '$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"',
        ps_comment(_("The same value computed from your certificate file. The next line must print True.")),
        "$expectedTlsCertificateName = " + ps_quote(report.exchange_tls_certificate_name),
        "$tlsCertificateName -eq $expectedTlsCertificateName",
    ]


def _send_connector_lines(mx: str, fqdn: str | None, is_2010: bool, _: Translate) -> list[str]:
    settings: dict[str, object] = {
        "Name": SEND_CONNECTOR_NAME,
        "AddressSpaces": Token("*"),
        "SmartHosts": mx,
        # SmartHosts needs DNSRoutingEnabled $false in the same command.
        "DNSRoutingEnabled": False,
        "RequireTLS": True,
        "TlsAuthLevel": Token("CertificateValidation"),
    }
    if fqdn:
        settings["Fqdn"] = fqdn
    if not is_2010:
        settings["TlsCertificateName"] = TLS_NAME
        settings["CloudServicesMailEnabled"] = True
    # Verbose logs record "Certificate subject" and "Certificate thumbprint": the proof in step 4 of the checklist.
    settings["ProtocolLoggingLevel"] = Token("Verbose")
    properties = SEND_CONNECTOR_PROPERTIES_2010 if is_2010 else SEND_CONNECTOR_PROPERTIES
    return [
        ps_comment(_(
            "A send connector that relays all internet mail through Office 365. Your existing send "
            "connectors, to see whether one already covers address space * (see the notes):"
        )),
        format_list("Get-SendConnector", ("Name", "AddressSpaces", "SmartHosts", "Enabled")),
        ps_comment(_("Dry run: shows what would change and changes nothing.")),
        ps_command("New-SendConnector", **settings, WhatIf=SWITCH),
        ps_comment(_("The change itself.")),
        ps_command("New-SendConnector", **settings),
        format_list(ps_command("Get-SendConnector", Identity=SEND_CONNECTOR_NAME), properties),
    ]


def _hybrid_lines(report: CertificateReport, is_2010: bool, _: Translate) -> list[str]:
    properties = SEND_CONNECTOR_PROPERTIES_2010 if is_2010 else SEND_CONNECTOR_PROPERTIES
    lines = [
        ps_comment(_(
            "Run the Hybrid Configuration Wizard again. On its Transport Certificate page choose "
            "the certificate issued to %(subject)s (thumbprint %(thumbprint)s).",
            subject=report.leaf.subject_windows, thumbprint=report.leaf.thumbprint_sha1,
        )),
        ps_comment(_(
            "Then check the send connector the wizard made (Outbound to Office 365 - <GUID>): it must "
            "require TLS and name this certificate."
        )),
        format_list("Get-SendConnector", properties),
    ]
    if not is_2010:
        lines.append(ps_comment(_("Its TlsCertificateName must equal the value printed by this line:")))
        lines.append(str(TLS_NAME))
    return lines


def _notes(answers: PlanAnswers, fqdn: str | None, is_2010: bool, _: Translate) -> list[str]:
    notes = []
    if is_2010:
        notes.append(_(
            "Exchange 2010 cannot name the certificate on a send connector (no TlsCertificateName and "
            "no CloudServicesMailEnabled): it uses the SMTP-enabled certificate whose name matches the "
            "connector's FQDN. The FQDN must therefore be a name on the certificate."
        ))
    if fqdn is None:
        notes.append(_(
            "The certificate holds only wildcard names and the server's FQDN is not one of them: add "
            "-Fqdn with the server's name under the certificate's domain to the send connector."
        ))
    if not answers.hybrid_wizard:
        notes.append(_(
            "If a send connector for address space * already exists, Exchange uses only one of the two "
            "(lowest cost, then name), so the new one may never be used: edit the existing one instead "
            "(Set-SendConnector -Identity <its name> with the same parameters, without -Name) or disable it."
        ))
        notes.append(_(
            "CertificateValidation checks the Office 365 certificate. The Hybrid Configuration Wizard "
            "uses -TlsAuthLevel DomainValidation -TlsDomain mail.protection.outlook.com instead; both work."
        ))
    if not is_2010:
        notes.append(_(
            "When the certificate is renewed with another issuer or subject, read $tlsCertificateName again and update "
            "the send connector (Set-SendConnector -TlsCertificateName $tlsCertificateName): until then, "
            "relay fails."
        ))
    return notes
