"""The fix for each rule, command for command, as the admin will paste it (issue 16).

The facts every fix holds (a dry run first, documented parameters, parses) are in test_fixes.py;
here each case of test_rules.CASES states its own steps by hand: the shell, the title and every
command line (comments aside)."""
from __future__ import annotations

import pytest

from app.audit.model import EXCHANGE_ONLINE_SHELL as ONLINE, EXCHANGE_SERVER_SHELL as SERVER, MANUAL
from tests.audit.blocks import thumbprint
from tests.audit.test_rules import CASES, H

INBOUND, SEND = "From on-premises by certificate", "To Office 365 (certificate)"
GET_INBOUND = (f"Get-InboundConnector -Identity '{INBOUND}' | Format-List Name,Enabled,ConnectorType,ConnectorSource,RequireTls,"
               "TlsSenderCertificateName,CloudServicesMailEnabled,TreatMessagesAsInternal")
GET_SEND = (f"Get-SendConnector -Identity '{SEND}' | Format-List Name,Enabled,SmartHosts,RequireTLS,TlsAuthLevel,"
            "TlsDomain,TlsCertificateName,CloudServicesMailEnabled")
MX = "-SmartHosts 'contoso-com.mail.protection.outlook.com' -DNSRoutingEnabled $false"
TLS_NAME = ['$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"']


def inbound(title: str, args: str) -> tuple:
    return ("", ONLINE, title, [f"Set-InboundConnector -Identity '{INBOUND}' {args} -WhatIf",
                                f"Set-InboundConnector -Identity '{INBOUND}' {args}", GET_INBOUND])


def send(title: str, args: str, *before: str) -> tuple:
    return ("", SERVER, title, [*before, f"Set-SendConnector -Identity '{SEND}' {args} -WhatIf",
                                f"Set-SendConnector -Identity '{SEND}' {args}", GET_SEND])


def by_hand(title: str) -> tuple:
    return ("", MANUAL, title, [])


def name_the_certificate(server: str) -> tuple:
    get = f"$cert = Get-ExchangeCertificate -Thumbprint '{thumbprint(H.leaf.cert)}'" + server
    return send("Name the certificate on the send connector", "-TlsCertificateName $tlsCertificateName",
                get, *TLS_NAME)


CERTIFICATE_FINDING = ("certificate_finding", MANUAL, "The certificate check found a problem", [])
FRONTEND = "EX01\\Default Frontend EX01"
HYBRID_NAME = "<I>CN=Test Issuing CA, O=Test PKI, C=US<S>CN=mail.contoso.com"
# test_rules.CASES index -> the plan's steps. A step's rule is the case's own unless it says otherwise.
EXPECTED = {
    0: [CERTIFICATE_FINDING, by_hand("Exchange Online side not pasted")],
    1: [by_hand("On-premises side not pasted")],
    2: [by_hand("No OnPremises inbound connector")],
    3: [inbound("Turn the OnPremises connector on", "-Enabled $true")],
    4: [inbound("Expect mail.contoso.com on the connector", "-RequireTls $true -TlsSenderCertificateName 'mail.contoso.com'")],
    5: [inbound("Expect contoso.com on the connector", "-RequireTls $true -TlsSenderCertificateName 'contoso.com'")],
    6: [by_hand("The connector's certificate name is not an accepted domain")],
    7: [by_hand("The connector accepts any certificate under the domain")],
    8: [by_hand("Several OnPremises connectors match the same certificate")],
    9: [by_hand("A connector the Hybrid Configuration Wizard manages was changed")],
    10: [send("Keep the internal Exchange headers", "-CloudServicesMailEnabled $true")],
    11: [inbound("Filter the connector's mail for spam again", "-TreatMessagesAsInternal $false")],
    12: [by_hand("No send connector relays through Office 365")],
    13: [send("Turn the send connector on", "-Enabled $true")],
    14: [send("Send to your tenant's MX endpoint", MX)],
    15: [send("Send to your tenant's MX endpoint", MX)],
    16: [send("Send to your tenant's MX endpoint", MX)],
    17: [send("Send to your tenant's MX endpoint", MX)],
    18: [send("Require TLS on the send connector", "-RequireTLS $true")],
    19: [send("Validate Office 365's certificate", "-RequireTLS $true -TlsAuthLevel CertificateValidation")],
    20: [send("Check Office 365's certificate for its own domain", "-TlsDomain 'mail.protection.outlook.com'")],
    21: [send("Check Office 365's certificate for its own domain", "-TlsDomain 'mail.protection.outlook.com'")],
    22: [name_the_certificate("")],
    23: [name_the_certificate("")],
    24: [name_the_certificate(" -Server 'EX01'")],
    25: [by_hand("Several certificates have the same issuer and subject")],
    26: [("", SERVER, "Enable the certificate for SMTP", [
        f"Enable-ExchangeCertificate -Thumbprint '{thumbprint(H.leaf.cert)}' -Services SMTP -Server 'EX01' -WhatIf",
        f"Enable-ExchangeCertificate -Thumbprint '{thumbprint(H.leaf.cert)}' -Services SMTP -Server 'EX01'"])],
    27: [by_hand("The relay certificate has no private key")],
    28: [by_hand("The relay certificate has expired")],
    29: [by_hand("The relay certificate expires soon")],
    30: [by_hand("Windows does not trust the relay certificate")],
    31: [by_hand("The relay certificate is self-signed")],
    32: [by_hand("The root certificate is not where Exchange expects it")],
    33: [CERTIFICATE_FINDING],
    34: [("", SERVER, "Name the hybrid certificate on the Front End receive connector", [
        f"Set-ReceiveConnector -Identity '{FRONTEND}' -TlsCertificateName '{HYBRID_NAME}' -WhatIf",
        f"Set-ReceiveConnector -Identity '{FRONTEND}' -TlsCertificateName '{HYBRID_NAME}'",
        f"Get-ReceiveConnector -Identity '{FRONTEND}' | Format-List Identity,TlsCertificateName"])],
    35: [by_hand("The hybrid configuration names another certificate")],
    36: [by_hand("An Exchange server is out of support")],
    37: [by_hand("A queue holds mail with a relay error")],
    # What was not pasted is named, each in its own step (tests/field has these pastes as found).
    38: [("exchange_server_output_missing", MANUAL, "On-premises side not pasted", []),
         by_hand("Get-InboundConnector output not pasted")],
    39: [("exchange_online_output_missing", MANUAL, "Exchange Online side not pasted", []),
         by_hand("Get-SendConnector output not pasted")],
    40: [("exchange_server_output_missing", MANUAL, "On-premises side not pasted", []),
         by_hand("The connector's type was not pasted")],
    41: [by_hand("No certificate from a public CA"),
         ("exchange_online_output_missing", MANUAL, "Exchange Online side not pasted", []),
         ("send_connector_output_missing", MANUAL, "Get-SendConnector output not pasted", [])],
    42: [by_hand("The send connector names a self-signed certificate"),
         ("exchange_online_output_missing", MANUAL, "Exchange Online side not pasted", [])],
    43: [by_hand("The server sends with another certificate")],
    44: [by_hand("TLS to Office 365 failed")],
}


def test_every_case_has_its_fix_written_down():
    assert set(EXPECTED) == set(range(len(CASES)))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_fix_command_for_command(audit, index):
    code, broken, domains, _shows, _fixed = CASES[index]
    steps = [(s.code, s.shell, s.title, [line for line in s.commands if not line.lstrip().startswith("#")])
             for s in audit(broken, domains).plan.steps]
    assert steps == [(step[0] or code, *step[1:]) for step in EXPECTED[index]]
