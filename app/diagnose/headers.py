"""The headers of a relayed test message -> was it attributed to the tenant, and through which path. No Flask.

Exchange Online stamps, on mail it relays for a tenant, X-MS-Exchange-CrossTenant-Id
(the tenant), -FromEntityHeader (HybridOnPrem: it came in through an OnPremises
connector; Internet or Hosted: it did not) and
-OriginalAttributedTenantConnectingIp (TenantId, IP and HELO of the server it was
attributed from); X-EOPTenantAttributedMessage and the X-MS-Exchange-Organization-*
headers say the same inside the tenant (exchange-facts.md section 10; Microsoft
Learn, troubleshoot hybrid mail flow: MessageDirectionality and AuthAs). A message
only the certificate can relay (a non-delivery report, empty envelope sender, or a
sender domain that is not accepted) proves the certificate path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.parser import HeaderParser

from app.translate import Translate, plain

MAX_TEXT = 200_000
ATTRIBUTED, NOT_ATTRIBUTED, UNKNOWN = "attributed", "not_attributed", "unknown"
VIA_CERTIFICATE, VIA_OTHER = "certificate_connector", "other"

_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*:")
# Exchange writes version=TLS1_2; OpenSSL-based servers write "using TLSv1.2", and "TLSv1" for TLS 1.0.
_TLS = re.compile(r"version=TLS1_([0-3])|using TLSv1(?:\.([0-3]))?", re.IGNORECASE)
_EOP_HOP = re.compile(r"\bby\s+\S+\.(?:mail\.)?protection\.(?:outlook\.com|office365\.us|partner\.outlook\.cn)",
                      re.IGNORECASE)
_FROM = re.compile(r"^from\s+(\S+)", re.IGNORECASE)
_MICROSOFT = ("outlook.com", "office365.com", "office365.us", "outlook.cn", "microsoft.com")
_SRS = re.compile(r"^(?:bounces\+)?SRS[01]?[=+]", re.IGNORECASE)
WATCHED = (
    "X-MS-Exchange-CrossTenant-Id", "X-MS-Exchange-CrossTenant-FromEntityHeader",
    "X-MS-Exchange-CrossTenant-AuthAs", "X-MS-Exchange-CrossTenant-AuthSource",
    "X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp", "X-EOPTenantAttributedMessage",
    "X-MS-Exchange-Organization-AuthAs", "X-MS-Exchange-Organization-AuthSource",
    "X-MS-Exchange-Organization-MessageDirectionality", "X-OriginatorOrg", "Return-Path",
)


class HeaderInputError(ValueError):
    """Nothing in the text looks like message headers."""


@dataclass(frozen=True)
class HeaderReading:
    verdict: str                     # ATTRIBUTED | NOT_ATTRIBUTED | UNKNOWN
    via: str | None                  # VIA_CERTIFICATE | VIA_OTHER | None (not attributed, or cannot tell)
    tenant_id: str | None
    auth_as: str | None
    directionality: str | None
    tls: str | None                  # the TLS version of the hop into Exchange Online, e.g. "TLS1_2"
    envelope_sender: str | None
    message: str
    evidence: list[str] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return self.verdict == ATTRIBUTED and self.via == VIA_CERTIFICATE

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "via": self.via, "tenant_id": self.tenant_id, "auth_as": self.auth_as,
                "directionality": self.directionality, "tls": self.tls, "envelope_sender": self.envelope_sender,
                "message": self.message, "evidence": list(self.evidence), "proven": self.proven}


def _header_block(text: str) -> str:
    """From the first ``Name: value`` line to the blank line that ends the headers."""
    # pragma: no mutate start, the parser also ends a line at a lone CR
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # pragma: no mutate end
    start = next((i for i, line in enumerate(lines) if _HEADER_LINE.match(line)), None)
    if start is None:
        raise HeaderInputError("no header line")  # pragma: no mutate: never shown, callers say their own
    return "\n".join(lines[start:]).lstrip()  # pragma: no mutate: starts at a name, no blank to strip


def _values(message, name: str) -> list[str]:
    return [" ".join(str(v).split()) for v in message.get_all(name) or []]


def read_headers(text: str, tenant_id: str | None = None, accepted_domains: list[str] | tuple = (),
                 _: Translate = plain) -> HeaderReading:
    if len(text) > MAX_TEXT:
        raise HeaderInputError("too large")  # pragma: no mutate: never shown, callers say their own
    message = HeaderParser().parsestr(_header_block(text[:MAX_TEXT]))
    if not message.keys():
        raise HeaderInputError("no header line")  # pragma: no mutate: never shown, callers say their own
    found = {name: _values(message, name) for name in WATCHED}
    evidence = [f"{name}: {value}" for name in WATCHED for value in found[name]]
    # pragma: no mutate start, header names are case-insensitive
    tls, hop = _tls(_values(message, "Received"))
    # pragma: no mutate end
    if hop:
        evidence.insert(0, "Received: " + hop)
    tenants = _tenants(found)
    wanted = (tenant_id or "").strip().lower() or None
    via_connector = ("hybridonprem" in {v.lower() for v in found["X-MS-Exchange-CrossTenant-FromEntityHeader"]}
                     or bool(found["X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp"]))
    sender = _envelope_sender(found["Return-Path"])
    common = dict(auth_as=_first(found["X-MS-Exchange-Organization-AuthAs"] or found["X-MS-Exchange-CrossTenant-AuthAs"]),
                  directionality=_first(found["X-MS-Exchange-Organization-MessageDirectionality"]),
                  tls=tls, envelope_sender=sender, evidence=evidence)
    if not tenants and not any(found[name] for name in WATCHED[:-2]):
        return HeaderReading(UNKNOWN, None, None, message=_(
            "These headers show no sign of Exchange Online. Paste the headers of the test message as the external "
            "recipient received it."), **common)
    own = wanted if wanted in tenants else (tenants[0] if tenants and not wanted else None)
    if not via_connector or own is None:
        other = ", ".join(tenants) or "-"
        return HeaderReading(NOT_ATTRIBUTED, None, tenants[0] if tenants else None, message=_(
            "Exchange Online did not attribute this message to your tenant through an OnPremises connector "
            "(tenants in the headers: %(tenants)s). Check the inbound connector and the certificate the server "
            "sends with.", tenants=other), **common)
    via = _via(sender, accepted_domains)
    if via == VIA_CERTIFICATE:
        text_ = _("Exchange Online attributed this message to tenant %(tenant)s through the OnPremises connector, "
                  "and only the certificate could have done so: its envelope sender is %(sender)s.",
                  tenant=own, sender=sender or "<>")
    elif via == VIA_OTHER:
        text_ = _("Exchange Online attributed this message to tenant %(tenant)s through the OnPremises connector, "
                  "but its envelope sender %(sender)s is an accepted domain, so an IP-based connector could have "
                  "done that too. Send a message only the certificate can relay to prove it.",
                  tenant=own, sender=sender)
    else:
        text_ = _("Exchange Online attributed this message to tenant %(tenant)s through the OnPremises connector. "
                  "We cannot tell whether the certificate did it: add your accepted domains, or send a non-delivery "
                  "report.", tenant=own)
    return HeaderReading(ATTRIBUTED, via, own, message=text_, **common)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _tenants(found: dict[str, list[str]]) -> list[str]:
    """Tenant ids in the headers; the ones Exchange Online tied to an OnPremises connector come first."""
    ids = (found["X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp"]
           + found["X-MS-Exchange-CrossTenant-Id"] + found["X-EOPTenantAttributedMessage"])
    tenants = [m.group(0).lower() for value in ids for m in _GUID.finditer(value)]
    return list(dict.fromkeys(tenants))


def _tls(received: list[str]) -> tuple[str | None, str | None]:
    """The TLS version of the hop into Exchange Online: the oldest Received line stamped by its front door
    for a sender outside Microsoft (the hops inside Exchange Online come after it)."""
    for line in reversed(received):
        sender = _FROM.match(line)
        if _EOP_HOP.search(line) and sender and not sender.group(1).lower().endswith(_MICROSOFT):
            match = _TLS.search(line)
            return (f"TLS1_{match.group(1) or match.group(2) or 0}" if match else None), line
    return None, None


def _envelope_sender(values: list[str]) -> str | None:
    if not values:
        return None
    return values[-1].strip().strip("<>").strip()


def _via(sender: str | None, accepted: list[str] | tuple) -> str | None:
    """Certificate when only it could relay the message: empty sender, SRS-rewritten or not accepted."""
    if sender is None:
        return None
    if sender == "" or _SRS.match(sender):
        return VIA_CERTIFICATE
    if not accepted or "@" not in sender:
        return None
    domain = sender.rsplit("@", 1)[1].lower()
    is_accepted = any(domain == a or domain.endswith("." + a) for a in accepted)
    return VIA_OTHER if is_accepted else VIA_CERTIFICATE
