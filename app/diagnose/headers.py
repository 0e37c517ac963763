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

Read against real header sets (tests/field; exchange-facts.md section 11): on-premises
Exchange stamps the X-MS-Exchange-Organization-* headers too, so they count only beside an Exchange
Online hop; FromEntityHeader Hosted is a message submitted in Exchange Online (it tests no connector)
and Internet one that Exchange Online did not attribute to the sender's tenant; the envelope sender is
the smtp.mailfrom Exchange Online saw, not the last Return-Path, which lists and forwarders rewrite.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.parser import HeaderParser

from app.translate import Translate, plain

MAX_TEXT = 200_000
ATTRIBUTED, NOT_ATTRIBUTED, UNKNOWN = "attributed", "not_attributed", "unknown"
SUBMITTED = "submitted"   # sent from a mailbox in Exchange Online: no connector was involved
VIA_CERTIFICATE, VIA_OTHER = "certificate_connector", "other"

_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^[!-9;-~]+:")  # any printable name without a colon (msip_labels: too)
# Exchange writes version=TLS1_2; OpenSSL-based servers write "using TLSv1.2", and "TLSv1" for TLS 1.0.
_TLS = re.compile(r"version=TLS1_([0-3])|using TLSv1(?:\.([0-3]))?", re.IGNORECASE)
_EOP_HOP = re.compile(r"\bby\s+\S+\.(?:mail\.)?protection\.(?:outlook\.com|office365\.us|partner\.outlook\.cn)",
                      re.IGNORECASE)
_FROM = re.compile(r"^from\s+(\S+)", re.IGNORECASE)
_MICROSOFT = ("outlook.com", "office365.com", "office365.us", "outlook.cn", "microsoft.com")
_SRS = re.compile(r"^(?:bounces\+)?SRS[01]?[=+]", re.IGNORECASE)
_EXO_RECEIVED = re.compile(r"\bby\s+\S+\.(?:prod\.outlook\.com|protection\.outlook\.com|outlook\.office365\.com|"
                           r"prod\.protection\.outlook\.com|office365\.us|partner\.outlook\.cn)\b", re.IGNORECASE)
_EXO_HEADERS = ("X-MS-Exchange-CrossTenant-", "X-EOPAttributedMessage", "X-EOPTenantAttributedMessage",
                "X-MS-Exchange-Transport-CrossTenantHeadersStamped")
_MAILFROM = re.compile(r"\bsmtp\.mailfrom=\s*\"?<?([^\s;\"<>]*)", re.IGNORECASE)
_HELO_ONLY = re.compile(r"\bsmtp\.helo=", re.IGNORECASE)
_SPF_DOMAIN = re.compile(r"\(protection\.outlook\.com:\s+domain of\s+(\S+?)\s", re.IGNORECASE)
_COMMENT = re.compile(r"\([^()]*\)")
_ANGLE = re.compile(r"<([^<>]*)>")
_SOFT_BREAK = "="
MAX_NOTICES = 20
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
    notices: list[str] = field(default_factory=list)   # lines that were not headers, read as folds (never dropped)

    @property
    def proven(self) -> bool:
        return self.verdict == ATTRIBUTED and self.via == VIA_CERTIFICATE

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "via": self.via, "tenant_id": self.tenant_id, "auth_as": self.auth_as,
                "directionality": self.directionality, "tls": self.tls, "envelope_sender": self.envelope_sender,
                "message": self.message, "evidence": list(self.evidence), "notices": list(self.notices),
                "proven": self.proven}


def _header_block(text: str) -> tuple[str, list[str]]:
    """From the first ``Name: value`` line to the blank line that ends the headers.

    A line that is neither a header nor indented (a fold that lost its leading space in a web form, a
    quoted-printable soft break) is read as the continuation of the line before, and said, so that
    nothing after it is dropped without a word."""
    # pragma: no mutate start, the parser also ends a line at a lone CR
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # pragma: no mutate end
    start = next((i for i, line in enumerate(lines) if _HEADER_LINE.match(line)), None)
    if start is None:
        raise HeaderInputError("no header line")  # pragma: no mutate: never shown, callers say their own
    kept: list[str] = []
    notices: list[str] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            break
        if _HEADER_LINE.match(line) or line[:1] in (" ", "\t") or not kept:
            kept.append(line)
            continue
        if kept[-1].endswith(_SOFT_BREAK) and not kept[-1].endswith("=="):
            kept[-1] = kept[-1][:-1] + line
        else:
            kept[-1] = kept[-1] + " " + line.strip()
        if len(notices) < MAX_NOTICES:
            notices.append(f"{number}: {line.strip()[:120]}")
    return "\n".join(kept) + "\n", notices


def _values(message, name: str) -> list[str]:
    return [" ".join(str(v).split()) for v in message.get_all(name) or []]


