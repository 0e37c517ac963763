# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: The upload holds no intermediate certificate.
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# Blocking: Upgrade Exchange Server 2013: Exchange Online blocks it.
# Exchange Online throttles and then blocks mail over OnPremises connectors from Exchange Server 2013, out of support since 2023-04-11 (450 4.7.230, then 550 5.7.230), so no plan for it is ready. Upgrade: move the mail flow to Exchange Server SE, the supported version, and follow this plan on it. (as of 2023-12-12)
# Stop-gap until then: pause the throttling and blocking in Exchange Online PowerShell with New-TenantExemptionInfo. The pauses of a calendar year add up to at most 90 days; the Exchange admin center shows the affected servers under Reports > Mail flow > Out-of-date connecting on-premises Exchange servers. (as of 2023-12-12)
# Stop-gap: pause the blocking for 30 days (Exchange Online PowerShell):
# # Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
# Connect-ExchangeOnline
# New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 30

# ======================================================================
# Request a certificate from a public CA
# ======================================================================
# This certificate cannot be used for the connector (see the evidence at the end): request a new one from a public CA.
# Ask the CA for mail.contoso.com. mail.contoso.com is the name Exchange Online will know your server by: enter it on the connector. Do not ask for internal names (under .local, .lan or .corp, single-label names, IP addresses): no public CA issues them. Ask for a wildcard (*.contoso.com) only if you choose it knowingly: the connector would then say *.contoso.com, which any other certificate under contoso.com matches too.
# Send the request to a public CA: Exchange Online accepts only certificates that chain to a root in Microsoft's Trusted Root Program, whose participants Microsoft publishes. Your own CA and self-signed certificates do not work. Before you buy, upload the request file on the certificate step of this wizard to check it.
# As of 2026-12-06, Microsoft has not published whether Exchange Online requires the Client Authentication extended key usage (1.3.6.1.5.5.7.3.2) on the certificate of an OnPremises connector, where your server is the TLS client. Public CAs stopped including it in TLS certificates during 2026 (Let's Encrypt's default profile since 11 February 2026), and the CA, not your request, decides which usages the certificate carries. We do not claim it either way: after you install the new certificate, send a test message to an external recipient and check in its headers or in the message trace that Exchange Online attributed it to your organization, before you remove the old certificate.
# -- Request the certificate (Exchange Management Shell)
# Run this in the Exchange Management Shell on the server that sends to Office 365: the private key is made and kept on that server. Open the request file, paste its text into the CA's order form, and keep the pending request until the certificate comes back.
New-ExchangeCertificate -GenerateRequest -SubjectName 'CN=mail.contoso.com' -DomainName 'mail.contoso.com' -KeySize 2048 -PrivateKeyExportable $true -FriendlyName 'Relay to Office 365' -RequestFile 'C:\Certificates\relay.req'
# When the CA has issued the certificate, save it as C:\Certificates\relay.cer on the same server and complete the request. Then upload the certificate to this case: step 2 gives the commands for each server that sends.
$issued = Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\Certificates\relay.cer'))
Enable-ExchangeCertificate -Thumbprint $issued.Thumbprint -Services SMTP

# ======================================================================
# Step 1: Create the connector From on-premises by certificate in Exchange Online
# ======================================================================
# Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
Connect-ExchangeOnline
# RequireTls $true goes with TlsSenderCertificateName, as in Microsoft's examples and the connectors that the admin center and the Hybrid Configuration Wizard make: Exchange Online then takes mail from your server only over TLS, where it can see the certificate. What attributes the relayed mail to your organization is the certificate's name matching TlsSenderCertificateName, a name under one of your accepted domains, not RequireTls.
# Dry run: shows what would change and changes nothing.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $true -WhatIf
# The change itself.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $true
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'From on-premises by certificate' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled
# If Exchange Online throttles or blocks your Exchange server as out of date (450 4.7.230 or 550 5.7.230), update the server. A pause of at most 90 days in a calendar year buys time: remove the # on the next line to use it. (as of 2023-12-12)
# New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 30

# ======================================================================
# Step 2: Configure Exchange Server 2013 to present the certificate
# ======================================================================
# Not yet: The certificate expired on 2026-01-01.

# ======================================================================
# After the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Not yet: The certificate expired on 2026-01-01.

