# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.

# ======================================================================
# Step 1: Edit the connector Inbound from Contoso in Exchange Online
# ======================================================================
# Sign in with an Exchange administrator account (module ExchangeOnlineManagement).
Connect-ExchangeOnline
# RequireTls $true goes with TlsSenderCertificateName, as in Microsoft's examples and the connectors that the admin center and the Hybrid Configuration Wizard make: Exchange Online then takes mail from your server only over TLS, where it can see the certificate. What attributes the relayed mail to your organization is the certificate's name matching TlsSenderCertificateName, a name under one of your accepted domains, not RequireTls.
# Dry run: shows what would change and changes nothing.
Set-InboundConnector -Identity 'Inbound from Contoso' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false -WhatIf
# The change itself.
Set-InboundConnector -Identity 'Inbound from Contoso' -ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName 'mail.contoso.com' -CloudServicesMailEnabled $false
# Check: TlsSenderCertificateName must read mail.contoso.com.
Get-InboundConnector -Identity 'Inbound from Contoso' | Format-List Name,ConnectorType,SenderDomains,RequireTls,TlsSenderCertificateName,CloudServicesMailEnabled
# Optional, for servers other than Exchange: TreatMessagesAsInternal $true makes Exchange Online treat their mail as internal. Microsoft warns of "potential security risks (for example, internal messages bypass antispam filtering)": use it only if you need it, and never together with CloudServicesMailEnabled $true. Remove the # to use it.
# Set-InboundConnector -Identity 'Inbound from Contoso' -TreatMessagesAsInternal $true

# ======================================================================
# Step 2: Configure Postfix to present the certificate
# ======================================================================
# /etc/postfix/main.cf
# relayhost = [contoso-com.mail.protection.outlook.com]:25
# smtp_tls_security_level = encrypt
# # Postfix 3.4 or later: one file with the private key, then the certificate, then the intermediates.
# smtp_tls_chain_files = /etc/postfix/tls/relay-key-chain.pem
# # Older Postfix: instead of smtp_tls_chain_files, remove the # from these two lines.
# # smtp_tls_cert_file = /etc/postfix/tls/relay-cert-chain.pem
# # smtp_tls_key_file = /etc/postfix/tls/relay.key
# smtp_tls_loglevel = 1
#
# cat relay-cert.pem relay-intermediates.pem > /etc/postfix/tls/relay-cert-chain.pem
# install -m 600 relay.key /etc/postfix/tls/relay.key
# (umask 077; cat /etc/postfix/tls/relay.key /etc/postfix/tls/relay-cert-chain.pem > /etc/postfix/tls/relay-key-chain.pem)
# postfix check
# postconf -n | grep -E '^(relayhost|smtp_tls_)'
# postfix reload
# grep 'TLS connection established to' /var/log/mail.log | tail -n 5  # Debian, Ubuntu
# grep 'TLS connection established to' /var/log/maillog | tail -n 5  # Red Hat Enterprise Linux
# journalctl -u 'postfix*' | grep 'TLS connection established to' | tail -n 5  # systemd journal only

# ======================================================================
# After the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Message trace in Exchange Online PowerShell:
# Get-MessageTraceV2 -StartDate (Get-Date).AddHours(-2) -EndDate (Get-Date) | Format-List Received,SenderAddress,RecipientAddress,Subject,Status
# TLS handshake with the certificate:
# openssl s_client -starttls smtp -crlf -connect contoso-com.mail.protection.outlook.com:25 -cert relay-cert.pem -cert_chain relay-intermediates.pem -key relay.key

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
# Postfix TLS support (smtp_tls_chain_files, smtp_tls_cert_file): https://www.postfix.org/TLS_README.html
# Debian and Ubuntu default rsyslog configuration: mail.* to /var/log/mail.log
# Red Hat Enterprise Linux default rsyslog configuration: mail.* to /var/log/maillog
# EOP Field Notes: Use headers to determine which tenant a message was attributed to (2019)
# Get-MessageTraceV2 (cmdlet reference): https://learn.microsoft.com/powershell/module/exchangepowershell/get-messagetracev2
# Non-accepted domain report in the new Exchange admin center
# openssl-s_client manual: https://docs.openssl.org/master/man1/openssl-s_client/
# Message center MC1226222: attribution of mail over OnPremises connectors (Feb 2026)
