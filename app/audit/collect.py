"""collect.ps1: the read-only collection script, one per Exchange version.

It only runs Get-* cmdlets and reads the send protocol log. Run in Exchange
Online PowerShell it prints part 1, in the Exchange Management Shell part 2;
each run prints one block between the BEGIN and END lines that the admin pastes
back. Written for Windows PowerShell 2.0 (Exchange 2010 on Windows Server 2008
R2) and later: Format-List and Out-String, no ConvertTo-Json (PowerShell 3.0).
Lists are joined into one line and lines are printed 4096 wide, so that nothing
is cut with "..." and the reader sees whole values.
"""
from __future__ import annotations

from datetime import date

from app.audit.catalog import RULESET_VERSION
from app.audit.reading import BLOCK_BEGIN, BLOCK_END, SECTION
from app.remediation.powershell import ps_comment, ps_quote
from app.remediation.rules import EXCHANGE_VERSIONS
from app.translate import Translate, plain

WIDTH = "Out-String -Width 4096"
LOG_FILES, LOG_LINES = 3, 40
LOG_PATTERN = "certificate|TLS negotiation"

ONLINE = (
    ("Get-AcceptedDomain", ("Name", "DomainName", "DomainType", "Default"), ()),
    ("Get-InboundConnector", ("Name", "Enabled", "ConnectorType", "ConnectorSource", "RequireTls",
                              "TlsSenderCertificateName", "CloudServicesMailEnabled", "TreatMessagesAsInternal",
                              "RestrictDomainsToCertificate", "WhenChanged"), ("SenderDomains", "SenderIPAddresses")),
    ("Get-OutboundConnector", ("Name", "Enabled", "ConnectorType", "ConnectorSource", "UseMXRecord", "TlsSettings",
                               "TlsDomain", "CloudServicesMailEnabled"), ("RecipientDomains", "SmartHosts")),
)
SEND_2010 = ("Name", "Enabled", "DNSRoutingEnabled", "Fqdn", "RequireTLS", "TlsAuthLevel", "TlsDomain",
             "ProtocolLoggingLevel", "Port")
SEND_LISTS = ("AddressSpaces", "SmartHosts", "SourceTransportServers")
CERTIFICATE = ("Thumbprint", "Subject", "Issuer", "NotBefore", "NotAfter", "Services", "HasPrivateKey",
               "IsSelfSigned", "RootCAType", "Status")


def _list(name: str) -> str:
    """A calculated property that prints a multi-valued property on one line, every item."""
    return "@{Name='%s';Expression={$_.%s -join ', '}}" % (name, name)


def _format(plain_properties: tuple[str, ...], lists: tuple[str, ...] = (), extra: tuple[str, ...] = ()) -> str:
    return "Format-List " + ",".join(plain_properties + tuple(_list(n) for n in lists) + extra) + " | " + WIDTH


def _section(title: str) -> str:
    return ps_quote(f"{SECTION} {title}")


def _pem(expression: str) -> list[str]:
    return [ps_quote("-----BEGIN CERTIFICATE-----"),
            f"[System.Convert]::ToBase64String({expression}, [System.Base64FormattingOptions]::InsertLineBreaks)",
            ps_quote("-----END CERTIFICATE-----")]


def online_part() -> list[str]:
    lines = ["if (Get-Command -Name Get-InboundConnector -ErrorAction SilentlyContinue) {",
             "    " + _section("Part: Exchange Online")]
    for cmdlet, properties, lists in ONLINE:
        lines += ["    " + _section(cmdlet), f"    {cmdlet} | {_format(properties, lists)}"]
    return lines + ["}"]


