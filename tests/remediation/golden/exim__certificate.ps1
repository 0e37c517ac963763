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
# Dry run: shows what would change and changes nothing.
Set-InboundConnector -Identity 'Inbound from Contoso' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false -WhatIf
# The change itself.
Set-InboundConnector -Identity 'Inbound from Contoso' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'Inbound from Contoso' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled
# Optional, for servers other than Exchange: have Exchange Online treat their mail as internal (never together with CloudServicesMailEnabled $true). Remove the # to use it.
# Set-InboundConnector -Identity 'Inbound from Contoso' -TreatMessagesAsInternal $true

# ======================================================================
# Part 2: on-premises, Exim
# ======================================================================
# Exim configuration (routers and transports)
# # In the routers section, before the dnslookup router:
# office365_relay:
#   driver = manualroute
#   domains = ! +local_domains
#   transport = office365_smtp
#   route_list = * contoso-com.mail.protection.outlook.com byname
#   no_more
#
# # In the transports section:
# office365_smtp:
#   driver = smtp
#   port = 25
#   hosts_require_tls = *
#   tls_certificate = /etc/exim4/tls/relay-cert-chain.pem
#   tls_privatekey = /etc/exim4/tls/relay.key
#
# exim -bV
# exim -bt someone@example.net
# grep ' X=TLS' /var/log/exim4/mainlog | tail -n 5

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status
# TLS handshake with the certificate:
# openssl s_client -starttls smtp -connect contoso-com.mail.protection.outlook.com:25 -cert relay-cert-chain.pem -cert_chain relay-cert-chain.pem -key relay.key
