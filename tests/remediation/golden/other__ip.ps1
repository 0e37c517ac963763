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
# Your IP-based connector Inbound from printers (IP) stays as it is, as a fallback, until the new one is tested.
# Dry run: shows what would change and changes nothing.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false -WhatIf
# The change itself.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'From on-premises by certificate' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled
# Optional, for servers other than Exchange: have Exchange Online treat their mail as internal (never together with CloudServicesMailEnabled $true). Remove the # to use it.
# Set-InboundConnector -Identity 'From on-premises by certificate' -TreatMessagesAsInternal $true

# ======================================================================
# Part 2: on-premises, another server or appliance
# ======================================================================
# Install the certificate with its private key and its full chain (the intermediate certificates) on the server that sends to Office 365.
# Many appliances, printers and IIS SMTP cannot present a client certificate. They can only use an IP-based connector, which relays only when the envelope sender (MAIL FROM) is one of your accepted domains: it does not cover non-delivery reports, mail sent as other domains or forwarding to external addresses.
# For those cases, relay the device's mail through a server that can present the certificate (Exchange Server, Postfix, Sendmail or Exim) and configure that server as this plan shows.
# If the device's documentation describes a client certificate for outgoing SMTP, configure the certificate with its full chain and the MX endpoint contoso-com.mail.protection.outlook.com on port 25 with STARTTLS.

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status
# TLS handshake with the certificate:
# openssl s_client -starttls smtp -connect contoso-com.mail.protection.outlook.com:25 -cert relay-cert-chain.pem -cert_chain relay-cert-chain.pem -key relay.key