def server_part(is_2010: bool) -> list[str]:
    transport = "Get-TransportServer" if is_2010 else "Get-TransportService"
    send = SEND_2010 if is_2010 else SEND_2010 + ("TlsCertificateName", "CloudServicesMailEnabled",
                                                  "FrontendProxyEnabled")
    receive = "*Default*" if is_2010 else "*Default Frontend*"
    server = "@{Name='Server';Expression={$server.Name}}"
    lines = [
        "if (Get-Command -Name Get-SendConnector -ErrorAction SilentlyContinue) {",
        "    " + _section("Part: Exchange Server"),
        "    " + _section("Get-ExchangeServer"),
        "    Get-ExchangeServer | " + _format(("Name", "Fqdn", "AdminDisplayVersion", "ServerRole", "Edition")),
        "    " + _section("Get-SendConnector"),
        "    Get-SendConnector | " + _format(send, SEND_LISTS),
        "    " + _section("Get-ReceiveConnector"),
        "    Get-ReceiveConnector | Where-Object { $_.Identity -like " + ps_quote(receive) + " } | "
        + _format(("Identity", "Server", "Enabled", "Fqdn", "RequireTLS", "TransportRole")
                  + (() if is_2010 else ("TlsCertificateName",)), ("Bindings", "TlsDomainCapabilities")),
        "    " + _section("Get-HybridConfiguration"),
        "    Get-HybridConfiguration | " + _format(("OnPremisesSmartHost", "TlsCertificateName"),
                                               ("SendingTransportServers", "ReceivingTransportServers", "Domains")),
        f"    foreach ($server in {transport}) {{",
        "        " + _section("Get-ExchangeCertificate") + " + ' -Server ' + $server.Name",
        "        foreach ($certificate in Get-ExchangeCertificate -Server $server.Name) {",
        "            $certificate | " + _format(CERTIFICATE, ("CertificateDomains",), (server,)),
        *("            " + line for line in _pem("$certificate.RawData")),
        "            if ($server.Name -eq $env:COMPUTERNAME) {",
        "                $issuer = $certificate.Issuer",
        "                foreach ($level in @(1, 2, 3)) {",
        "                    $authority = Get-ChildItem -Path Cert:\\LocalMachine\\CA | Where-Object { $_.Subject -eq "
        "$issuer } | Select-Object -First 1",
        "                    if (-not $authority) { break }",
        *("                    " + line for line in _pem("$authority.RawData")),
        "                    $issuer = $authority.Issuer",
        "                }",
        "            }",
        "        }",
        "        " + _section("Get-Queue") + " + ' -Server ' + $server.Name",
        "        Get-Queue -Server $server.Name | Where-Object { $_.MessageCount -gt 0 -or $_.LastError } | "
        + _format(("Identity", "DeliveryType", "Status", "MessageCount", "NextHopDomain", "LastError")),
        "    }",
        "    " + _section("Send protocol log"),
    ]
    services = [transport] if is_2010 else [transport, "Get-FrontendTransportService"]
    for service in services:
        lines += [
            f"    $logs = ({service} -Identity $env:COMPUTERNAME).SendProtocolLogPath",
            f"    Get-ChildItem -Path $logs -Filter '*.log' | Sort-Object -Property LastWriteTime | "
            f"Select-Object -Last {LOG_FILES} | Select-String -Pattern {ps_quote(LOG_PATTERN)} | "
            f"Select-Object -Last {LOG_LINES} | ForEach-Object {{ $_.Line }}",
        ]
    return lines + ["}"]


def collection_script(server_kind: str, case_reference: str = "", *, today: date | None = None,
                      _: Translate = plain) -> str:
    """The script for ``server_kind`` (an Exchange kind of app.remediation.answers); encode with powershell_bytes."""
    version = EXCHANGE_VERSIONS.get(server_kind, EXCHANGE_VERSIONS["exchange-2016"])
    day = (today or date.today()).isoformat()
    header = [
        ps_comment(_("Collection for certificate-based relay through Exchange Online (KB 3169958), read only")),
        ps_comment(_("Case: %(case)s. Written for %(version)s, ruleset %(ruleset)s, on %(date)s.",
                     case=case_reference, version=version, ruleset=RULESET_VERSION, date=day) if case_reference else
                   _("Written for %(version)s, ruleset %(ruleset)s, on %(date)s.",
                     version=version, ruleset=RULESET_VERSION, date=day)),
        ps_comment(_("It runs only Get-* cmdlets and reads the send protocol log: it changes nothing.")),
        ps_comment(_("Run it twice: in Exchange Online PowerShell after Connect-ExchangeOnline (part 1), and in the "
                     "Exchange Management Shell on a server that sends to Office 365 (part 2).")),
        ps_comment(_("Each run prints one block from the BEGIN line to the END line. Copy the whole block and paste "
                     "it into the audit page.")),
        "",
        ps_quote(BLOCK_BEGIN),
    ]
    body = online_part() + server_part(server_kind == "exchange-2010")
    return "\n".join(header + body + [ps_quote(BLOCK_END)]) + "\n"
