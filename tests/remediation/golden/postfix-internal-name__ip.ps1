# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.12.3
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
throw 'This file is a plan to read, not a script to run: nothing was changed. Copy each command where its heading says and run it on its own, the dry run (-WhatIf) first.'
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# First: Get a certificate whose name is one of your accepted domains.
# No name on the uploaded certificate can identify your server to Exchange Online: see the evidence at the end.
# Ask a public CA (one in Microsoft's Trusted Root Program) for a certificate whose CN or SAN holds one of your accepted domains, like contoso.com, or a name under one, like mail.contoso.com.
# Ask the CA for mail.contoso.com. mail.contoso.com is the name Exchange Online will know your server by: enter it on the connector. Do not ask for internal names (under .local, .lan or .corp, single-label names, IP addresses): no public CA issues them. Ask for a wildcard (*.contoso.com) only if you choose it knowingly: the connector would then say *.contoso.com, which any other certificate under contoso.com matches too.
# Send the request to a public CA: Exchange Online accepts only certificates that chain to a root in Microsoft's Trusted Root Program, whose participants Microsoft publishes. Your own CA and self-signed certificates do not work. Before you buy, upload the request file on the certificate step of this wizard to check it.
# Run this on the server that sends (OpenSSL 1.1.1 or later for -addext). It writes the new private key to relay.key, readable only by you, and the request to relay.csr: paste the request's text into the CA's order form. Save what the CA sends back as the certificate and the intermediate files that step 2 names.
# Or get the certificate from an ACME CA such as Let's Encrypt, whose root has been in Microsoft's Trusted Root Program since July 2018. Use the DNS-01 challenge: the ACME client proves that you control mail.contoso.com with a TXT record at _acme-challenge.mail.contoso.com through your DNS provider's API, so the relay needs no open port 80. certbot (with the DNS plugin for your provider) and acme.sh (with its DNS API mode) are packaged by most distributions. ACME certificates last 90 days or less: let the client renew them and run the command below after each renewal, which installs the files where step 2 expects them and reloads Postfix.
# As of 2026-12-06, Microsoft has not published whether Exchange Online requires the Client Authentication extended key usage (1.3.6.1.5.5.7.3.2) on the certificate of an OnPremises connector, where your server is the TLS client. Public CAs stopped including it in TLS certificates during 2026 (Let's Encrypt's default profile since 11 February 2026), and the CA, not your request, decides which usages the certificate carries. We do not claim it either way: after you install the new certificate, send a test message to an external recipient and check in its headers or in the message trace that Exchange Online attributed it to your organization, before you remove the old certificate.
# Install the certificate on the server, then upload it to this case to get the exact values and commands.

# ======================================================================
# Request the certificate
# ======================================================================
# -- Request the certificate (shell)
# (umask 077; openssl req -new -newkey rsa:2048 -nodes -keyout relay.key -out relay.csr -subj /CN=mail.contoso.com -addext subjectAltName=DNS:mail.contoso.com)
# -- Or with an ACME client (DNS-01)
# # certbot: replace dns-PROVIDER with your DNS provider's plugin and its credentials option
# certbot certonly --dns-PROVIDER -d mail.contoso.com --deploy-hook 'install -m 600 "$RENEWED_LINEAGE/privkey.pem" /etc/postfix/tls/relay.key && install -m 644 "$RENEWED_LINEAGE/fullchain.pem" /etc/postfix/tls/relay-cert-chain.pem && chmod 600 /etc/postfix/tls/relay.key && (umask 077; cat /etc/postfix/tls/relay.key /etc/postfix/tls/relay-cert-chain.pem > /etc/postfix/tls/relay-key-chain.pem) && postfix reload'
# # acme.sh: replace dns_PROVIDER with your DNS provider's API name
# acme.sh --issue --dns dns_PROVIDER -d mail.contoso.com
# acme.sh --install-cert -d mail.contoso.com --key-file /etc/postfix/tls/relay.key --fullchain-file /etc/postfix/tls/relay-cert-chain.pem --reloadcmd 'chmod 600 /etc/postfix/tls/relay.key && (umask 077; cat /etc/postfix/tls/relay.key /etc/postfix/tls/relay-cert-chain.pem > /etc/postfix/tls/relay-key-chain.pem) && postfix reload'

# ======================================================================
# Step 1: Create the connector From on-premises by certificate in Exchange Online
# ======================================================================
# Not yet: Get a certificate whose name is one of your accepted domains (above).

# ======================================================================
# Step 2: Configure Postfix to present the certificate
# ======================================================================
# Not yet: Get a certificate whose name is one of your accepted domains (above).

# ======================================================================
# After the changes (remove the # to run a command)
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
# CA/Browser Forum Baseline Requirements: publicly trusted CAs issue no certificates for internal names or reserved IP addresses (since 1 Oct 2016): https://cabforum.org/working-groups/server/baseline-requirements/requirements/
# Exchange Team blog: TLS Certificates in Exchange Hybrid - Common Issues & How to Fix them (June 2025): https://techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592
# Microsoft Trusted Root Program: List of Participants (published through the CCADB): https://github.com/TrustedRootProgram/Program-Requirements/blob/main/Participants%20List.md
# openssl-req manual (-newkey, -subj, -addext): https://docs.openssl.org/master/man1/openssl-req/
# Let's Encrypt: Challenge Types (DNS-01): https://letsencrypt.org/docs/challenge-types/
# Certbot User Guide: DNS plugins and renewal hooks (--deploy-hook): https://eff-certbot.readthedocs.io/en/stable/using.html
# acme.sh: DNS API mode and --install-cert with --reloadcmd: https://github.com/acmesh-official/acme.sh
# Let's Encrypt: Root Trusted By All Major Root Programs (6 Aug 2018; Microsoft since July 2018): https://letsencrypt.org/2018/08/06/trusted-by-all-major-root-programs/
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
