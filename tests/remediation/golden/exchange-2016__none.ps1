# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# Warning: Exchange Server 2016 is out of support since 2025-10-14; Exchange Server SE is the supported version. Exchange Online throttles and then blocks mail over OnPremises connectors from out-of-date Exchange servers (450 4.7.230, 550 5.7.230): see the report in the Exchange admin center under Reports > Mail flow > Out-of-date connecting on-premises Exchange servers. (as of 2023-12-12)

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
# Step 2: Configure Exchange Server 2016 to present the certificate
# ======================================================================
# -- On each server that sends to Office 365 (Exchange Management Shell)
# Run in the Exchange Management Shell on each server that sends to Office 365.
# Import the certificate with its private key from the .pfx file (change the path; the command asks for the file's password). The Exchange Management Shell works on every version: Exchange 2010 has no Exchange admin center, and current builds of Exchange 2016, 2019 and SE have no certificate import in it.
Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\Certificates\relay.pfx')) -Password (Read-Host -AsSecureString -Prompt 'PFX password') -PrivateKeyExportable $true
# Check that this server has it, with its private key:
Get-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' | Format-List Thumbprint,Subject,Issuer,NotAfter,HasPrivateKey,Services,Status
# Install the intermediate CA certificates: Exchange Online does not fetch them, and without them it refuses the relay with 550 5.7.64 TenantAttribution (and this server logs CAPI2 error 800B0109). Get them as .cer files first: the plan's download of the intermediate certificates holds intermediate-1.cer and the others, or save each one from your CA or from the certificate's Certification Path in the Certificates snap-in.
# Intermediate 1: CN=Example TLS RSA CA G1, O=Example Trust, C=US
Import-Certificate -CertStoreLocation Cert:\LocalMachine\CA -FilePath 'C:\Certificates\intermediate-1.cer'
# Enable the certificate for SMTP. When asked whether to replace the default SMTP certificate, answer No: internal mail between your servers keeps the default one.
Enable-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' -Services SMTP
# Exchange Online's certificates chain to DigiCert Global Root G2: this server must trust it and its subordinate CAs, a requirement since 22 March 2026. Windows with automatic root updates gets them by itself. The next line must list that root; if it lists nothing, download the Microsoft 365 Root Certificate Chain Bundle from Microsoft (the one republished on 16 March 2026) and import its root into Trusted Root Certification Authorities (Cert:\LocalMachine\Root) and its intermediate certificates into Intermediate Certification Authorities (Cert:\LocalMachine\CA). (as of 2026-03-16)
Get-ChildItem -Path Cert:\LocalMachine\Root | Where-Object { $_.Thumbprint -eq 'DF3C24F9BFD666761B268073FE06D1CC8D4F82A4' }
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
# KB 3169958: Important notice for Office 365 email customers who have configured connectors: https://support.microsoft.com/help/3169958
# KB 4019940: 550 5.7.64 ATTR36 warning from the Hybrid Configuration Wizard: https://support.microsoft.com/help/4019940
# Exchange Team blog: Updated Requirements for SMTP Relay through Exchange Online (June 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/updated-requirements-for-smtp-relay-through-exchange-online/ba-p/3851357
# Set up connectors to route mail between Microsoft 365 and your own email servers: https://learn.microsoft.com/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail
# New-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/new-inboundconnector
# Message center MC283874: the classic Exchange admin center is retired (Sept 2022)
# Set-InboundConnector (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/set-inboundconnector
# Exchange Team blog: How to pause throttling and blocking of out-of-date on-premises Exchange Servers (Dec 2023): https://techcommunity.microsoft.com/t5/exchange-team-blog/how-to-pause-throttling-and-blocking-of-out-of-date-on-premises/ba-p/4007169
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
# .NET X500DistinguishedName tests (PrintComplexReversed): https://github.com/dotnet/runtime/blob/main/src/libraries/System.Security.Cryptography/tests/X509Certificates/X500DistinguishedNameTests.cs
# EOP Field Notes: Use headers to determine which tenant a message was attributed to (2019)
# Get-MessageTraceV2 (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/get-messagetracev2
# Non-accepted domain report in the new Exchange admin center
# Message center MC1226222: attribution of mail over OnPremises connectors (Feb 2026)
# Microsoft Lifecycle: Exchange Server 2016 (support ended 14 Oct 2025): https://learn.microsoft.com/lifecycle/products/exchange-server-2016
