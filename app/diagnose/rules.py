"""The error table as data (reference: exchange-facts.md section 8).

Each rule matches when any one of its signatures matches. A signature is a
tuple of terms that must all appear in the pasted text; a term starting with
``!`` must not appear. A term shaped like ``5.7.64`` is an enhanced status code;
any other term is a phrase, compared without regard to case, spacing or line
breaks. Bump RULESET_VERSION whenever a rule changes.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.translate import N_

RULESET_VERSION = "2026.11.1"
ON_PREMISES, EXCHANGE_ONLINE = "on_premises", "exchange_online"


@dataclass(frozen=True)
class Rule:
    code: str                           # as shown, e.g. "5.7.64 ATTR36"
    signatures: tuple[tuple[str, ...], ...]
    title: str                          # N_-marked: translated when rendered
    raised_by: str                      # ON_PREMISES or EXCHANGE_ONLINE
    meaning: str
    fix: str
    wizard_step: str                    # the wizard step (app/wizard/steps.py) that fixes it


RULES: tuple[Rule, ...] = (
    Rule(
        "5.7.64 ATTR36", (("ATTR36",), ("5.7.64", "!TenantAttribution")),
        N_("Relay refused: neither the certificate nor the sender is an accepted domain"),
        EXCHANGE_ONLINE,
        N_("Exchange Online refused to relay the message to the internet. Neither the certificate your server "
           "presented nor the envelope sender (MAIL FROM) is an accepted domain of your tenant. This is the "
           "KB 3169958 rule: non-delivery reports, mail sent as another domain and forwarded mail hit it."),
        N_("Make the inbound connector identify your server by its certificate, with a name on the certificate "
           "that is an accepted domain, and make your server present that certificate. The wizard gives the "
           "exact settings."),
        "connector",
    ),
    Rule(
        "5.7.64 TenantAttribution", (("5.7.64", "TenantAttribution"), ("TenantAttribution", "Relay Access Denied")),
        N_("Relay refused: no connector matched your server"),
        EXCHANGE_ONLINE,
        N_("Exchange Online could not tie the message to your tenant: no inbound connector matched the "
           "connection. Usual causes: a renewed or renamed certificate, the server presenting another "
           "certificate, a missing intermediate certificate, or a changed sending IP address."),
        N_("Make the certificate your server presents match the connector's TlsSenderCertificateName, and send "
           "the full chain. Check the certificate in the wizard."),
        "certificate",
    ),
    Rule(
        "4.4.317 UntrustedRoot", (("4.4.317",), ("UntrustedRoot",)),
        N_("The certificate chain is not trusted"),
        EXCHANGE_ONLINE,
        N_("The TLS connection failed because the certificate chain could not be traced to a trusted root: the "
           "server did not send the intermediate certificates, or the certificate is self-signed or from your "
           "own CA. Exchange Online does not fetch missing intermediates."),
        N_("Install the intermediate certificates on the server so that it presents the full chain, and use a "
           "certificate from a public CA."),
        "certificate",
    ),
    Rule(
        "4.7.5 TlsCertificateName", (("4.7.5",), ("NoCredentials",), ("certificate specified in TlsCertificateName",)),
        N_("The send connector cannot find its certificate"),
        ON_PREMISES,
        N_("Your Exchange server could not use the certificate its send connector names in TlsCertificateName: "
           "the value is out of date after a renewal, the certificate is not enabled for SMTP, or it is not "
           "valid (expired, or without its private key)."),
        N_("Recompute the value as <I>issuer<S>subject from the installed certificate, set it on the send "
           "connector, and run Enable-ExchangeCertificate -Services SMTP for that certificate."),
        "certificate",
    ),
    Rule(
        "5.7.51 TenantInboundAttribution", (("5.7.51",), ("partner connector configured that matched",)),
        N_("Your connector did not match, so the recipient's tenant received the message"),
        EXCHANGE_ONLINE,
        N_("Your OnPremises connector did not match the connection, so Exchange Online treated the message as "
           "inbound mail to the recipient's tenant, whose partner connector refused it."),
        N_("Make the send connector's TlsCertificateName and the inbound connector's TlsSenderCertificateName "
           "name the same certificate, with a connector value that is an accepted domain."),
        "connector",
    ),
    Rule(
        "4.4.62 ATTR35", (("4.4.62",), ("ATTR35",), ("wrong Office 365 region",)),
        N_("Mail sent to the wrong Office 365 region"),
        EXCHANGE_ONLINE,
        N_("Your server sends to an old smart host (mail.messaging.microsoft.com, a FrontBridge name or a raw IP "
           "address) instead of your tenant's own MX endpoint."),
        N_("Use your tenant's MX endpoint, like contoso-com.mail.protection.outlook.com, as the smart host."),
        "server-details",
    ),
    Rule(
        "5.7.54 Unable to relay", (("5.7.54",), ("Unable to relay recipient in non-accepted domain",)),
        N_("Your own Exchange server refused to relay"),
        ON_PREMISES,
        N_("The receive connector of your on-premises Exchange server refused the message before it reached "
           "Office 365: the device or application that sent it is not allowed to relay to outside domains."),
        N_("Create a dedicated receive connector for the devices' IP addresses that allows them to relay. This "
           "is not a connector certificate problem."),
        "server",
    ),
    Rule(
        "5.7.57 Client not authenticated", (("5.7.57",), ("Client was not authenticated",)),
        N_("Sent to the sign-in submission endpoint without signing in"),
        EXCHANGE_ONLINE,
        N_("The server or device sends to smtp.office365.com, which is for clients that sign in (SMTP AUTH), "
           "not for relaying through a connector."),
        N_("Send to your tenant's MX endpoint on port 25 with a connector instead of smtp.office365.com."),
        "server-details",
    ),
    Rule(
        "5.7.68 Direct Send not allowed", (("5.7.68",), ("Direct Send not allowed",)),
        N_("Direct Send is turned off and no connector matched"),
        EXCHANGE_ONLINE,
        N_("Your tenant rejects Direct Send (RejectDirectSend), and the message did not match any inbound "
           "connector, so it was treated as Direct Send and refused."),
        N_("Set up an inbound connector that matches the sending server's certificate (or IP address)."),
        "connector",
    ),
    Rule(
        "5.4.1 Relay Access Denied", (("5.4.1", "Relay Access Denied"),),
        N_("Relay access denied"),
        EXCHANGE_ONLINE,
        N_("The message did not arrive through a connector of your tenant: the send connector does not point at "
           "your tenant's MX endpoint, or the inbound connector is missing or turned off."),
        N_("Point the send connector's smart host at your tenant's MX endpoint and check that the inbound "
           "connector exists and is turned on."),
        "server-details",
    ),
)

# What to collect when nothing matched.
NEXT_STEPS: tuple[str, ...] = (
    N_("Copy the whole non-delivery report, including the part for administrators, not only its first line."),
    N_("Note the status code (like 550 5.7.64) and the server that generated it (the 'Generating server' or "
       "'Remote server' line)."),
    N_("Run a message trace in Exchange Online (Get-MessageTraceV2) for the message and copy its events."),
    N_("On Exchange Server, copy the send connector's protocol log lines around the error."),
)
