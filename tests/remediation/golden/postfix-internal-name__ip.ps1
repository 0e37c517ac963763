# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.11.1
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
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