def read_headers(text: str, tenant_id: str | None = None, accepted_domains: list[str] | tuple = (),
                 _: Translate = plain) -> HeaderReading:
    if len(text) > MAX_TEXT:
        raise HeaderInputError("too large")  # pragma: no mutate: never shown, callers say their own
    block, notices = _header_block(text[:MAX_TEXT])
    message = HeaderParser().parsestr(block)
    if not message.keys():
        raise HeaderInputError("no header line")  # pragma: no mutate: never shown, callers say their own
    found = {name: _values(message, name) for name in WATCHED}
    evidence = [f"{name}: {value}" for name in WATCHED for value in found[name]]
    # pragma: no mutate start, header names are case-insensitive
    received = _values(message, "Received")
    tls, hop = _tls(received)
    # pragma: no mutate end
    if hop:
        evidence.insert(0, "Received: " + hop)
    entity = {v.lower() for v in found["X-MS-Exchange-CrossTenant-FromEntityHeader"]}
    online = _exchange_online_hop(message, received)
    tenants = _tenants(found) if online else []
    wanted = (tenant_id or "").strip().lower() or None
    via_connector = ("hybridonprem" in entity
                     or bool(found["X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp"]))
    sender, sender_line = _envelope_sender(message, found["Return-Path"])
    if sender_line:
        evidence.append(sender_line)
    common = dict(auth_as=_first(found["X-MS-Exchange-Organization-AuthAs"] or found["X-MS-Exchange-CrossTenant-AuthAs"]),
                  directionality=_first(found["X-MS-Exchange-Organization-MessageDirectionality"]),
                  tls=tls, envelope_sender=sender, evidence=evidence, notices=notices)
    if not online:
        return HeaderReading(UNKNOWN, None, None, message=_(
            "These headers never passed through Exchange Online (no Exchange Online hop: the "
            "X-MS-Exchange-Organization headers are stamped by on-premises Exchange too). Paste the headers of the "
            "test message as the external recipient received it."), **common)
    if not via_connector and "hosted" in entity:
        return HeaderReading(SUBMITTED, None, tenants[0] if tenants else None, message=_(
            "This message was sent from a mailbox in Exchange Online (FromEntityHeader Hosted): it did not come "
            "through a connector, so it tests none. Send the test message from your on-premises server."), **common)
    own = wanted if wanted in tenants else (tenants[0] if tenants and not wanted else None)
    if not via_connector or own is None:
        if "internet" in entity and not via_connector:
            return HeaderReading(NOT_ATTRIBUTED, None, None, message=_(
                "Exchange Online received this message as mail from the internet (FromEntityHeader Internet): it "
                "was not attributed to the sender's tenant through a connector. The tenant in these headers is the "
                "one that received it. Check the inbound connector and the certificate the server sends with."),
                **common)
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


def _exchange_online_hop(message, received: list[str]) -> bool:
    """A Received line by Exchange Online, or a header only Exchange Online stamps (facts section 11)."""
    names = {name.lower() for name in message.keys()}
    if any(name.startswith(prefix.lower()) for name in names for prefix in _EXO_HEADERS):
        return True
    return any(_EXO_RECEIVED.search(line) for line in received)


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


def _envelope_sender(message, return_paths: list[str]) -> tuple[str | None, str]:
    """The envelope sender Exchange Online saw: smtp.mailfrom in its own authentication results (or the
    domain its Received-SPF checked); the last Return-Path only when Exchange Online left neither, since
    mailing lists and forwarders rewrite it. An SPF check of the HELO name alone means an empty sender."""
    candidates = _values(message, "X-MS-Exchange-Authentication-Results")
    candidates += [v for v in _values(message, "ARC-Authentication-Results") if "mx.microsoft.com" in v.lower()][::-1]
    candidates += [v for v in _values(message, "Authentication-Results")
                   if not re.match(r"^\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}\s*;", v)][::-1]
    for value in candidates:
        found = _MAILFROM.search(value)
        if found:
            return found.group(1).strip().rstrip(";").lower(), "smtp.mailfrom: " + found.group(1)
        if _HELO_ONLY.search(value) and "spf=" in value.lower():
            return "", "smtp.helo only (empty envelope sender)"
    for value in _values(message, "Received-SPF"):
        found = _SPF_DOMAIN.search(value)
        if found:
            return found.group(1).lower(), "Received-SPF: domain of " + found.group(1)
    if not return_paths:
        return None, ""
    value = _COMMENT.sub("", return_paths[-1]).strip()
    angle = _ANGLE.search(value)
    return (angle.group(1) if angle else value.strip("<>")).strip(), ""


def _via(sender: str | None, accepted: list[str] | tuple) -> str | None:
    """Certificate when only it could relay the message: empty sender, SRS-rewritten or not accepted."""
    if sender is None:
        return None
    if sender == "" or _SRS.match(sender):
        return VIA_CERTIFICATE
    if not accepted:
        return None
    domain = sender.rsplit("@", 1)[-1].lower()
    is_accepted = any(domain == a or domain.endswith("." + a) for a in accepted)
    return VIA_OTHER if is_accepted else VIA_CERTIFICATE
