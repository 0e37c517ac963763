"""What the plan tells the admin, as data: each statement with the sources it rests on.

An :class:`Advice` is one rule the plan applies, in words. Its text is marked
for translation and may hold ``%(name)s`` fields; its ``sources`` are ids in
app.remediation.sources. The builders say a rule with :meth:`Advice.say` and
collect the sources of what they said into the checklist item
(:func:`sources_of`), so a printed plan shows where each step comes from.
Bump RULESET_VERSION (app/remediation/rules.py) when a text or a source changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.remediation.rules import CHECKED_SECTION_11, Dated
from app.remediation.sources import Source, cite
from app.translate import N_, Translate


@dataclass(frozen=True)
class Advice:
    id: str
    text: str                   # N_-marked English
    sources: tuple[str, ...]    # ids in app.remediation.sources.SOURCES
    dated: Dated | None = None  # a rule whose truth depends on the date: said with "as of" its date

    def say(self, _: Translate, **params: object) -> str:
        text = _(self.text, **params)
        if self.dated is None:
            return text
        return _("%(text)s (as of %(date)s)", text=text, date=self.dated.as_of.isoformat())


def sources_of(*advice: Advice, extra: tuple[str, ...] = ()) -> list[Source]:
    return cite(*(i for a in advice for i in a.sources), *extra)


# The accepted-domain rule (the register-domain step).
REGISTER_DOMAIN_RULE = Advice("register_domain_rule", N_(
    "Exchange Online relays mail whose envelope sender is not one of your accepted domains (non-delivery reports, "
    "mail sent as other domains, forwarding) only when the name on your server's certificate, as entered on the "
    "connector, is one of your accepted domains."
), ("KB3169958", "KB4019940", "blog-relay-2023"))

# Exchange Online (step 1 of the KB).
CONNECTOR_STEPS = Advice("connector_steps", N_(
    "Create (or edit) an inbound connector from your organization's email server that identifies the server "
    "by the certificate's name, a name under one of your accepted domains."
), ("KB3169958", "set-up-connectors", "New-InboundConnector"))
# The classic Exchange admin center is retired: the plan gives the new one's steps only.
NEW_EAC_ONLY = Advice("new_eac_only", N_("In the new Exchange admin center:"), ("MC283874",))
REQUIRE_TLS = Advice("require_tls", N_(
    "RequireTls $true goes with TlsSenderCertificateName, as in Microsoft's examples and the connectors that the "
    "admin center and the Hybrid Configuration Wizard make: Exchange Online then takes mail from your server only "
    "over TLS, where it can see the certificate. What attributes the relayed mail to your organization is the "
    "certificate's name matching TlsSenderCertificateName, a name under one of your accepted domains, not RequireTls."
), ("New-InboundConnector", "Set-InboundConnector"))
TREAT_AS_INTERNAL = Advice("treat_as_internal", N_(
    "Optional, for servers other than Exchange: TreatMessagesAsInternal $true makes Exchange Online treat "
    "their mail as internal. Microsoft warns of \"potential security risks (for example, internal messages "
    "bypass antispam filtering)\": use it only if you need it, and never together with CloudServicesMailEnabled "
    "$true. Remove the # to use it."
), ("New-InboundConnector", "Set-InboundConnector"))
HCW_REWRITES = Advice("hcw_rewrites", N_(
    "The Hybrid Configuration Wizard manages its own connectors (\"Inbound from <GUID>\" in Exchange Online, "
    "\"Outbound to Office 365 - <GUID>\" on your server) and rewrites them each time it runs: a change made by "
    "hand to one of them lasts only until the next run. Change what it writes by running it again with the "
    "right certificate."
), ("blog-hybrid-tls-2025", "KB2989382"))
HYBRID_VIA_HCW = Advice("hybrid_via_hcw", N_(
    "The Hybrid Configuration Wizard made and manages the connectors to Exchange Online: the change goes through it. "
    "Once the certificate is installed and enabled for SMTP on your servers (the step before), run the wizard again "
    "and, on its Transport Certificate page, choose %(certificate)s. Do not add a second OnPremises connector "
    "beside the wizard's."
), ("tenantattribution-external", "KB3169958", "blog-hybrid-tls-2025"))
HYBRID_CHECK_INBOUND = Advice("hybrid_check_inbound", N_(
    "Check: the wizard's connector (ConnectorSource HybridWizard) must show RequireTls True and "
    "TlsSenderCertificateName %(domain)s. If the wizard wrote another name of the certificate, that name must be "
    "covered by your accepted domains: add it as an accepted domain (KB 4019940) rather than edit the wizard's "
    "connector."
), ("KB4019940", "blog-hybrid-tls-2025", "Get-InboundConnector"))
HCW_FALLBACK = Advice("hcw_fallback", N_(
    "Fallback, only if the Hybrid Configuration Wizard cannot be run: set the value on the wizard's connector by "
    "hand (remove the # to use the lines below)."
), ("tenantattribution-external", "Set-InboundConnector"))
UNPATCHED_PAUSE = Advice("unpatched_pause", N_(
    "If Exchange Online throttles or blocks your Exchange server as out of date (450 4.7.230 or 550 5.7.230), "
    "update the server. A pause of at most 90 days in a calendar year buys time: remove the # on the next line to "
    "use it."
), ("blog-pause-2023",), Dated(date(2023, 12, 12), CHECKED_SECTION_11))

# Exchange Server (step 3 of the KB).
IMPORT_PFX = Advice("import_pfx", N_(
    "Import the certificate with its private key from the .pfx file (change the path; the command asks for "
    "the file's password). The Exchange Management Shell works on every version: Exchange 2010 has no "
    "Exchange admin center, and current builds of Exchange 2016, 2019 and SE have no certificate import in it."
), ("Import-ExchangeCertificate",))
INTERMEDIATES = Advice("intermediates", N_(
    "Install the intermediate CA certificates: Exchange Online does not fetch them, and without them it refuses "
    "the relay with 550 5.7.64 TenantAttribution (and this server logs CAPI2 error 800B0109). Get them as "
    ".cer files first: the plan's download of the intermediate certificates holds intermediate-1.cer and "
    "the others, or save each one from your CA or from the certificate's Certification Path in the "
    "Certificates snap-in."
), ("KB3212877",))
CERTUTIL = Advice("certutil", N_(
    "certutil -addstore CA works on every Windows Server version. Import-Certificate needs Windows Server 2012 "
    "or later, and Exchange 2010 and 2013 may run on Windows Server 2008 R2."
), ("certutil", "import-certificate", "exchange-2013-requirements"))
ENABLE_SMTP = Advice("enable_smtp", N_(
    "Enable the certificate for SMTP. When asked whether to replace the default SMTP certificate, answer No: "
    "internal mail between your servers keeps the default one."
), ("Enable-ExchangeCertificate", "KB2989382"))
TLS_NAME_ON_SERVER = Advice("tls_name_on_server", N_(
    "The send connector names its certificate by issuer and subject, read here from the certificate on the "
    "server. The value computed from your file is only a check: Windows versions differ in how they print "
    "some name parts."
), ("New-SendConnector", "dotnet-x500"))
SEND_CONNECTOR_ONCE = Advice("send_connector_once", N_(
    "Once for the organization, on one of the servers above: send connectors are organization-wide, so a second "
    "run fails. -SourceTransportServers lists the servers that may use the connector; add the others to the "
    "list, each of them with the certificate installed as above."
), ("New-SendConnector",))
EGRESS_FRONTEND = Advice("egress_frontend", N_(
    "Your send connector proxies its mail through the front end (FrontendProxyEnabled True): the Front End Transport "
    "service makes the connection to Exchange Online and presents the certificate. Install it on every Mailbox "
    "server whose front end may proxy the mail, and keep FrontendProxyEnabled on the new send connector."
), ("set-up-connectors", "New-SendConnector"))
EGRESS_EDGE = Advice("egress_edge", N_(
    "Mail leaves through an Edge Transport server: it makes the connection to Exchange Online and presents the "
    "certificate. Install the certificate with its intermediates on each Edge server and enable it for SMTP there; "
    "the send connector is made once in the organization on a Mailbox server, and EdgeSync copies it to the Edge servers."
), ("set-up-connectors", "New-SendConnector"))
EGRESS_UNSURE = Advice("egress_unsure", N_(
    "First find the server that makes the connection to Exchange Online, since the certificate must be on it: an "
    "Edge Transport server if your send connector's source is one (ServerRole Edge), the front end of the Mailbox "
    "servers if FrontendProxyEnabled is True, else the send connector's source servers. The commands below are "
    "for the last case; run them on the server you found."
), ("set-up-connectors", "New-SendConnector"))
EGRESS_2010 = Advice("egress_2010", N_(
    "Exchange 2010 has no front end proxy for send connectors: its Hub Transport servers make the connection, so "
    "the certificate goes on each of them."
), ("New-SendConnector",))
SEND_CONNECTOR_EDGE = Advice("send_connector_edge", N_(
    "Once for the organization, on a Mailbox server: send connectors are organization-wide, so a second run fails. "
    "-SourceTransportServers names the subscribed Edge servers, the ones that connect to Exchange Online; EdgeSync "
    "copies the connector to them."
), ("New-SendConnector", "set-up-connectors"))
FQDN_2010 = Advice("fqdn_2010", N_(
    "Exchange 2010 cannot name the certificate on a send connector (no TlsCertificateName and no "
    "CloudServicesMailEnabled): it uses the SMTP-enabled certificate whose name matches the connector's FQDN. "
    "The FQDN must therefore be a name on the certificate."
), ("New-SendConnector",))
WILDCARD_ONLY_FQDN = Advice("wildcard_only_fqdn", N_(
    "The certificate holds only wildcard names and the server's FQDN is not one of them: add -Fqdn with the "
    "server's name under the certificate's domain to the send connector."
), ("New-SendConnector",))
EXISTING_STAR_CONNECTOR = Advice("existing_star_connector", N_(
    "Exchange picks the send connector with the most specific address space, then the lowest cost, then, on equal "
    "cost, the one whose name sorts first: beside an existing connector for * of equal cost, the new one may never "
    "be used (\"Internet\" sorts before \"To Office 365\"). So the commands create the new connector first, while "
    "the old one keeps mail flowing, and then turn the old one off; to go back, turn it on again. Instead of "
    "turning it off, you may give it the address spaces it is really for (Set-SendConnector -AddressSpaces), or a "
    "higher cost than the new one's 1 (Set-SendConnector -AddressSpaces 'SMTP:*;10')."
), ("connector-selection", "send-connectors", "Set-SendConnector"))
VALIDATION_CHOICE = Advice("validation_choice", N_(
    "CertificateValidation checks the Office 365 certificate. The Hybrid Configuration Wizard uses -TlsAuthLevel "
    "DomainValidation -TlsDomain mail.protection.outlook.com instead; both work."
), ("set-up-connectors", "New-SendConnector"))
RENEWAL_FOLLOWS = Advice("renewal_follows", N_(
    "When the certificate is renewed with another issuer or subject, read $tlsCertificateName again and update "
    "the send connector (Set-SendConnector -TlsCertificateName $tlsCertificateName): until then, relay fails."
), ("Set-SendConnector",))
TLS12 = Advice("tls12", N_(
    "Exchange Online refuses connections over TLS 1.0 and 1.1. Exchange 2010 and 2013, and Windows Server older than "
    "2012, need TLS 1.2 turned on for Windows (Schannel) and .NET as Microsoft's Exchange Server TLS guidance "
    "describes. Check: under TLS 1.2\\Client, Enabled must read 1 and DisabledByDefault 0; without the key, "
    "Windows uses its default, which is off on Windows Server 2008 R2."
), ("MC229914", "tls-guidance", "blog-tls-guidance-2018"))
DIGICERT_G2 = Advice("digicert_g2", N_(
    "Exchange Online's certificates chain to DigiCert Global Root G2: this server must trust it and its subordinate "
    "CAs, a requirement since 22 March 2026. Windows with automatic root updates gets them by itself. The next line "
    "must list that root; if it lists nothing, download the Microsoft 365 Root Certificate Chain Bundle from "
    "Microsoft (the one republished on 16 March 2026) and import its root into Trusted Root Certification "
    "Authorities (Cert:\\LocalMachine\\Root) and its intermediate certificates into Intermediate Certification "
    "Authorities (Cert:\\LocalMachine\\CA)."
), ("MC1224565", "blog-digicert-g2-2026"), Dated(date(2026, 3, 16), CHECKED_SECTION_11))
HYBRID_RERUN = Advice("hybrid_rerun", N_(
    "Run the Hybrid Configuration Wizard again. On its Transport Certificate page choose the certificate issued "
    "to %(subject)s (thumbprint %(thumbprint)s)."
), ("KB3169958", "blog-hybrid-tls-2025"))
HYBRID_CHECK = Advice("hybrid_check", N_(
    "Then check the send connector the wizard made (Outbound to Office 365 - <GUID>): it must require TLS, and "
    "its TlsCertificateName must equal the value the last line prints."
), ("New-SendConnector", "blog-hybrid-tls-2025"))
HYBRID_CHECK_2010 = Advice("hybrid_check_2010", N_(
    "Then check the send connector the wizard made: it must require TLS, and its FQDN must be a name on this "
    "certificate. Exchange 2010 selects the certificate by the connector's FQDN; it has no TlsCertificateName."
), ("New-SendConnector",))
RENEWAL_WILDCARD = Advice("renewal_wildcard", N_(
    "The new connector says %(value)s, a wildcard: no name on the new certificate is an accepted domain itself, and "
    "%(value)s works because %(domain)s is one. But then any other certificate under %(domain)s, for example one a "
    "server uses to send to another tenant, also matches this connector, which Microsoft does not recommend. "
    "Preferred: add %(host)s as an accepted domain (Microsoft 365 admin center > Settings > Domains) and put "
    "%(host)s on the connector instead."
), ("KB4019940", "blog-relay-2023"))
HYBRID_RECEIVE = Advice("hybrid_receive", N_(
    "Hybrid: Exchange Online delivers to your servers through the Default Frontend receive connector, which names "
    "the certificate too. Until it names the new one, mail from Exchange Online fails with 451 5.7.3 STARTTLS is "
    "required (KB 2989382). Run on each server that receives from Exchange Online:"
), ("KB2989382", "Set-ReceiveConnector"))

# Servers other than Exchange.
CHAIN_FILES = Advice("chain_files", N_(
    "Start from three PEM files: %(cert)s (your certificate), %(intermediates)s (the intermediate certificates) and "
    "%(key)s (its private key, readable only by root and the mail system). The commands build %(chain)s from them: "
    "the certificate first, then the intermediates. Exchange Online does not fetch intermediates: without them it "
    "refuses the relay with 550 5.7.64 TenantAttribution."
), ("KB3212877",))
POSTFIX_RELAYHOST = Advice("postfix_relayhost", N_(
    "relayhost sends all mail that is not delivered locally through Office 365. After a test message, the mail "
    "log must show a TLS connection to %(mx)s. The log is /var/log/mail.log on Debian and Ubuntu, "
    "/var/log/maillog on Red Hat Enterprise Linux, or the systemd journal where no syslog daemon writes files "
    "(journalctl -u 'postfix*': Debian names the unit postfix@-)."
), ("postfix-tls", "syslog-debian", "syslog-rhel"))
SENDMAIL_CHAIN = Advice("sendmail_chain", N_(
    "If the relay is refused with 550 5.7.64 TenantAttribution although the certificate's name is right, check "
    "that Sendmail sends the intermediates: older releases may send only the first certificate of confCLIENT_CERT."
), ("sendmail-tls", "KB3212877"))
SENDMAIL_REQUIRE_TLS = Advice("sendmail_require_tls", N_(
    "To refuse sending without TLS, add the line TLS_Srv:%(mx)s ENCR:128 to /etc/mail/access (needs "
    "FEATURE(`access_db')) and rebuild it with makemap."
), ("sendmail-tls",))
EXIM_ROUTER = Advice("exim_router", N_(
    "exim -bt must name the router office365_relay for an external address. With Debian's split configuration, "
    "put the router and transport in their own files and run update-exim4.conf. The main log is "
    "/var/log/exim4/mainlog on Debian and Ubuntu and /var/log/exim/main.log on Red Hat Enterprise Linux "
    "(exim -bP log_file_path shows a changed path)."
), ("exim-smtp-transport",))
DEVICE_CERTIFICATE = Advice("device_certificate", N_(
    "If the device's documentation describes a client certificate for outgoing SMTP, configure the certificate "
    "with its full chain and the MX endpoint %(mx)s on port 25 with STARTTLS."
), ("KB3169958", "mfd-guide"))
DEVICE_OTHER_WAYS = Advice("device_other_ways", N_(
    "A device that cannot present a certificate has other ways to send: SMTP AUTH client submission, Direct "
    "Send, an IP-based connector, or relay through a server that presents the certificate. Only the last covers "
    "non-delivery reports, mail sent as other domains and forwarding to external addresses: an IP-based "
    "connector relays only when the envelope sender is one of your accepted domains. Compare them on the page "
    "\"Devices that cannot present a certificate\"."
), ("mfd-guide", "MC1226222", "blog-relay-2023"))

# Checking the result (the verify step): facts section 11, "Verifying".
HEADER_PROOF = Advice("header_proof", N_(
    "The proof is the relayed message's headers at the external mailbox: paste them into the header reader. "
    "Exchange Online attributed the message to your organization when they show "
    "X-MS-Exchange-CrossTenant-FromEntityHeader: HybridOnPrem, X-MS-Exchange-Organization-AuthAs: Internal together "
    "with an Exchange Online hop (a Received line by a server under prod.outlook.com or protection.outlook.com), and "
    "X-EOPTenantAttributedMessage with your tenant ID. AuthAs Anonymous, or FromEntityHeader Internet, means it was "
    "not; AuthAs without an Exchange Online hop proves nothing, as your own Exchange server writes it too."
), ("headers-attribution", "blog-relay-2023"))
TRACE_PROOF = Advice("trace_proof", N_(
    "Or find the test message in the message trace (command below): to the external recipient, Status Delivered. "
    "A message that Exchange Online refused while your server sent it (550 5.7.64) may not be in the trace at all: "
    "your server's queue or its non-delivery report shows that refusal."
), ("Get-MessageTraceV2", "KB3212877"))
NDR_TEST = Advice("ndr_test", N_(
    "A non-delivery report proves the relay only when your on-premises server writes it: when your domain's MX record "
    "points to your server, or when Exchange Online passes mail for unknown addresses on to it (an accepted domain of "
    "type Internal Relay). Otherwise Exchange Online bounces the message itself and the test proves nothing. To "
    "tell, open the report at the external mailbox: its Reporting-MTA (the generating server) must be your server, "
    "not one under outlook.com."
), ("KB3169958", "set-up-connectors"))
NON_ACCEPTED_REPORT = Advice("non_accepted_report", N_(
    "In the Exchange admin center, Reports > Mail flow > Non-accepted domain report lists messages from your "
    "on-premises organization whose sender domain is not one of your accepted domains: a test message sent as "
    "another domain (KB 3169958 scenario 2) that was relayed appears there. It is not a list of failures."
), ("non-accepted-domain-report", "KB3169958"))
OPENSSL_TEST = Advice("openssl_test", N_(
    "With OpenSSL and the certificate files, this opens a TLS session to the MX endpoint the way your server "
    "does: -cert presents the certificate, -cert_chain the intermediates (not the certificate again). A completed "
    "handshake shows only that the endpoint is reachable over TLS and accepted the files: Exchange Online matches "
    "the connector later. Typing mail from and rcpt to in this session proves nothing either: Exchange Online "
    "answers 250 for recipients in any Microsoft 365 organization. Type quit: nothing is sent."
), ("openssl-s_client", "KB3212877", "KB3169958"))

# Warnings the plan itself adds (their ids are the finding codes).
ONE_CERTIFICATE_PER_TENANT = Advice("one_certificate_per_tenant", N_(
    "If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and "
    "send connector (message center MC1226222): mail presenting this certificate is attributed to the "
    "organization whose connector matches it."
), ("MC1226222",))
CONNECTOR_DOMAIN_NOT_ON_CERTIFICATE = Advice("connector_domain_not_on_certificate", N_(
    "%(domain)s does not match a name on the certificate under one of your accepted domains: Exchange Online "
    "will not match the connector to this certificate."
), ("KB3169958",))
CONNECTOR_DOMAIN_INTERNAL = Advice("connector_domain_internal", N_(
    "%(domain)s exists only inside your network: no public CA issues a certificate for it and "
    "Microsoft 365 cannot verify it as a domain, so it cannot go on the connector."
), ("KB3169958", "cabf-internal-names"))
EXISTING_CONNECTOR_UNNAMED = Advice("existing_connector_unnamed", N_(
    "Enter the name of your existing certificate connector to edit it; the plan creates a new connector "
    "meanwhile, and two connectors for the same certificate confuse the matching."
), ("KB3169958",))
MX_ENDPOINT_UNCONFIRMED = Advice("mx_endpoint_unconfirmed", N_(
    "No confirmed MX endpoint: the commands hold %(placeholder)s where the smart host goes, so that nothing is "
    "sent to a guessed host. Replace it with the MX record's \"Points to address\" shown for your domain in the "
    "Microsoft 365 admin center (Settings > Domains). For %(domain)s it is often %(guess)s if the domain was "
    "added before July 2026; domains added since then, and domains moved for DNSSEC, use a name that ends in "
    ".mx.microsoft instead."
), ("KB3169958", "MC1048624"))
REPLACE_PLACEHOLDER = Advice("replace_placeholder", N_(
    "Replace %(placeholder)s with your MX endpoint before you use these lines: as they stand, the server would hold "
    "all mail for the internet in its queue."
), ("KB3169958", "MC1048624"))
EXCHANGE_BLOCKED = Advice("exchange_blocked", N_(
    "Exchange Online throttles and then blocks mail over OnPremises connectors from %(server)s, out of support "
    "since %(date)s (450 4.7.230, then 550 5.7.230), so no plan for it is ready. Upgrade: move the mail flow to "
    "Exchange Server SE, the supported version, and follow this plan on it."
), ("blog-tbes-2023", "blog-pause-2023"), Dated(date(2023, 12, 12), CHECKED_SECTION_11))
EXCHANGE_PAUSE = Advice("exchange_pause", N_(
    "Stop-gap until then: pause the throttling and blocking in Exchange Online PowerShell with "
    "New-TenantExemptionInfo. The pauses of a calendar year add up to at most 90 days; the Exchange admin center "
    "shows the affected servers under Reports > Mail flow > Out-of-date connecting on-premises Exchange servers."
), ("blog-pause-2023",), Dated(date(2023, 12, 12), CHECKED_SECTION_11))
EXCHANGE_OUT_OF_SUPPORT = Advice("exchange_out_of_support", N_(
    "%(server)s is out of support since %(date)s; Exchange Server SE is the supported version. Exchange Online "
    "throttles and then blocks mail over OnPremises connectors from out-of-date Exchange servers (450 4.7.230, "
    "550 5.7.230): see the report in the Exchange admin center under Reports > Mail flow > Out-of-date "
    "connecting on-premises Exchange servers."
), ("blog-pause-2023",), Dated(date(2023, 12, 12), CHECKED_SECTION_11))

# The warnings the plan adds, by finding code.
WARNINGS = {a.id: a for a in (ONE_CERTIFICATE_PER_TENANT, CONNECTOR_DOMAIN_NOT_ON_CERTIFICATE, CONNECTOR_DOMAIN_INTERNAL,
                              EXISTING_CONNECTOR_UNNAMED, MX_ENDPOINT_UNCONFIRMED, EXCHANGE_OUT_OF_SUPPORT)}
