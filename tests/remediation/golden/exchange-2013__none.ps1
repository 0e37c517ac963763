# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# Blocking: Upgrade Exchange Server 2013: Exchange Online blocks it.
# Exchange Online throttles and then blocks mail over OnPremises connectors from Exchange Server 2013, out of support since 2023-04-11 (450 4.7.230, then 550 5.7.230), so no plan for it is ready. Upgrade: move the mail flow to Exchange Server SE, the supported version, and follow this plan on it. (as of 2023-12-12)
# Stop-gap until then: pause the throttling and blocking in Exchange Online PowerShell with New-TenantExemptionInfo. The pauses of a calendar year add up to at most 90 days; the Exchange admin center shows the affected servers under Reports > Mail flow > Out-of-date connecting on-premises Exchange servers. (as of 2023-12-12)
# Stop-gap: pause the blocking for 30 days (Exchange Online PowerShell):
# # Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
# Connect-ExchangeOnline
# New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 30

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
# -- On each server that sends to Office 365 (Exchange Management Shell)
# Run in the Exchange Management Shell on each server that sends to Office 365.
# Import the certificate with its private key from the .pfx file (change the path; the command asks for the file's password). The Exchange Management Shell works on every version: Exchange 2010 has no Exchange admin center, and current builds of Exchange 2016, 2019 and SE have no certificate import in it.
Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\Certificates\relay.pfx')) -Password (Read-Host -AsSecureString -Prompt 'PFX password') -PrivateKeyExportable $true
# Check that this server has it, with its private key:
Get-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' | Format-List Thumbprint,Subject,Issuer,NotAfter,HasPrivateKey,Services,Status
# Install the intermediate CA certificates: Exchange Online does not fetch them, and without them it refuses the relay with 550 5.7.64 TenantAttribution (and this server logs CAPI2 error 800B0109). Get them as .cer files first: the plan's download of the intermediate certificates holds intermediate-1.cer and the others, or save each one from your CA or from the certificate's Certification Path in the Certificates snap-in.
# certutil -addstore CA works on every Windows Server version. Import-Certificate needs Windows Server 2012 or later, and Exchange 2010 and 2013 may run on Windows Server 2008 R2.
# Intermediate 1: CN=Example TLS RSA CA G1, O=Example Trust, C=US
certutil -addstore CA 'C:\Certificates\intermediate-1.cer'
# Enable the certificate for SMTP. When asked whether to replace the default SMTP certificate, answer No: internal mail between your servers keeps the default one.
Enable-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' -Services SMTP
# Exchange Online's certificates chain to DigiCert Global Root G2: this server must trust it and its subordinate CAs, a requirement since 22 March 2026. Windows with automatic root updates gets them by itself. The next line must list that root; if it lists nothing, download the Microsoft 365 Root Certificate Chain Bundle from Microsoft (the one republished on 16 March 2026) and import its root into Trusted Root Certification Authorities (Cert:\LocalMachine\Root) and its intermediate certificates into Intermediate Certification Authorities (Cert:\LocalMachine\CA). (as of 2026-03-16)
Get-ChildItem -Path Cert:\LocalMachine\Root | Where-Object { $_.Thumbprint -eq 'DF3C24F9BFD666761B268073FE06D1CC8D4F82A4' }
# Exchange Online refuses connections over TLS 1.0 and 1.1. Exchange 2010 and 2013, and Windows Server older than 2012, need TLS 1.2 turned on for Windows (Schannel) and .NET as Microsoft's Exchange Server TLS guidance describes. Check: under TLS 1.2\Client, Enabled must read 1 and DisabledByDefault 0; without the key, Windows uses its default, which is off on Windows Server 2008 R2.
Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client'
# -- Once for the organization (Exchange Management Shell)
# The send connector names its certificate by issuer and subject, read here from the certificate on the server. The value computed from your file is only a check: Windows versions differ in how they print some name parts.
$cert = Get-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5'
$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"
# Check: the next line must print True. False means this server prints the names differently: the commands use the server's value, so compare the two by eye.
$tlsCertificateName -eq '<I>CN=Example TLS RSA CA G1, O=Example Trust, C=US<S>CN=mail.contoso.com, O=Contoso Ltd, L=Seattle, S=WA, C=US'
# Once for the organization, on one of the servers above: send connectors are organization-wide, so a second run fails. -SourceTransportServers lists the servers that may use the connector; add the others to the list, each of them with the certificate installed as above.
$sourceTransportServers = @($env:COMPUTERNAME)
# Your other send connectors for address space *, which Exchange may choose instead of the new one:
$otherStarConnectors = @(Get-SendConnector | Where-Object { $_.Name -ne 'To Office 365 (certificate)' -and ($_.AddressSpaces | Where-Object { $_.Address -eq '*' }) })
$otherStarConnectors | Format-List Name,AddressSpaces,SmartHosts,Enabled,SourceTransportServers
# Dry run: shows what would change and changes nothing.
New-SendConnector -Name 'To Office 365 (certificate)' -AddressSpaces * -SmartHosts 'contoso-com.mail.protection.outlook.com' -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel CertificateValidation -SourceTransportServers $sourceTransportServers -Fqdn 'mail.contoso.com' -TlsCertificateName $tlsCertificateName -CloudServicesMailEnabled $true -ProtocolLoggingLevel Verbose -WhatIf
# The change itself.
New-SendConnector -Name 'To Office 365 (certificate)' -AddressSpaces * -SmartHosts 'contoso-com.mail.protection.outlook.com' -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel CertificateValidation -SourceTransportServers $sourceTransportServers -Fqdn 'mail.contoso.com' -TlsCertificateName $tlsCertificateName -CloudServicesMailEnabled $true -ProtocolLoggingLevel Verbose
Get-SendConnector -Identity 'To Office 365 (certificate)' | Format-List Name,AddressSpaces,SmartHosts,RequireTLS,TlsAuthLevel,TlsDomain,Fqdn,SourceTransportServers,TlsCertificateName,CloudServicesMailEnabled
# Exchange picks the send connector with the most specific address space, then the lowest cost, then, on equal cost, the one whose name sorts first: beside an existing connector for * of equal cost, the new one may never be used ("Internet" sorts before "To Office 365"). So the commands create the new connector first, while the old one keeps mail flowing, and then turn the old one off; to go back, turn it on again. Instead of turning it off, you may give it the address spaces it is really for (Set-SendConnector -AddressSpaces), or a higher cost than the new one's 1 (Set-SendConnector -AddressSpaces 'SMTP:*;10').
# Then, if the list above showed another connector for *, turn it off (dry run first):
$otherStarConnectors | Set-SendConnector -Enabled $false -WhatIf
$otherStarConnectors | Set-SendConnector -Enabled $false

