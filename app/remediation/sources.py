"""Where each rule comes from: Microsoft's KBs, cmdlet references, blog posts and message-center posts.

Every rule the plan, the renewal check and the error decoder apply names one or
more of these ids in the data that holds it (tests/remediation/test_sources.py
fails on a rule without one). Titles are the documents' own, or for a KB a short
description of it, and are not translated. A message-center post or a
distribution's default file has no public address: its title is the source.
"""
from __future__ import annotations

from dataclasses import dataclass

LEARN = "https://learn.microsoft.com/"
CMDLETS = LEARN + "powershell/module/exchangepowershell/"
BLOG = "https://techcommunity.microsoft.com/"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""


def _kb(number: str, title: str) -> Source:
    return Source(f"KB{number}", f"KB {number}: {title}", f"https://support.microsoft.com/help/{number}")


def _cmdlet(name: str) -> Source:
    return Source(name, f"{name} (cmdlet reference)", CMDLETS + name.lower())


_ALL = (
    _kb("3169958", "Important notice for Office 365 email customers who have configured connectors"),
    _kb("3212877", "550 5.7.64 TenantAttribution when sending emails through Exchange Online Protection"),
    _kb("2989382", "Can't receive mail in a hybrid environment after you install a new certificate on the server"),
    _kb("4051498", "Outbound email messages are not sent on the Exchange Hub Transport or Edge server"),
    _kb("4495258", "TLS negotiation failed with error NoCredentials if messages to external domains are deferred"),
    _kb("4019940", "550 5.7.64 ATTR36 warning from the Hybrid Configuration Wizard"),
    _kb("2827473", "\"Relay Access Denied\" NDR when you send mail from an on-premises Exchange organization through "
        "Exchange Online Protection"),
    Source("tenantattribution-external", "Exchange troubleshooting: 550 5.7.64 TenantAttribution when sending mail "
           "externally (Option 1: run the Hybrid Configuration Wizard again, recommended for hybrid customers)"),
    # Checked 2026-12-07: the page (ms.date 2 October 2026) is about Directory-Based Edge Blocking.
    Source("fix-5-4-1", "Fix NDR error \"550 5.4.1\" in Exchange Online (Recipient address rejected: Access denied)"),
    Source("fix-4-4-317-untrusted-root", "NDR error code 450 4.4.317 \"Cannot connect to remote server "
           "[Message=UntrustedRoot]\" (Exchange Online, 17 April 2024)"),
    Source("ndr-5-7-750", "Fix NDR error codes 550 5.7.703, 550 5.7.705, 550 5.7.708, and 550 5.7.750 (Exchange Online, "
           "2 October 2026)"),
    Source("non-accepted-domain-report", "Non-accepted domain report in the new Exchange admin center"),
    Source("connector-selection", "Exchange Server: connector selection (address space, cost, then the lowest "
           "alphanumeric name)"),
    Source("MC1093237", "Message center MC1093237: RejectDirectSend; devices that used Direct Send authenticate "
           "through a partner connector (2025)"),
    Source("blog-tbes-2023", "Exchange Team blog: Throttling and Blocking Email from Persistently Vulnerable Exchange "
           "Servers to Exchange Online (March 2023)"),
    Source("blog-smtp-auth-2026", "Exchange Team blog: Updated Exchange Online SMTP AUTH Basic Authentication "
           "Deprecation Timeline (27 Jan 2026)"),
    Source("headers-attribution", "EOP Field Notes: Use headers to determine which tenant a message was attributed to "
           "(2019)"),
    Source("cabf-internal-names", "CA/Browser Forum Baseline Requirements: publicly trusted CAs issue no "
           "certificates for internal names or reserved IP addresses (since 1 Oct 2016)",
           "https://cabforum.org/working-groups/server/baseline-requirements/requirements/"),
    Source("MC1226222", "Message center MC1226222: attribution of mail over OnPremises connectors (Feb 2026)"),
    Source("MC283874", "Message center MC283874: the classic Exchange admin center is retired (Sept 2022)"),
    Source("MC229914", "Message center MC229914: TLS 1.0 and 1.1 no longer supported by Exchange Online (2021)"),
    Source("MC1224565", "Message center MC1224565: trust DigiCert Global Root G2 (2026)"),
    Source("MC1048624", "Message center MC1048624: DNSSEC MX records for new accepted domains (2026)"),
    Source("blog-relay-2023", "Exchange Team blog: Updated Requirements for SMTP Relay through Exchange Online (June 2023)",
           BLOG + "t5/exchange-team-blog/updated-requirements-for-smtp-relay-through-exchange-online/ba-p/3851357"),
    Source("blog-pause-2023", "Exchange Team blog: How to pause throttling and blocking of out-of-date on-premises "
           "Exchange Servers (Dec 2023)",
           BLOG + "t5/exchange-team-blog/how-to-pause-throttling-and-blocking-of-out-of-date-on-premises/ba-p/4007169"),
    Source("blog-hybrid-tls-2025", "Exchange Team blog: TLS Certificates in Exchange Hybrid - Common Issues & How to "
           "Fix them (June 2025)",
           BLOG + "blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592"),
    Source("blog-digicert-g2-2026", "Exchange Team blog: Trust DigiCert Global Root G2 Certificate Authority to Avoid "
           "Exchange Online Email Disruption (Jan 2026)",
           BLOG + "blog/exchange/trust-digicert-global-root-g2-certificate-authority-to-avoid-exchange-online-ema/4488311"),
    Source("blog-smtp-auth-basic", "Exchange Team blog: Exchange Online to retire Basic auth for Client Submission "
           "(SMTP AUTH)",
           BLOG + "blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750"),
    Source("blog-direct-send-2025", "Exchange Team blog: Introducing more control over Direct Send in Exchange Online",
           BLOG + "blog/exchange/introducing-more-control-over-direct-send-in-exchange-online/4408790"),
    Source("blog-4-7-320-2017", "Exchange blog (archive): Mail not routing to on-premise Exchange 2013 environment from "
           "O365 with 450 4.7.320 Certificate validation failed error (2017)",
           LEARN + "archive/blogs/exchangechallengeaccepted/mail-not-routing-to-on-premise-exchange-2013-environment-"
           "from-o365-with-450-4-7-320-certificate-validation-failed-error"),
    Source("wrong-region", "Exchange troubleshooting: 451 4.4.62 Mail sent to the wrong Office 365 region (ATTR35)"),
    Source("anonymous-relay", "Allow anonymous relay on Exchange servers",
           LEARN + "exchange/mail-flow/connectors/allow-anonymous-relay"),
    Source("tls-guidance", "Exchange Server TLS configuration best practices", LEARN + "exchange/exchange-tls-configuration"),
    Source("blog-tls-guidance-2018", "Exchange Team blog: Exchange Server TLS guidance Part 2: Enabling TLS 1.2 and "
           "Identifying Clients Not Using It (2018)",
           BLOG + "t5/Exchange-Team-Blog/Exchange-Server-TLS-guidance-Part-2-Enabling-TLS-1-2-and/ba-p/607761"),
    Source("lifecycle-2010", "Microsoft Lifecycle: Exchange Server 2010 (support ended 13 Oct 2020)",
           LEARN + "lifecycle/products/exchange-server-2010"),
    Source("lifecycle-2013", "Microsoft Lifecycle: Exchange Server 2013 (support ended 11 Apr 2023)",
           LEARN + "lifecycle/products/exchange-server-2013"),
    Source("lifecycle-2016", "Microsoft Lifecycle: Exchange Server 2016 (support ended 14 Oct 2025)",
           LEARN + "lifecycle/products/exchange-server-2016"),
    Source("lifecycle-2019", "Microsoft Lifecycle: Exchange Server 2019 (support ended 14 Oct 2025)",
           LEARN + "lifecycle/products/exchange-server-2019"),
    Source("lifecycle-se", "Microsoft Lifecycle: Exchange Server Subscription Edition (Modern Lifecycle Policy)"),
    Source("exchange-2013-requirements", "Exchange 2013 system requirements (Windows Server 2008 R2 SP1 supported)",
           LEARN + "exchange/exchange-2013-system-requirements-exchange-2013-help"),
    Source("set-up-connectors", "Set up connectors to route mail between Microsoft 365 and your own email servers",
           LEARN + "exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail"),
    Source("mfd-guide", "How to set up a multifunction device or application to send email using Microsoft 365",
           LEARN + "exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email"
           "-using-microsoft-365-or-office-365"),
    Source("hve", "High volume email for Microsoft 365", LEARN + "exchange/mail-flow-best-practices/high-volume-mails-m365"),
    Source("dotnet-x500", ".NET X500DistinguishedName tests (PrintComplexReversed)",
           "https://github.com/dotnet/runtime/blob/main/src/libraries/System.Security.Cryptography/tests/"
           "X509Certificates/X500DistinguishedNameTests.cs"),
    Source("import-certificate", "Import-Certificate (PKI module, Windows Server 2012 and later)",
           LEARN + "powershell/module/pki/import-certificate"),
    Source("certutil", "certutil (Windows commands)", LEARN + "windows-server/administration/windows-commands/certutil"),
    Source("openssl-s_client", "openssl-s_client manual", "https://docs.openssl.org/master/man1/openssl-s_client/"),
    Source("postfix-tls", "Postfix TLS support (smtp_tls_chain_files, smtp_tls_cert_file)",
           "https://www.postfix.org/TLS_README.html"),
    Source("sendmail-tls", "Sendmail cf/README in the sendmail distribution: confCLIENT_CERT, confCLIENT_KEY"),
    Source("syslog-debian", "Debian and Ubuntu default rsyslog configuration: mail.* to /var/log/mail.log"),
    Source("syslog-rhel", "Red Hat Enterprise Linux default rsyslog configuration: mail.* to /var/log/maillog"),
    Source("send-connectors", "Send connectors in Exchange Server (address space and cost)",
           LEARN + "exchange/mail-flow/connectors/send-connectors"),
    Source("exim-smtp-transport", "Exim specification: the smtp transport (tls_certificate, hosts_require_tls)",
           "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-the_smtp_transport.html"),
    _cmdlet("New-InboundConnector"),
    _cmdlet("Set-InboundConnector"),
    _cmdlet("New-SendConnector"),
    _cmdlet("Set-SendConnector"),
    _cmdlet("Set-ReceiveConnector"),
    _cmdlet("Import-ExchangeCertificate"),
    _cmdlet("Enable-ExchangeCertificate"),
    _cmdlet("Remove-ExchangeCertificate"),
    _cmdlet("Get-ExchangeCertificate"),
    _cmdlet("Get-MessageTraceV2"),
    _cmdlet("Get-InboundConnector"),
    _cmdlet("Get-SendConnector"),
)

