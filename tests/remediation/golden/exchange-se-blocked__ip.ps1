# Certificate-based relay through Exchange Online (Microsoft KB 3169958)
# Case: CASE-2026-0042
# Organization: Contoso Ltd
# Generated on 2026-11-05 with ruleset 2026.11.1
# Do not run this file as a whole. Run each part where its heading says, one command at a time, and read the dry run (-WhatIf) before the change itself.
# Warning: If this server also sends mail to other Microsoft 365 organizations, each needs its own certificate and send connector (message center MC1226222): mail presenting this certificate is attributed to the organization whose connector matches it.
# First: Add mail.contoso.com to Microsoft 365 as a domain.
# In Microsoft 365 admin center > Settings > Domains, choose Add domain, enter mail.contoso.com and verify it with the DNS record the admin center shows.
# The domain needs no mailboxes and no MX record: Exchange Online only has to know it, to attribute the relayed mail to your organization.
# Or get a certificate whose CN or SAN holds one of your accepted domains, like fabrikam.com, or a name under one, like mail.fabrikam.com, and upload it to this case instead.

# ======================================================================
# Part 1: Exchange Online (Exchange Online PowerShell)
# ======================================================================
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).

# ======================================================================
# Part 2: on-premises, Exchange Server Subscription Edition
# ======================================================================
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).

# ======================================================================
# Part 3: after the changes (remove the # to run a command)
# ======================================================================
# Step 3: Test the relay
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).
# Step 4: Retire the IP-based connector Inbound from printers (IP)
# Not yet: Add mail.contoso.com to Microsoft 365 as a domain (above).