# ======================================================================
# After the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status

# ======================================================================
# Sources
# ======================================================================
# Exchange Team blog: Throttling and Blocking Email from Persistently Vulnerable Exchange Servers to Exchange Online (March 2023)
# Exchange Team blog: How to pause throttling and blocking of out-of-date on-premises Exchange Servers (Dec 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/how-to-pause-throttling-and-blocking-of-out-of-date-on-premises/ba-p/4007169
# Microsoft Lifecycle: Exchange Server 2013 (support ended 11 Apr 2023): https://learn.microsoft.com/lifecycle/products/exchange-server-2013
# KB 3169958: Important notice for Office 365 email customers who have configured connectors: https://support.microsoft.com/help/3169958
# KB 4019940: 550 5.7.64 ATTR36 warning from the Hybrid Configuration Wizard: https://support.microsoft.com/help/4019940
# Exchange Team blog: Updated Requirements for SMTP Relay through Exchange Online (June 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/updated-requirements-for-smtp-relay-through-exchange-online/ba-p/3851357
# Set up connectors to route mail between Microsoft 365 and your own email servers: https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail
# New-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector
# Message center MC283874: the classic Exchange admin center is retired (Sept 2022)
# Set-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-inboundconnector
# Exchange Server: connector selection (address space, cost, then the lowest alphanumeric name)
# Send connectors in Exchange Server (address space and cost): https://learn.microsoft.com/exchange/mail-flow/connectors/send-connectors
# Set-SendConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-sendconnector
# New-SendConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-sendconnector
# Import-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/import-exchangecertificate
# KB 3212877: 550 5.7.64 TenantAttribution when sending emails through Exchange Online Protection: https://support.microsoft.com/help/3212877
# Enable-ExchangeCertificate (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/enable-exchangecertificate
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
