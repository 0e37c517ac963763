# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.2
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# First: Get a certificate whose name is one of your accepted domains.
# No name on the uploaded certificate can identify your server to Exchange Online: see the evidence at the end.
# Ask a public CA (one in Microsoft's Trusted Root Program) for a certificate whose CN or SAN holds one of your accepted domains, like contoso.com, or a name under one, like mail.contoso.com.
# Install the certificate on the server, then upload it to this case to get the exact values and commands.

# ======================================================================
# Part 1: Exchange Online (Exchange Online PowerShell)
# ======================================================================
# Not yet: Get a certificate whose name is one of your accepted domains (above).

# ======================================================================
# Part 2: on-premises, Postfix
# ======================================================================
# Not yet: Get a certificate whose name is one of your accepted domains (above).

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Not yet: Get a certificate whose name is one of your accepted domains (above).
# Step 4: Retire the IP-based connector Inbound from printers (IP)
# Not yet: Get a certificate whose name is one of your accepted domains (above).

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
