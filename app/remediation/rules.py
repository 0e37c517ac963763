"""The remediation rules as data, with the version every report states.

Bump RULESET_VERSION whenever a value here, or the commands generated from it,
changes: a printed plan must say which rules made it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.translate import N_

RULESET_VERSION = "2026.12.3"

# Plan verdict while no certificate has been analysed yet (the report's verdicts
# are READY / NEEDS_ATTENTION / BLOCKED from app.certs.model).
IN_PROGRESS = "in_progress"

# Checklist item statuses.
DONE, TODO, BLOCKED = "done", "todo", "blocked"

# Checklist item ids, in the order of the KB (register the domain first: the
# connector cannot be saved with a domain the tenant does not know).
REGISTER_DOMAIN = "register_domain"
EXCHANGE_ONLINE = "exchange_online_connector"
ON_PREMISES = "on_premises"
VERIFY = "verify"
CLEANUP = "cleanup"
UPGRADE_EXCHANGE = "upgrade_exchange"    # first, before everything: Exchange Online blocks this version
REQUEST_CERTIFICATE = "request_certificate"  # before the domain: the certificate itself cannot serve (issue 25)

# Which items an error finding blocks. Any error makes the certificate unusable,
# so everything that installs or tests it waits; a certificate whose names are
# not accepted domains also leaves no value for the connector. The
# register-domain item is never blocked: it is the remedy for name_not_accepted.
BLOCKED_BY_ANY_ERROR = (ON_PREMISES, VERIFY, CLEANUP)
BLOCKED_BY_CONNECTOR_DOMAIN_ERROR = (EXCHANGE_ONLINE,) + BLOCKED_BY_ANY_ERROR
CONNECTOR_DOMAIN_ERRORS = frozenset({"name_not_accepted"})
# Findings whose remedy is the plan's first item (register the domain, or get a
# certificate with a public name): the items they block point back to it.
FIXED_BY_FIRST_ITEM = frozenset({"name_not_accepted", "internal_name"})

# Exchange Server version per server kind, spelled as in
# exchange-cmdlet-parameters.json ("applicable"), which decides the parameters.
EXCHANGE_VERSIONS = {
    "exchange-2010": "Exchange Server 2010",
    "exchange-2013": "Exchange Server 2013",
    "exchange-2016": "Exchange Server 2016",
    "exchange-2019": "Exchange Server 2019",
    "exchange-se": "Exchange Server SE",
}
EXCHANGE_ONLINE_VERSION = "Exchange Online"

SERVER_LABELS = {
    "exchange-2010": N_("Exchange Server 2010"),
    "exchange-2013": N_("Exchange Server 2013"),
    "exchange-2016": N_("Exchange Server 2016"),
    "exchange-2019": N_("Exchange Server 2019"),
    "exchange-se": N_("Exchange Server Subscription Edition"),
    "postfix": N_("Postfix"),
    "sendmail": N_("Sendmail"),
    "exim": N_("Exim"),
    "other": N_("another server or appliance"),
}

# Connector and send connector names are values typed into Exchange: never
# translated (an admin searching for them must find the same text).
DEFAULT_CONNECTOR_NAME = "From on-premises by certificate"
SEND_CONNECTOR_NAME = "To Office 365 (certificate)"
CONNECTOR_NAME_MAX = 64

# Placeholders for files only the admin knows; named so they read as such.
WINDOWS_PFX_PATH = "C:\\Certificates\\relay.pfx"
WINDOWS_INTERMEDIATE_PATH = "C:\\Certificates\\intermediate-%d.cer"
UNIX_CERT_FILE = "relay-cert.pem"                     # the certificate alone
UNIX_INTERMEDIATES_FILE = "relay-intermediates.pem"   # the intermediate certificates
UNIX_CHAIN_FILE = "relay-cert-chain.pem"              # the certificate, then the intermediates
UNIX_KEY_FILE = "relay.key"

# Where a smart host goes while the admin has not confirmed the MX endpoint. The
# reserved top-level domain .invalid never resolves (RFC 2606), so a command or
# configuration pasted with it fails instead of sending mail to a guessed host.
MX_PLACEHOLDER = "your-mx-endpoint.invalid"


@dataclass(frozen=True)
class Dated:
    """When a rule's truth depends on the date: when Microsoft stated it, and when it was last checked."""
    as_of: date       # the date of Microsoft's statement the rule rests on
    checked: date     # the date the rule was last checked against Microsoft's page


# exchange-facts.md section 11 was checked against Microsoft's pages on this date.
CHECKED_SECTION_11 = date(2026, 12, 6)
# exchange-facts.md section 12 (the audit against Microsoft's pages of that day).
CHECKED_SECTION_12 = date(2026, 12, 7)


@dataclass(frozen=True)
class Lifecycle:
    end_of_support: date | None       # None: in support
    sources: tuple[str, ...]          # ids in app.remediation.sources
    blocked: bool = False             # Exchange Online throttles, then blocks, mail from this version
    dated: Dated | None = None        # when the blocking was stated and last checked


# Exchange Server support (Microsoft Lifecycle); Exchange Server SE is the supported version. Exchange Online's
# transport-based enforcement throttles and then blocks out-of-date servers over OnPremises connectors
# (4.7.230 / 5.7.230): Exchange 2010 and 2013 (blog-tbes-2023, blog-pause-2023; facts section 11). The last
# updates of 2016 and 2019 (October 2025) are not blocked as of the last check: a warning, not a blocker.
_ENFORCED = Dated(as_of=date(2023, 12, 12), checked=CHECKED_SECTION_11)
EXCHANGE_LIFECYCLE = {
    "exchange-2010": Lifecycle(date(2020, 10, 13), ("lifecycle-2010", "blog-tbes-2023", "blog-pause-2023"), True,
                               _ENFORCED),
    "exchange-2013": Lifecycle(date(2023, 4, 11), ("lifecycle-2013", "blog-tbes-2023", "blog-pause-2023"), True,
                               _ENFORCED),
    "exchange-2016": Lifecycle(date(2025, 10, 14), ("lifecycle-2016", "blog-pause-2023")),
    "exchange-2019": Lifecycle(date(2025, 10, 14), ("lifecycle-2019", "blog-pause-2023")),
    "exchange-se": Lifecycle(None, ("lifecycle-se",)),
}

# Exchange versions that may run on Windows Server 2008 R2: no Import-Certificate
# (PKI module, Windows Server 2012 and later), and TLS 1.2 off by default.
# Sources: advice.CERTUTIL and advice.TLS12.
OLD_WINDOWS_KINDS = frozenset({"exchange-2010", "exchange-2013"})

# Exchange Online's certificates chain to this root (MC1224565); SHA-1 thumbprint
# as the Exchange Team blog gives it, checked against certifi in the tests.
DIGICERT_GLOBAL_ROOT_G2 = "DF3C24F9BFD666761B268073FE06D1CC8D4F82A4"

# Fixed Microsoft 365 names used in instructions (user-facing: translated).
ADMIN_CENTER_DOMAINS = N_("Microsoft 365 admin center > Settings > Domains")
FROM_ON_PREMISES = N_("Your organization's email server")
TO_OFFICE_365 = N_("Office 365")
RETAIN_HEADERS = N_("Retain internal Exchange email headers (recommended)")
NEW_CERTIFICATE_OPTION = N_(
    "By verifying that the subject name on the certificate that the sending server "
    "uses to authenticate with Office 365 matches the domain entered in the text box "
    "below (recommended)"
)