# ======================================================================
# Sources
# ======================================================================
# Exchange Team blog: Throttling and Blocking Email from Persistently Vulnerable Exchange Servers to Exchange Online (March 2023)
# Exchange Team blog: How to pause throttling and blocking of out-of-date on-premises Exchange Servers (Dec 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/how-to-pause-throttling-and-blocking-of-out-of-date-on-premises/ba-p/4007169
# Microsoft Lifecycle: Exchange Server 2013 (support ended 11 Apr 2023): https://learn.microsoft.com/lifecycle/products/exchange-server-2013
# KB 3169958: Important notice for Office 365 email customers who have configured connectors: https://support.microsoft.com/help/3169958
# KB 4019940: 550 5.7.64 ATTR36 warning from the Hybrid Configuration Wizard: https://support.microsoft.com/help/4019940
# CA/Browser Forum Baseline Requirements: publicly trusted CAs issue no certificates for internal names or reserved IP addresses (since 1 Oct 2016): https://cabforum.org/working-groups/server/baseline-requirements/requirements/
# Exchange Team blog: TLS Certificates in Exchange Hybrid - Common Issues & How to Fix them (June 2025): https://techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592
# Microsoft Trusted Root Program: List of Participants (published through the CCADB): https://github.com/TrustedRootProgram/Program-Requirements/blob/main/Participants%20List.md
# New-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-exchangecertificate
# Create an Exchange Server certificate request for a certification authority: https://learn.microsoft.com/exchange/architecture/client-access/create-ca-certificate-requests
# Exchange 2010: Generate Request for Third-Party Certificate Services: https://learn.microsoft.com/previous-versions/exchange-server/exchange-140/ee861120(v=exchg.140)
# Complete a pending Exchange Server certificate request: https://learn.microsoft.com/exchange/architecture/client-access/complete-pending-certificate-requests
# Import-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/import-exchangecertificate
# Enable-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/enable-exchangecertificate
# Exchange Team blog: Updated Requirements for SMTP Relay through Exchange Online (June 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/updated-requirements-for-smtp-relay-through-exchange-online/ba-p/3851357
# Set up connectors to route mail between Microsoft 365 and your own email servers: https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail
# New-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector
# Message center MC283874: the classic Exchange admin center is retired (Sept 2022)
# Set-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-inboundconnector
# Exchange Server: connector selection (address space, cost, then the lowest alphanumeric name)
# Send connectors in Exchange Server (address space and cost): https://learn.microsoft.com/exchange/mail-flow/connectors/send-connectors
# Set-SendConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-sendconnector
# New-SendConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector
# KB 3212877: 550 5.7.64 TenantAttribution when sending emails through Exchange Online Protection: https://support.microsoft.com/help/3212877
# KB 2989382: Can't receive mail in a hybrid environment after you install a new certificate on the server: https://support.microsoft.com/help/2989382
# Message center MC1224565: trust DigiCert Global Root G2 (2026)
# Exchange Team blog: Trust DigiCert Global Root G2 Certificate Authority to Avoid Exchange Online Email Disruption (Jan 2026): https://techcommunity.microsoft.com/blog/exchange/trust-digicert-global-root-g2-certificate-authority-to-avoid-exchange-online-ema/4488311
# certutil (Windows commands): https://learn.microsoft.com/windows-server/administration/windows-commands/certutil
# Import-Certificate (PKI module, Windows Server 2012 and later): https://learn.microsoft.com/powershell/module/pki/import-certificate
# Exchange 2013 system requirements (Windows Server 2008 R2 SP1 supported): https://learn.microsoft.com/exchange/exchange-2013-system-requirements-exchange-2013-help
# Message center MC229914: TLS 1.0 and 1.1 no longer supported by Exchange Online (2021)
# Exchange Server TLS configuration best practices: https://learn.microsoft.com/exchange/exchange-tls-configuration
# Exchange Team blog: Exchange Server TLS guidance Part 2: Enabling TLS 1.2 and Identifying Clients Not Using It (2018): https://techcommunity.microsoft.com/t5/Exchange-Team-Blog/Exchange-Server-TLS-guidance-Part-2-Enabling-TLS-1-2-and/ba-p/607761
# .NET X500DistinguishedName tests (PrintComplexReversed): https://github.com/dotnet/runtime/blob/main/src/libraries/System.Security.Cryptography/tests/X509Certificates/X500DistinguishedNameTests.cs
# EOP Field Notes: Use headers to determine which tenant a message was attributed to (2019)
# Get-MessageTraceV2 (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/get-messagetracev2
# Non-accepted domain report in the new Exchange admin center
# Message center MC1226222: attribution of mail over OnPremises connectors (Feb 2026)
