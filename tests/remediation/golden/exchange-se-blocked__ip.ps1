# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# First: Add mail.contoso.com to Microsoft 365 as a domain.
# In Microsoft 365 admin center > Settings > Domains, choose Add domain, enter mail.contoso.com and verify it with the DNS record the admin center shows.
# The domain needs no mailboxes and no MX record: Exchange Online only has to know it, to attribute the relayed mail to your organization.
# Or get a certificate whose CN or SAN holds one of your accepted domains, like fabrikam.com, or a name under one, like mail.fabrikam.com, and upload it to this case instead.
# Or request a certificate for a name under one of your accepted domains instead:
# Ask the CA for mail.fabrikam.com. mail.fabrikam.com is the name Exchange Online will know your server by: enter it on the connector. Do not ask for internal names (under .local, .lan or .corp, single-label names, IP addresses): no public CA issues them. Ask for a wildcard (*.fabrikam.com) only if you choose it knowingly: the connector would then say *.fabrikam.com, which any other certificate under fabrikam.com matches too.
# mail.fabrikam.com is not an accepted domain yet: add it in the Microsoft 365 admin center before you create the connector (Microsoft's preferred way; a name under a domain you already have is verified at once).
# Send the request to a public CA: Exchange Online accepts only certificates that chain to a root in Microsoft's Trusted Root Program, whose participants Microsoft publishes. Your own CA and self-signed certificates do not work. Before you buy, upload the request file on the certificate step of this wizard to check it.
# As of 2026-12-06, Microsoft has not published whether Exchange Online requires the Client Authentication extended key usage (1.3.6.1.5.5.7.3.2) on the certificate of an OnPremises connector, where your server is the TLS client. Public CAs stopped including it in TLS certificates during 2026 (Let's Encrypt's default profile since 11 February 2026), and the CA, not your request, decides which usages the certificate carries. We do not claim it either way: after you install the new certificate, send a test message to an external recipient and check in its headers or in the message trace that Exchange Online attributed it to your organization, before you remove the old certificate.

# ======================================================================
# Step 1: Create the connector From on-premises by certificate in Exchange Online
# ======================================================================
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).

# ======================================================================
# Step 2: Configure Exchange Server Subscription Edition to present the certificate
# ======================================================================
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).

# ======================================================================
# After the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).
# Step 4: Retire the IP-based connector Inbound from printers (IP)
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).

# ======================================================================
# Sources
# ======================================================================
# KB 3169958: Important notice for Office 365 email customers who have configured connectors: https://support.microsoft.com/help/3169958
# KB 4019940: 550 5.7.64 ATTR36 warning from the Hybrid Configuration Wizard: https://support.microsoft.com/help/4019940
# Exchange Team blog: Updated Requirements for SMTP Relay through Exchange Online (June 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/updated-requirements-for-smtp-relay-through-exchange-online/ba-p/3851357
# CA/Browser Forum Baseline Requirements: publicly trusted CAs issue no certificates for internal names or reserved IP addresses (since 1 Oct 2016): https://cabforum.org/working-groups/server/baseline-requirements/requirements/
# Exchange Team blog: TLS Certificates in Exchange Hybrid - Common Issues & How to Fix them (June 2025): https://techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592
# Microsoft Trusted Root Program: List of Participants (published through the CCADB): https://github.com/TrustedRootProgram/Program-Requirements/blob/main/Participants%20List.md
# New-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-exchangecertificate
# Create an Exchange Server certificate request for a certification authority: https://learn.microsoft.com/exchange/architecture/client-access/create-ca-certificate-requests
# Exchange 2010: Generate Request for Third-Party Certificate Services: https://learn.microsoft.com/previous-versions/exchange-server/exchange-140/ee861120(v=exchg.140)
# Complete a pending Exchange Server certificate request: https://learn.microsoft.com/exchange/architecture/client-access/complete-pending-certificate-requests
# Import-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/import-exchangecertificate
# Enable-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/enable-exchangecertificate
# Set up connectors to route mail between Microsoft 365 and your own email servers: https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail
# New-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector
# Message center MC283874: the classic Exchange admin center is retired (Sept 2022)
# Set-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-inboundconnector
# Exchange Team blog: How to pause throttling and blocking of out-of-date on-premises Exchange Servers (Dec 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/how-to-pause-throttling-and-blocking-of-out-of-date-on-premises/ba-p/4007169
# Exchange Server: connector selection (address space, cost, then the lowest alphanumeric name)
# Send connectors in Exchange Server (address space and cost): https://learn.microsoft.com/exchange/mail-flow/connectors/send-connectors
# Set-SendConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-sendconnector
# New-SendConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector
# KB 3212877: 550 5.7.64 TenantAttribution when sending emails through Exchange Online Protection: https://support.microsoft.com/help/3212877
# KB 2989382: Can't receive mail in a hybrid environment after you install a new certificate on the server: https://support.microsoft.com/help/2989382
# Message center MC1224565: trust DigiCert Global Root G2 (2026)
# Exchange Team blog: Trust DigiCert Global Root G2 Certificate Authority to Avoid Exchange Online Email Disruption (Jan 2026): https://techcommunity.microsoft.com/blog/exchange/trust-digicert-global-root-g2-certificate-authority-to-avoid-exchange-online-ema/4488311
# .NET X500DistinguishedName tests (PrintComplexReversed): https://github.com/dotnet/runtime/blob/main/src/libraries/System.Security.Cryptography/tests/X509Certificates/X500DistinguishedNameTests.cs
# EOP Field Notes: Use headers to determine which tenant a message was attributed to (2019)
# Get-MessageTraceV2 (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/get-messagetracev2
# Non-accepted domain report in the new Exchange admin center
# Message center MC1226222: attribution of mail over OnPremises connectors (Feb 2026)
# Microsoft Lifecycle: Exchange Server Subscription Edition (Modern Lifecycle Policy)
