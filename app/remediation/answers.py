"""The wizard's answers as the plan builder takes them: plain data."""
from __future__ import annotations

from dataclasses import dataclass, field

SCENARIOS = ("ndr", "non_accepted_domain", "forwarding", "applications", "not_sure")
KB_SCENARIOS = ("ndr", "non_accepted_domain", "forwarding")

CONNECTOR_KINDS = ("none", "ip", "certificate")

# The Exchange server that makes the TLS connection to Exchange Online, and so must hold the certificate
# (facts section 11): the Mailbox servers themselves, their front end (FrontendProxyEnabled), or an Edge server.
EGRESS = ("mailbox", "frontend", "edge", "unsure")

EXCHANGE_KINDS = ("exchange-2010", "exchange-2013", "exchange-2016", "exchange-2019", "exchange-se")
SERVER_KINDS = EXCHANGE_KINDS + ("postfix", "sendmail", "exim", "other")


@dataclass(frozen=True)
class PlanAnswers:
    accepted_domains: list[str]                 # normalized: lower case, IDNA (A-labels), no trailing dot
    server_kind: str                            # one of SERVER_KINDS
    server_fqdn: str = ""                       # the sending server's FQDN
    mx_endpoint: str = ""                       # the tenant's MX host, e.g. contoso-com.mail.protection.outlook.com
    hybrid_wizard: bool = False                 # Exchange set up by the Hybrid Configuration Wizard
    egress: str = "mailbox"                     # one of EGRESS: which Exchange server connects to Exchange Online
    existing_connector_kind: str = "none"       # one of CONNECTOR_KINDS
    existing_connector_name: str = ""
    scenarios: list[str] = field(default_factory=list)  # subset of SCENARIOS
    connector_domain: str | None = None         # the admin's choice; None: take the recommendation
    organization: str = ""
    case_reference: str = ""
