# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.11.1
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
# Warning: Add mail.contoso.com, or use *.contoso.com.
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# First: Add mail.contoso.com to Microsoft 365 as a domain.
# In Microsoft 365 admin center > Settings > Domains, choose Add domain, enter mail.contoso.com and verify it with the DNS record the admin center shows.
# The domain needs no mailboxes and no MX record: Exchange Online only has to know it, to attribute the relayed mail to your organization.
# contoso.com is already one of your domains, so Microsoft 365 verifies mail.contoso.com at once: no DNS record is needed.
# If you cannot add mail.contoso.com, enter *.contoso.com on the connector instead. It works at once because contoso.com is an accepted domain, but then any other certificate under contoso.com, for example one a server uses to send mail to another tenant, also matches this connector: Microsoft does not recommend it.

# ======================================================================
# Part 1: Exchange Online (Exchange Online PowerShell)
# ======================================================================
# Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
Connect-ExchangeOnline
# Dry run: shows what would change and changes nothing.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $true -WhatIf
# The change itself.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $true
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'From on-premises by certificate' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled

# ======================================================================
# Part 2: on-premises, Exchange Server 2016
# ======================================================================
# Run in the Exchange Management Shell on each server that sends to Office 365.
# Install the certificate with its private key (Exchange admin center > Servers > Certificates > Import Exchange certificate), then check that this server has it:
Get-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' | Format-List Thumbprint,Subject,Issuer,NotAfter,HasPrivateKey,Services,Status
# Install the intermediate CA certificates: Exchange Online does not fetch them, the server must send them. Save each one from the report as a .cer file first.
# Intermediate 1: CN=Example TLS RSA CA G1, O=Example Trust, C=US
Import-Certificate -CertStoreLocation Cert:\LocalMachine\CA -FilePath 'C:\Certificates\intermediate-1.cer'
# Enable the certificate for SMTP. When asked whether to replace the default SMTP certificate, answer No: internal mail between your servers keeps the default one.
Enable-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' -Services SMTP
# The send connector names its certificate by issuer and subject, read from the certificate itself:
$cert = Get-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5'
$tlsCertificateName = "<I>$($cert.Issuer)<S>$($cert.Subject)"
# The same value computed from your certificate file. The next line must print True.
$expectedTlsCertificateName = '<I>CN=Example TLS RSA CA G1, O=Example Trust, C=US<S>CN=mail.contoso.com, O=Contoso Ltd, L=Seattle, S=WA, C=US'
$tlsCertificateName -eq $expectedTlsCertificateName
# A send connector that relays all internet mail through Office 365. Your existing send connectors, to see whether one already covers address space * (see the notes):
Get-SendConnector | Format-List Name,AddressSpaces,SmartHosts,Enabled
# Dry run: shows what would change and changes nothing.
New-SendConnector -Name 'To Office 365 (certificate)' -AddressSpaces * -SmartHosts 'contoso-com.mail.protection.outlook.com' -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel CertificateValidation -Fqdn 'mail.contoso.com' -TlsCertificateName $tlsCertificateName -CloudServicesMailEnabled $true -ProtocolLoggingLevel Verbose -WhatIf
# The change itself.
New-SendConnector -Name 'To Office 365 (certificate)' -AddressSpaces * -SmartHosts 'contoso-com.mail.protection.outlook.com' -DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel CertificateValidation -Fqdn 'mail.contoso.com' -TlsCertificateName $tlsCertificateName -CloudServicesMailEnabled $true -ProtocolLoggingLevel Verbose
Get-SendConnector -Identity 'To Office 365 (certificate)' | Format-List Name,AddressSpaces,SmartHosts,RequireTLS,TlsAuthLevel,TlsDomain,Fqdn,TlsCertificateName,CloudServicesMailEnabled

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status
# TLS handshake with the certificate:
# openssl s_client -starttls smtp -connect contoso-com.mail.protection.outlook.com:25 -cert relay-cert-chain.pem -cert_chain relay-cert-chain.pem -key relay.key
