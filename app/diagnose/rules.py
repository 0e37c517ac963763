"""The error table as data (reference: exchange-facts.md sections 8 and 10), each rule with its sources.

Each rule matches when any one of its signatures matches. A signature is a
tuple of terms that must all appear in the pasted text; a term starting with
``!`` must not appear. A term shaped like ``5.7.64`` is an enhanced status code;
any other term is a phrase, compared without regard to case, spacing or line
breaks. ``raised_by`` says which side produced the text, and the meaning says
where it shows (a non-delivery report, Exchange Online's message trace, your
server's queue or log). ``sources`` are ids in app.remediation.sources. Bump
RULESET_VERSION whenever a rule changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.remediation.rules import CHECKED_SECTION_11, CHECKED_SECTION_12, Dated
from app.translate import N_

RULESET_VERSION = "2026.12.3"
ON_PREMISES, EXCHANGE_ONLINE = "on_premises", "exchange_online"
HOP_IN_TEXT = "hop_in_text"  # whichever server the text names: read it (app.diagnose.decoder reads it when it can)
# What the decoder reads out of the text beside the meaning (app.diagnose.decoder.EXTRACTORS).
SUBJECT_MISMATCH, FAILING_HOP = "subject_mismatch", "failing_hop"
NO_WIZARD_STEP = ""  # the wizard sets up the relay to Exchange Online; some errors belong to the other direction
# Microsoft's NDR pages for 5.4.1 and for 5.7.703-5.7.750 are both of 2 October 2026 (facts section 12).
NDR_PAGES_2026_10 = Dated(date(2026, 10, 2), CHECKED_SECTION_12)


@dataclass(frozen=True)
class Rule:
    code: str                           # as shown, e.g. "5.7.64 ATTR36"
    signatures: tuple[tuple[str, ...], ...]
    title: str                          # N_-marked: translated when rendered
    raised_by: str                      # ON_PREMISES or EXCHANGE_ONLINE
    meaning: str
    fix: str
    wizard_step: str                    # the wizard step (app/wizard/steps.py) that fixes it, or NO_WIZARD_STEP
    sources: tuple[str, ...]            # ids in app.remediation.sources.SOURCES
    reads: tuple[str, ...] = ()         # what the decoder reads out of the text (SUBJECT_MISMATCH, FAILING_HOP)
    dated: Dated | None = None          # a meaning that depends on the date: said with "as of"


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
        "connector", ("KB3169958", "KB4019940", "blog-relay-2023"),
    ),
    Rule(
        "5.7.64 TenantAttribution", (("5.7.64", "TenantAttribution"), ("TenantAttribution", "Relay Access Denied")),
        N_("Relay refused: no connector matched your server"),
        EXCHANGE_ONLINE,
        N_("Exchange Online could not tie the message to your tenant: no inbound connector matched the "
           "connection. Usual causes: a renewed or renamed certificate, the server presenting another "
           "certificate, a missing intermediate certificate (the sending Windows server then logs CAPI2 error "
           "800B0109), or a changed sending IP address."),
        N_("Make the certificate your server presents match the connector's TlsSenderCertificateName, and send "
           "the full chain. Check the certificate in the wizard."),
        "certificate", ("KB3212877", "MC1226222"),
    ),
    Rule(
        "800B0109 Untrusted root", (("800B0109",), ("terminated in a root certificate which is not trusted",)),
        N_("Your server's certificate chain is incomplete"),
        ON_PREMISES,
        N_("Windows on your sending server logged this (CAPI2 operational log) while it presented its certificate "
           "to Exchange Online: it did not send the intermediate certificates, so Exchange Online cannot trace the "
           "certificate to a trusted root and refuses the relay with 550 5.7.64 TenantAttribution."),
        N_("Import the intermediate certificates of your CA into the sending server's Intermediate Certification "
           "Authorities store (Cert:\\LocalMachine\\CA), then test again."),
        "certificate", ("KB3212877",),
    ),
    Rule(
        "4.4.317 Cannot connect", (("4.4.317",), ("Cannot connect to remote server",),
                                   ("Cannot establish session with remote server",)),
        N_("Exchange Online could not deliver to your server"),
        EXCHANGE_ONLINE,
        N_("Exchange Online usually raises this when it connects out to your server, through an outbound "
           "connector, such as hybrid mail from Exchange Online to your mailboxes; you see it in its message trace. "
           "The [Message=...] part says why: UntrustedRoot means your server's certificate chain is not trusted, "
           "451 5.7.3 STARTTLS is required means your server offered no TLS, SubjectMismatch means your server "
           "presented a certificate without the name Exchange Online expected, and a timeout points at a firewall "
           "or the address. Microsoft's page on UntrustedRoot also names the other direction: a server that sends "
           "Exchange Online its certificate without the intermediate certificates is refused, and that server "
           "writes the report. For the relay from your server to the internet, KB 3212877 gives that fault as "
           "550 5.7.64 TenantAttribution."),
        N_("Fix the receiving side of your server: the certificate its receive connector presents (Default "
           "Frontend on Exchange), with its full chain from a public CA; port 25 open to Exchange Online; and for "
           "UntrustedRoot or TLS errors, trust in DigiCert Global Root G2 on your server."),
        NO_WIZARD_STEP, ("blog-digicert-g2-2026", "blog-hybrid-tls-2025", "KB3212877", "fix-4-4-317-untrusted-root"),
        (SUBJECT_MISMATCH,),
    ),
    Rule(
        "4.7.5 TlsCertificateName", (("4.7.5",), ("NoCredentials",), ("certificate specified in TlsCertificateName",)),
        N_("The send connector cannot find its certificate"),
        ON_PREMISES,
        N_("Your Exchange server could not use the certificate its send connector names in TlsCertificateName "
           "(the send connector's protocol log shows NoCredentials): the value is out of date after a renewal, "
           "the certificate is not enabled for SMTP, or it is not valid (expired, or without its private key)."),
        N_("Recompute the value as <I>issuer<S>subject from the installed certificate, set it on the send "
           "connector, and run Enable-ExchangeCertificate -Services SMTP for that certificate."),
        "certificate", ("KB4495258", "Set-SendConnector"),
    ),
    Rule(
        "UnknownCredentials / 451 4.4.0", (("UnknownCredentials",), ("4.4.0", "4.4.1", "Connection timed out"),
                                           ("4.4.1", "Connection timed out", "mail.protection.outlook.com")),
        N_("The send connector's certificate is not enabled for SMTP"),
        ON_PREMISES,
        N_("On the send connector that goes to Exchange Online over TLS, a queue that says 451 4.4.0 with "
           "421 4.4.1 Connection timed out often means that the certificate is not bound to the SMTP service "
           "(KB 4051498): the send connector's protocol log then shows \"TLS negotiation failed with error "
           "UnknownCredentials\". The third-party certificate is not enabled for SMTP, or its private key cannot be "
           "used. Without UnknownCredentials in the log, look at a firewall or the address instead."),
        N_("Run Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP for the certificate (answer No "
           "to replacing the default certificate), check that Get-ExchangeCertificate shows HasPrivateKey True, "
           "and retry the queue."),
        "certificate", ("KB4051498", "Enable-ExchangeCertificate"),
    ),
    Rule(
        "4.7.320 SubjectMismatch", (("4.7.320",), ("Certificate validation failed", "SubjectMismatch")),
        N_("Exchange Online got the wrong certificate from your server"),
        EXCHANGE_ONLINE,
        N_("Exchange Online raised this when it connected out to your server (hybrid mail to your mailboxes; you "
           "see it in its message trace): the certificate your server presented does not carry the name the "
           "outbound connector expects, often because the Default Frontend receive connector presents the "
           "self-signed default certificate."),
        N_("On each server that receives from Exchange Online, make the Default Frontend receive connector name "
           "the certificate (Set-ReceiveConnector -TlsCertificateName, or run the Hybrid Configuration Wizard "
           "again) and enable that certificate for SMTP."),
        NO_WIZARD_STEP, ("blog-4-7-320-2017", "blog-hybrid-tls-2025", "Set-ReceiveConnector"), (SUBJECT_MISMATCH,),
    ),
    Rule(
        "4.7.230 / 5.7.230 Out-of-date server",
        (("4.7.230",), ("5.7.230",), ("Connecting Exchange server version is out-of-date",)),
        N_("Exchange Online throttles or blocks your out-of-date Exchange server"),
        EXCHANGE_ONLINE,
        N_("Exchange Online throttles (4.7.230) and then blocks (5.7.230) mail over OnPremises connectors from "
           "Exchange servers that are out of support or missing updates; your server's queue and logs show it. "
           "Exchange 2010, 2013, 2016 and 2019 are out of support; Exchange Server SE is the supported version."),
        N_("Update the server; the Exchange admin center lists the servers under Reports > Mail flow > Out-of-date "
           "connecting on-premises Exchange servers. To buy time, pause enforcement for at most 90 days in a "
           "calendar year: New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays <days>."),
        "server", ("blog-pause-2023",), (), Dated(date(2023, 12, 12), CHECKED_SECTION_11),
    ),
    Rule(
        "4.7.66 TLS 1.0 and 1.1", (("4.7.66",), ("TLS 1.0 and 1.1 are not supported",)),
        N_("A client on the SMTP AUTH endpoint connected with TLS 1.0 or 1.1"),
        EXCHANGE_ONLINE,
        N_("This is the answer of smtp.office365.com, the endpoint where clients and devices sign in (SMTP AUTH), to "
           "one that offered only TLS 1.0 or 1.1: a client or device problem, not the relay. The MX endpoint that "
           "your relay server uses does not answer so. When TLS cannot be agreed there, a server that may send "
           "without TLS does so: Exchange Online sees no certificate and the relay fails with 550 5.7.64. A send "
           "connector that requires TLS, as the wizard sets it, keeps the message in its queue instead."),
        N_("Update the client or device so that it uses TLS 1.2 (Microsoft's page aka.ms/smtp_auth_tls). If your "
           "relay server fails with 5.7.64 and may lack TLS 1.2, turn it on as Microsoft's Exchange Server TLS "
           "guidance describes (Exchange 2010 and 2013, and older Windows Server, need it)."),
        NO_WIZARD_STEP, ("MC229914", "mfd-guide", "tls-guidance"),
    ),
    Rule(
        "4.4.397 Connection dropped", (("4.4.397",), ("4.4.2", "Connection dropped")),
        N_("A server lost its connection to the next server"),
        HOP_IN_TEXT,
        N_("Whichever server wrote this could not keep its connection to its next hop (451 4.4.397, often with "
           "421 4.4.2 Connection dropped): it may be Exchange Online delivering to a server on the internet, an "
           "Edge server sending out, or your server sending to Exchange Online. Read the hop in the report: the "
           "generating server and the last endpoint it tried. A TLS negotiation that failed is a common cause: "
           "TLS 1.2 not available, no common cipher suite, or a firewall that inspects SMTP and removes STARTTLS."),
        N_("On the server that wrote it, read the protocol log (or the mail log) around the failure. When that is "
           "your server, a TLS error points at TLS 1.2 (Microsoft's Exchange Server TLS guidance) or the certificate; "
           "also check that no firewall inspects SMTP on port 25. When it is Exchange Online, the receiving "
           "server at the endpoint it tried is the one to look at."),
        NO_WIZARD_STEP, ("tls-guidance", "blog-tls-guidance-2018"), (FAILING_HOP,),
    ),
    Rule(
        "5.7.3 STARTTLS is required", (("5.7.3", "STARTTLS is required", "!Must issue a STARTTLS command first"),),
        N_("Your server offered no TLS to Exchange Online"),
        ON_PREMISES,
        N_("Your Exchange server answered Exchange Online's connection without offering STARTTLS; Exchange Online's "
           "message trace shows it inside 450 4.4.317. After a new certificate is installed, the Default Frontend "
           "receive connector's TlsCertificateName may still name the old one (KB 2989382)."),
        N_("Enable the new certificate for SMTP, point the Default Frontend receive connector at it "
           "(Set-ReceiveConnector -TlsCertificateName), and run the Hybrid Configuration Wizard again."),
        NO_WIZARD_STEP, ("KB2989382", "Set-ReceiveConnector"),
    ),
    Rule(
        "5.7.0 Must issue a STARTTLS command first", (("Must issue a STARTTLS command first",),),
        N_("Exchange Online requires TLS and your server did not start it"),
        EXCHANGE_ONLINE,
        N_("Exchange Online refused mail that your server sent without TLS; your server's protocol log shows it. "
           "When your server tried TLS and gave up, it may not trust Exchange Online's certificate, which chains "
           "to DigiCert Global Root G2."),
        N_("Check that your server trusts DigiCert Global Root G2 (on Windows, Cert:\\LocalMachine\\Root; on "
           "Linux, the CA bundle), that TLS 1.2 works, and that the send connector requires TLS."),
        "server", ("MC1224565", "blog-digicert-g2-2026"), (), Dated(date(2026, 3, 16), CHECKED_SECTION_11),
    ),
    Rule(
        "5.7.51 TenantInboundAttribution", (("5.7.51",), ("partner connector configured that matched",)),
        N_("Your connector did not match, so the recipient's tenant received the message"),
        EXCHANGE_ONLINE,
        N_("Your OnPremises connector did not match the connection, so Exchange Online treated the message as "
           "inbound mail to the recipient's tenant, whose partner connector refused it."),
        N_("Make the send connector's TlsCertificateName and the inbound connector's TlsSenderCertificateName "
           "name the same certificate, with a connector value that is an accepted domain."),
        "connector", ("blog-hybrid-tls-2025", "MC1226222"),
    ),
    Rule(
        "4.4.62 ATTR35", (("4.4.62",), ("wrong Office 365 region",)),
        N_("Mail sent to the wrong Office 365 region"),
        EXCHANGE_ONLINE,
        N_("Your server sends to an old smart host (mail.messaging.microsoft.com, a FrontBridge name or a raw IP "
           "address) instead of your tenant's own MX endpoint. ATTR35 in the same text can also mean the second "
           "cause: no inbound connector, or none that matched, for mail sent outside your organization."),
        N_("Use your tenant's MX endpoint as the smart host: the MX record's \"Points to address\" in the "
           "Microsoft 365 admin center, like contoso-com.mail.protection.outlook.com. Then check that your inbound "
           "connector exists and matches your server."),
        "server-details", ("wrong-region", "KB3169958"),
    ),
    Rule(
        "ATTR35", (("ATTR35", "!4.4.62", "!wrong Office 365 region"),),
        N_("No inbound connector matched mail sent outside your organization"),
        EXCHANGE_ONLINE,
        N_("ATTR35 means mail was sent outside your organization without a properly configured inbound connector: "
           "none of type OnPremises exists, or none matched your server (its certificate name, or its IP address)."),
        N_("Make an inbound connector of type OnPremises identify your server by its certificate, with a name that "
           "is an accepted domain, and make your server present that certificate. The wizard gives the settings."),
        "connector", ("wrong-region", "KB3169958"),
    ),
    Rule(
        "5.7.54 Unable to relay", (("5.7.54",), ("Unable to relay recipient in non-accepted domain",)),
        N_("Your own Exchange server refused to relay"),
        ON_PREMISES,
        N_("The receive connector of your on-premises Exchange server refused the message before it reached "
           "Office 365: the device or application that sent it is not allowed to relay to outside domains."),
        N_("Create a dedicated receive connector for the devices' IP addresses that allows them to relay. This "
           "is not a connector certificate problem."),
        "server", ("anonymous-relay",),
    ),
    Rule(
        "5.7.57 Client not authenticated", (("5.7.57",), ("Client was not authenticated",)),
        N_("Sent to the sign-in submission endpoint without signing in"),
        EXCHANGE_ONLINE,
        N_("The server or device sends to smtp.office365.com, which is for clients that sign in (SMTP AUTH), "
           "not for relaying through a connector."),
        N_("Send to your tenant's MX endpoint on port 25 with a connector instead of smtp.office365.com."),
        "server-details", ("mfd-guide",),
    ),
    Rule(
        "5.7.68 Direct Send not allowed", (("5.7.68",), ("Direct Send not allowed",)),
        N_("Direct Send is turned off and no connector matched"),
        EXCHANGE_ONLINE,
        N_("Your tenant rejects Direct Send (RejectDirectSend), and the message did not match any inbound "
           "connector, so it was treated as Direct Send and refused."),
        N_("A device or application that used Direct Send needs an inbound connector of type Partner that "
           "identifies it by its IP address or certificate (MC1093237), not an OnPremises connector. Mail your "
           "relay server sends needs your OnPremises connector to match its certificate."),
        "connector", ("blog-direct-send-2025", "MC1093237"),
    ),
    Rule(
        "5.4.1 Relay Access Denied", (("5.4.1", "Relay Access Denied"),),
        N_("Relay access denied"),
        EXCHANGE_ONLINE,
        N_("Relaying from your on-premises server, Exchange Online did not take the message as coming through a "
           "connector of your tenant (KB 2827473): the send connector does not deliver to your tenant's MX "
           "endpoint, or the inbound connector is missing, set up wrongly or turned off."),
        N_("Point the send connector's smart host at your tenant's MX endpoint and check that the inbound "
           "connector exists, is turned on and matches your server."),
        "server-details", ("KB2827473", "KB3169958", "set-up-connectors"),
    ),
    Rule(
        "5.4.1 Recipient address rejected", (("5.4.1", "!Relay Access Denied"),),
        N_("The recipient's address does not exist where the message went"),
        HOP_IN_TEXT,
        N_("The server that answered refused the recipient, so this hop is not your relay. From Exchange Online "
           "(\"Recipient address rejected: Access denied\"), Directory-Based Edge Blocking refused the message "
           "because the address does not exist in the receiving organization: it is misspelled, or the recipient "
           "has not reached Exchange Online's directory there (in a hybrid organization, an on-premises mailbox, "
           "mail-enabled public folder or dynamic distribution group)."),
        N_("Check the spelling of the address. The receiving organization's admin checks whether other recipients "
           "in the domain fail too; if all do, they switch the accepted domain from Authoritative to Internal relay "
           "and back (Exchange admin center > Mail flow > Accepted domains). For one on-premises mailbox in a "
           "hybrid organization, they change its SMTP proxy address and change it back, then allow up to 24 hours; "
           "an on-premises mail-enabled public folder must be synchronized to Exchange Online, and an on-premises "
           "dynamic distribution group needs a mail contact in Exchange Online with its address."),
        NO_WIZARD_STEP, ("fix-5-4-1",), (FAILING_HOP,), NDR_PAGES_2026_10,
    ),
    Rule(
        "5.7.750 Unregistered domain", (("5.7.750",), ("unregistered domain",)),
        N_("Exchange Online blocked sending from domains not registered in your tenant"),
        EXCHANGE_ONLINE,
        N_("Exchange Online blocked your tenant from sending as domains that are not added and validated in it: "
           "too much of its mail came from unregistered domains. A less common cause is a connector set up wrongly."),
        N_("Add and validate every domain your servers send as (Microsoft 365 admin center > Settings > Domains). "
           "Relay through an inbound connector that identifies your server by a certificate whose name is an "
           "accepted, validated domain: the wizard gives the settings. Look for connectors you did not create and "
           "for compromised accounts. Then ask Microsoft support to lift the block."),
        "connector", ("ndr-5-7-750",), (), NDR_PAGES_2026_10,
    ),
    Rule(
        "5.7.708 Traffic not accepted from this IP", (("5.7.708",), ("traffic not accepted from this IP",)),
        N_("Exchange Online does not send from this IP address for your tenant"),
        EXCHANGE_ONLINE,
        N_("Exchange Online refused to send the message out from an IP address with a low reputation. It happens "
           "most to new tenants, such as those on a Microsoft 365 trial. This is not the certificate relay's "
           "rule: the connector cannot change it."),
        N_("During a trial, ask Microsoft support for an IP address exception until you assign Exchange Online "
           "licenses."),
        NO_WIZARD_STEP, ("ndr-5-7-750",), (), NDR_PAGES_2026_10,
    ),
    Rule(
        "5.7.139 SMTP AUTH refused", (("5.7.139",),),
        N_("A client's sign-in to SMTP AUTH was refused"),
        EXCHANGE_ONLINE,
        N_("A device or application signed in to smtp.office365.com (SMTP AUTH) and Exchange Online refused it: "
           "Basic authentication or SMTP AUTH is turned off for the tenant or the mailbox, or security defaults "
           "block it. This is not the certificate relay."),
        N_("When the reply says SMTP AUTH is disabled for the tenant or the mailbox, no sign-in works there, OAuth "
           "included: turn on Authenticated SMTP for the mailbox the device uses (Microsoft 365 admin center, the "
           "user's Mail > Manage email apps), or relay through your server that presents the certificate. Otherwise "
           "move the device to OAuth. See \"Devices that cannot present a certificate\"."),
        NO_WIZARD_STEP, ("mfd-guide", "blog-smtp-auth-2026"),
    ),
    Rule(
        "5.7.30 Basic authentication not supported", (("5.7.30",),),
        N_("SMTP AUTH with Basic authentication is not supported"),
        EXCHANGE_ONLINE,
        N_("A device or application signed in to smtp.office365.com with a user name and password (Basic "
           "authentication), and Exchange Online refused it. Microsoft's timeline: unchanged until December 2026; "
           "at the end of December 2026 Basic authentication for SMTP AUTH is turned off by default for existing "
           "tenants (admins can still turn it on) and is unavailable for new tenants; Microsoft announces the "
           "final removal date in the second half of 2027. This is not the certificate relay."),
        N_("Move the device to OAuth, or to relay through your server that presents the certificate; see "
           "\"Devices that cannot present a certificate\"."),
        NO_WIZARD_STEP, ("mfd-guide", "blog-smtp-auth-2026", "blog-smtp-auth-basic"), (),
        Dated(date(2026, 1, 27), CHECKED_SECTION_11),
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
