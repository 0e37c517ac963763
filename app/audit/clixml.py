"""Export-Clixml output (PowerShell's own object file, attached to tickets) -> PastedObjects.

Parsed by defusedxml (no entities, no DTD, no external references). Each top-level <Obj> becomes
one object: its kind from the .NET type names PowerShell recorded (<TN>), its fields from the
properties (<Props> and <MS>), lists joined as Format-List prints them ({a, b}). An Exchange
certificate is serialized as its raw bytes (RawData) only: the fields the rules read (Subject,
Issuer, NotAfter, Thumbprint, IsSelfSigned, CertificateDomains) are taken from the certificate
itself, and the certificate goes to the certificate check like a pasted PEM block.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
import warnings

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from app.audit.model import (
    ACCEPTED_DOMAIN, CERTIFICATE, EXCHANGE_SERVER, HYBRID_CONFIGURATION, INBOUND_CONNECTOR, OUTBOUND_CONNECTOR,
    QUEUE, RECEIVE_CONNECTOR, SEND_CONNECTOR, TRANSPORT_SERVICE, Field, PastedObject,
)

NS = "{http://schemas.microsoft.com/powershell/2004/04}"
MAX_OBJECTS = 1_000
_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<Objs\b[^>]*schemas\.microsoft\.com/powershell/2004/04", re.DOTALL)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
# The .NET type PowerShell recorded -> the kind of object; the first type name that ends so wins.
_TYPES = (
    ("ExchangeCertificate", CERTIFICATE),
    ("SmtpSendConnectorConfig", SEND_CONNECTOR),
    ("ReceiveConnector", RECEIVE_CONNECTOR),
    ("TenantInboundConnector", INBOUND_CONNECTOR),
    ("TenantOutboundConnector", OUTBOUND_CONNECTOR),
    ("AcceptedDomain", ACCEPTED_DOMAIN),
    ("HybridConfiguration", HYBRID_CONFIGURATION),
    ("ExchangeServer", EXCHANGE_SERVER),
    ("QueueInfo", QUEUE),
    ("ExtensibleQueueInfo", QUEUE),
    ("TransportServer", TRANSPORT_SERVICE),
    ("TransportService", TRANSPORT_SERVICE),
)


class ClixmlError(ValueError):
    """The text is a Clixml file, but not one that can be read."""


def is_clixml(text: str) -> bool:
    return bool(_START.match(text[:2000].lstrip("\ufeff")))


def read_clixml(text: str) -> list[PastedObject]:
    try:
        root = ElementTree.fromstring(text.lstrip("\ufeff").encode("utf-8"), forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        raise ClixmlError(str(error)) from error
    objects = []
    for position, obj in enumerate(root.findall(NS + "Obj")[:MAX_OBJECTS], start=1):
        types = _type_names(root, obj)
        kind = _kind(types)
        fields: dict[str, Field] = {}
        for section in ("Props", "MS"):
            props = obj.find(NS + section)
            for element in list(props) if props is not None else []:
                name = element.get("N")
                if name and name.lower() not in fields:
                    value = _value(root, element)
                    if value is not None:
                        fields[name.lower()] = Field(name, value, position, f"{name} : {value}"[:240])
        pasted = PastedObject(kind, position, fields)
        if kind == CERTIFICATE and "rawdata" in fields:
            _certificate_fields(pasted, position)
        fields.pop("rawdata", None)
        fields.pop("serializationdata", None)
        objects.append(pasted)
    return objects


def _type_names(root, obj) -> list[str]:
    tn = obj.find(NS + "TN")
    if tn is None:
        ref = obj.find(NS + "TNRef")
        if ref is not None:
            tn = next((t for t in root.iter(NS + "TN") if t.get("RefId") == ref.get("RefId")), None)
    return [t.text or "" for t in tn.findall(NS + "T")] if tn is not None else []


def _kind(types: list[str]) -> str | None:
    for name in types:
        short = name.split("`")[0].rsplit(".", 1)[-1]
        for suffix, kind in _TYPES:
            if short == suffix:
                return kind
    return None


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _value(root, element) -> str | None:
    tag = element.tag.removeprefix(NS)
    if tag == "Nil":
        return ""
    if tag in ("S", "B", "I32", "I64", "U32", "U64", "DT", "G", "Db", "D", "Sg", "By", "SB", "TS", "URI", "Version",
               "C", "I16", "U16", "SS"):
        text = _unescape(element.text or "")
        return {"true": "True", "false": "False"}.get(text, text) if tag == "B" else text
    if tag == "BA":
        return element.text or ""
    if tag == "Ref":
        target = next((o for o in root.iter(NS + "Obj") if o.get("RefId") == element.get("RefId")), None)
        return _value(root, target) if target is not None else None
    if tag == "Obj":
        listed = element.find(NS + "LST") or element.find(NS + "IE")
        if listed is not None:
            items = [_value(root, item) or "" for item in list(listed)]
            return "{" + ", ".join(i for i in items if i) + "}"
        shown = element.find(NS + "ToString")
        if shown is not None:
            return _unescape(shown.text or "")
        return None
    return None


def _windows_name(name) -> str:
    """An X.500 name as Windows prints it: the RDNs in reverse, S= for the state (exchange-facts section 5)."""
    from app.certs.names import windows_name  # the certificate module's own rendering
    return windows_name(name)


def _certificate_fields(pasted: PastedObject, position: int) -> None:
    """Subject, Issuer, dates, thumbprint and names from the certificate's own bytes."""
    from cryptography import x509
    from cryptography.x509.oid import ExtensionOID

    raw = pasted.fields["rawdata"].value
    try:
        der = base64.b64decode(raw, validate=False)
        cert = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        return
    with warnings.catch_warnings():  # a lab certificate's "C=Germany": cryptography warns, the name still reads
        warnings.simplefilter("ignore")
        subject, issuer = _windows_name(cert.subject), _windows_name(cert.issuer)
    try:
        names = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
        domains = [n.value for n in names if isinstance(n, x509.DNSName)]
    except x509.ExtensionNotFound:
        domains = []
    values = {
        "Subject": subject, "Issuer": issuer,
        "NotBefore": cert.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "NotAfter": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S"),
        "Thumbprint": hashlib.sha1(der).hexdigest().upper(),  # nosec B324: Windows names certificates by SHA-1
        "IsSelfSigned": "True" if cert.issuer == cert.subject else "False",
        "CertificateDomains": "{" + ", ".join(domains) + "}",
    }
    found = pasted.fields.get("pscomputername")
    server = found.value.strip() if found else ""
    if server:
        values["Server"] = server
    for name, value in values.items():
        pasted.fields.setdefault(name.lower(), Field(name, value, position, f"{name} : {value}"[:240]))
    body = base64.encodebytes(der).decode("ascii").replace("\n", "")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    pasted.certificates.append("\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"]))
