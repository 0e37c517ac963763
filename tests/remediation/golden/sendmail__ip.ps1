# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.

# ======================================================================
# Step 1: Create the connector From on-premises by certificate in Exchange Online
# ======================================================================
# Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
Connect-ExchangeOnline
# Your IP-based connector Inbound from printers (IP) stays as it is, as a fallback, until the new one is tested.
# RequireTls $true goes with TlsSenderCertificateName, as in Microsoft's examples and the connectors that the admin center and the Hybrid Configuration Wizard make: Exchange Online then takes mail from your server only over TLS, where it can see the certificate. What attributes the relayed mail to your organization is the certificate's name matching TlsSenderCertificateName, a name under one of your accepted domains, not RequireTls.
# Dry run: shows what would change and changes nothing.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false -WhatIf
# The change itself.
New-InboundConnector -Name 'From on-premises by certificate' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'From on-premises by certificate' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled
# Optional, for servers other than Exchange: TreatMessagesAsInternal $true makes Exchange Online treat their mail as internal. Microsoft warns of "potential security risks (for example, internal messages bypass antispam filtering)": use it only if you need it, and never together with CloudServicesMailEnabled $true. Remove the # to use it.
# Set-InboundConnector -Identity 'From on-premises by certificate' -TreatMessagesAsInternal $true

# ======================================================================
# Step 2: Configure Sendmail to present the certificate
# ======================================================================
# /etc/mail/sendmail.mc
# define(`SMART_HOST', `[contoso-com.mail.protection.outlook.com]')dnl
# define(`confCLIENT_CERT', `/etc/mail/tls/relay-cert-chain.pem')dnl
# define(`confCLIENT_KEY', `/etc/mail/tls/relay.key')dnl
# define(`confCACERT_PATH', `/etc/ssl/certs')dnl
# define(`confCACERT', `/etc/ssl/certs/ca-certificates.crt')dnl
#
# cat relay-cert.pem relay-intermediates.pem > /etc/mail/tls/relay-cert-chain.pem
# install -m 600 relay.key /etc/mail/tls/relay.key
# cd /etc/mail && m4 sendmail.mc > sendmail.cf
# systemctl restart sendmail
# grep 'STARTTLS=client' /var/log/mail.log | tail -n 5  # Debian, Ubuntu
# grep 'STARTTLS=client' /var/log/maillog | tail -n 5  # Red Hat Enterprise Linux
# journalctl -u sendmail | grep 'STARTTLS=client' | tail -n 5  # systemd journal only

# ======================================================================
# After the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status
# TLS handshake with the certificate:
# openssl s_client -starttls smtp -crlf -connect contoso-com.mail.protection.outlook.com:25 -cert relay-cert.pem -cert_chain relay-intermediates.pem -key relay.key
# Step 4: Retire the IP-based connector Inbound from printers (IP)
# Your inbound connectors:
# Get-InboundConnector | Format-List Name,ConnectorType,SenderIPAddresses,TlsSenderCertificateName,Enabled
# Turn the IP-based connector off:
# Set-InboundConnector -Identity 'Inbound from printers (IP)' -Enabled $false

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
# KB 3212877: 550 5.7.64 TenantAttribution when sending emails through Exchange Online Protection: https://support.microsoft.com/help/3212877
# Sendmail cf/README in the sendmail distribution: confCLIENT_CERT, confCLIENT_KEY
# EOP Field Notes: Use headers to determine which tenant a message was attributed to (2019)
# Get-MessageTraceV2 (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/get-messagetracev2
# Non-accepted domain report in the new Exchange admin center
# openssl-s_client manual: https://docs.openssl.org/master/man1/openssl-s_client/
# Message center MC1226222: attribution of mail over OnPremises connectors (Feb 2026)