SOURCES: dict[str, Source] = {source.id: source for source in _ALL}


def cite(*ids: str) -> list[Source]:
    """The sources with these ids, once each, in order; an unknown id is a bug (KeyError)."""
    return [SOURCES[i] for i in dict.fromkeys(ids)]


# Issue 25: requesting the certificate (kept in one block, added to SOURCES above).
_REQUEST_SOURCES = (
    _cmdlet("New-ExchangeCertificate"),
    Source("create-ca-certificate-requests", "Create an Exchange Server certificate request for a certification "
           "authority", LEARN + "exchange/architecture/client-access/create-ca-certificate-requests"),
    Source("exchange-2010-request", "Exchange 2010: Generate Request for Third-Party Certificate Services",
           LEARN + "previous-versions/exchange-server/exchange-140/ee861120(v=exchg.140)"),
    Source("complete-pending-request", "Complete a pending Exchange Server certificate request",
           LEARN + "exchange/architecture/client-access/complete-pending-certificate-requests"),
    Source("openssl-req", "openssl-req manual (-newkey, -subj, -addext)", "https://docs.openssl.org/master/man1/openssl-req/"),
    Source("acme-dns-01", "Let's Encrypt: Challenge Types (DNS-01)", "https://letsencrypt.org/docs/challenge-types/"),
    Source("certbot-hooks", "Certbot User Guide: DNS plugins and renewal hooks (--deploy-hook)",
           "https://eff-certbot.readthedocs.io/en/stable/using.html"),
    Source("acme-sh", "acme.sh: DNS API mode and --install-cert with --reloadcmd",
           "https://github.com/acmesh-official/acme.sh"),
    Source("trusted-root-participants", "Microsoft Trusted Root Program: List of Participants (published through "
           "the CCADB)", "https://github.com/TrustedRootProgram/Program-Requirements/blob/main/Participants%20List.md"),
    Source("letsencrypt-root-programs-2018", "Let's Encrypt: Root Trusted By All Major Root Programs (6 Aug 2018; "
           "Microsoft since July 2018)", "https://letsencrypt.org/2018/08/06/trusted-by-all-major-root-programs/"),
    Source("letsencrypt-clientauth-2025", "Let's Encrypt: Ending TLS Client Authentication Certificate Support in "
           "2026 (14 May 2025)", "https://letsencrypt.org/2025/05/14/ending-tls-client-authentication/"),
)
SOURCES.update({source.id: source for source in _REQUEST_SOURCES})
