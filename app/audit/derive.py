"""Facts the rules share: which connectors relay, which certificate the send connector picks, its names."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from app.audit import values
from app.audit.model import (
    ACCEPTED_DOMAIN, CERTIFICATE, EXCHANGE_SERVER, HYBRID_CONFIGURATION, INBOUND_CONNECTOR, SEND_CONNECTOR,
    Configuration, Evidence, PastedObject,
)
from app.certs.domains import normalize_certificate_name
from app.certs.matching import normalize_accepted
from app.remediation.mx import check_mx_endpoint

ROUTING_SUFFIX = ".mail.onmicrosoft.com"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class Hit:
    """One failed check: the rule, the lines that show it, the values for its message and fix."""
    code: str
    evidence: list[Evidence]
    params: dict = field(default_factory=dict)
    target: dict = field(default_factory=dict)
    severity: str | None = None


@dataclass
class Context:
    config: Configuration
    accepted: list[str]                  # normalized accepted domains
    now: datetime
    mx: str                              # the tenant's MX endpoint as far as known
    mx_known: bool


def accepted_domains(config: Configuration, given: list[str]) -> list[str]:
    return normalize_accepted([o.text("DomainName") for o in config.of(ACCEPTED_DOMAIN)] + list(given))


def onpremises_connectors(config: Configuration) -> list[PastedObject]:
    return [c for c in config.of(INBOUND_CONNECTOR) if c.text("ConnectorType").lower() in ("onpremises", "")]


def relays_to_office365(connector: PastedObject) -> bool:
    """A send connector for * (or the tenant's routing domain) that goes to Exchange Online or to a smart host."""
    spaces = [values.address_space(s) for s in connector.items("AddressSpaces")]
    return "*" in spaces or any(s.endswith(ROUTING_SUFFIX) for s in spaces)


def smart_hosts(connector: PastedObject) -> list[str]:
    hosts = connector.items("SmartHosts") or connector.items("SmartHostsString")
    return [h.strip("[]").lower() for h in hosts if h]


def relay_send_connectors(config: Configuration) -> list[PastedObject]:
    return [c for c in config.of(SEND_CONNECTOR) if relays_to_office365(c)]


def goes_to_exchange_online(connector: PastedObject) -> bool:
    hosts = smart_hosts(connector)
    if hosts:
        return any(check_mx_endpoint(h).ok for h in hosts)
    spaces = [values.address_space(s) for s in connector.items("AddressSpaces")]
    return any(s.endswith(ROUTING_SUFFIX) for s in spaces)


def server_of(certificate: PastedObject) -> str:
    """The server a certificate was read on: its Server line, or the part of Identity before the backslash."""
    server = certificate.text("Server") or certificate.text("PSComputerName")
    identity = certificate.text("Identity")
    if not server and "\\" in identity:
        server = identity.partition("\\")[0]
    return server.partition(".")[0].upper()


def source_servers(connector: PastedObject) -> list[str]:
    return [s.partition(".")[0].upper() for s in connector.items("SourceTransportServers")]


def certificates_on(config: Configuration, server: str = "") -> list[PastedObject]:
    """The certificates read on ``server`` and those read without one; every one for no server."""
    certificates = [c for c in config.of(CERTIFICATE) if c.has("Issuer") or c.has("Subject")]
    known = {server_of(c) for c in certificates} - {""}
    if not server or not known:
        return certificates
    return [c for c in certificates if server_of(c) in (server, "")]


def matching_certificates(tls_name: tuple[str, str], certificates: list[PastedObject]) -> list[PastedObject]:
    issuer, subject = tls_name
    return [c for c in certificates
            if values.same_name(c.text("Issuer"), issuer) and values.same_name(c.text("Subject"), subject)]


def expiry(certificate: PastedObject) -> datetime | None:
    """The latest reading of NotAfter (locale-ambiguous dates give two readings)."""
    readings = values.dates(certificate.get("NotAfter"))
    return max(readings) if readings else None


def chosen_certificate(matches: list[PastedObject]) -> PastedObject | None:
    """Exchange uses, among same issuer and subject, the certificate that expires last."""
    if not matches:
        return None
    return max(matches, key=lambda c: expiry(c) or _EPOCH)


def certificate_names(certificate: PastedObject) -> list[str]:
    names: list[str] = []
    for text in [values.common_name(certificate.text("Subject"))] + certificate.items("CertificateDomains"):
        name = normalize_certificate_name(text) if text else None
        if name and name not in names:
            names.append(name)
    return names


def connector_value_matches(value: str, name: str) -> bool:
    """Whether TlsSenderCertificateName ``value`` matches certificate name ``name`` (exchange-facts section 4)."""
    value, name = value.lower(), name.lower()
    if name.startswith("*."):
        return value == name
    if value.startswith("*."):
        base = value[2:]
        return name == base or name.endswith("." + base)
    return value == name


def value_is_accepted(value: str, accepted: list[str]) -> bool:
    value = value.lower()
    if value.startswith("*."):
        base = value[2:]
        return any(a == base or a.endswith("." + base) for a in accepted)
    return value in accepted


def hybrid(config: Configuration) -> PastedObject | None:
    found = config.of(HYBRID_CONFIGURATION)
    return found[0] if found else None


def servers(config: Configuration) -> list[PastedObject]:
    return config.of(EXCHANGE_SERVER)


def covers(name: str, host: str) -> bool:
    """A certificate name (maybe ``*.domain``, one label) naming ``host``."""
    name, host = name.lower(), host.lower()
    if name.startswith("*."):
        return "." in host and host.split(".", 1)[1] == name[2:]
    return name == host


def relay_certificates(ctx: Context, connector: PastedObject) -> list[tuple[str, PastedObject]]:
    """(server, certificate) the send connector presents from each of its source servers."""
    tls_name = values.tls_certificate_name(connector.get("TlsCertificateName"))
    fqdn = connector.text("Fqdn").lower()
    chosen = []
    known = any(server_of(c) for c in ctx.config.of(CERTIFICATE))
    for server in (source_servers(connector) if known else []) or [""]:
        installed = certificates_on(ctx.config, server)
        if tls_name:
            pick = chosen_certificate(matching_certificates(tls_name, installed))
        elif fqdn:
            pick = chosen_certificate([c for c in installed if "SMTP" in values.services(c.get("Services"))
                                       and any(covers(n, fqdn) for n in certificate_names(c))])
        else:
            pick = None
        if pick is not None:
            chosen.append((server or server_of(pick), pick))
    return chosen


def relay_order(config: Configuration) -> list[PastedObject]:
    """Send connectors that reach Exchange Online, the KB's relay first: address space * before the
    tenant's routing domain (hybrid mail), enabled before disabled."""
    def rank(c: PastedObject) -> tuple:
        spaces = [values.address_space(s) for s in c.items("AddressSpaces")]
        return ("*" not in spaces, c.flag("Enabled") is False, not goes_to_exchange_online(c))
    return sorted(relay_send_connectors(config), key=rank)
