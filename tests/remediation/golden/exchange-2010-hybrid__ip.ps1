# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.11.1
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.

# ======================================================================
# Part 1: Exchange Online (Exchange Online PowerShell)
# ======================================================================
# Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
Connect-ExchangeOnline
# Hybrid: run the Hybrid Configuration Wizard (part 2) before this part: it rewrites TlsSenderCertificateName of its inbound connector with the name on the certificate.
# Your IP-based connector Inbound from printers (IP) stays as it is, as a fallback, until the new one is tested.
# Dry run: shows what would change and changes nothing.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $true -WhatIf
# The change itself.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $true
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'From on-premises by certificate' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled

# ======================================================================
# Part 2: on-premises, Exchange Server 2010
# ======================================================================
# Run in the Exchange Management Shell on each server that sends to Office 365.
# Install the certificate with its private key (Exchange admin center > Servers > Certificates > Import Exchange certificate), then check that this server has it:
Get-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' | Format-List Thumbprint,Subject,Issuer,NotAfter,HasPrivateKey,Services,Status
# Install the intermediate CA certificates: Exchange Online does not fetch them, the server must send them. Save each one from the report as a .cer file first.
# Intermediate 1: CN=Example TLS RSA CA G1, O=Example Trust, C=US
Import-Certificate -CertStoreLocation Cert:\LocalMachine\CA -FilePath 'C:\Certificates\intermediate-1.cer'
# Enable the certificate for SMTP. When asked whether to replace the default SMTP certificate, answer No: internal mail between your servers keeps the default one.
Enable-ExchangeCertificate -Thumbprint '3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5' -Services SMTP
# Run the Hybrid Configuration Wizard again. On its Transport Certificate page choose the certificate issued to CN=mail.contoso.com, O=Contoso Ltd, L=Seattle, S=WA, C=US (thumbprint 3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5).
# Then check the send connector the wizard made (Outbound to Office 365 - <GUID>): it must require TLS and name this certificate.
Get-SendConnector | Format-List Name,AddressSpaces,SmartHosts,RequireTLS,TlsAuthLevel,TlsDomain,Fqdn

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status
# TLS handshake with the certificate:
# openssl s_client -starttls smtp -connect contoso-com.mail.protection.outlook.com:25 -cert relay-cert-chain.pem -cert_chain relay-cert-chain.pem -key relay.key
# Step 4: Retire the IP-based connector Inbound from printers (IP)
# Your inbound connectors:
# Get-InboundConnector | Format-List Name,ConnectorType,SenderIPAddresses,TlsSenderCertificateName,Enabled
# Turn the IP-based connector off:
# Set-InboundConnector -Identity 'Inbound from printers (IP)' -Enabled $false
