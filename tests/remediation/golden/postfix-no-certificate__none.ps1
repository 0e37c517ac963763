# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.11.1
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# Warning: The commands use contoso-com.mail.protection.outlook.com, a guess: replace it with the MX endpoint shown for your domain in the Microsoft 365 admin center.

# ======================================================================
# Part 1: Exchange Online (Exchange Online PowerShell)
# ======================================================================
# Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
Connect-ExchangeOnline
# Dry run: shows what would change and changes nothing.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false -WhatIf
# The change itself.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'From on-premises by certificate' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled
# Optional, for servers other than Exchange: have Exchange Online treat their mail as internal (never together with CloudServicesMailEnabled $true). Remove the # to use it.
# Set-InboundConnector -Identity 'From on-premises by certificate' -TreatMessagesAsInternal $true

# ======================================================================
# Part 2: on-premises, Postfix
# ======================================================================
# Not yet: Add the certificate the server will present to continue.

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Not yet: Add the certificate the server will present to continue.
