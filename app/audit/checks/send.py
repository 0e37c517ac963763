"""The Exchange server's side: the send connector that relays through Exchange Online."""
from __future__ import annotations

import ipaddress

from app.audit import derive, values
from app.audit.derive import Context, Hit
from app.audit.model import PastedObject
from app.audit.parts import EXCHANGE_SERVER_PART
from app.remediation.mx import _LEGACY_SUFFIXES, _SUBMISSION_HOSTS, check_mx_endpoint

WEAK_LEVELS = {"", "encryptiononly"}
SERVICE_DOMAINS = ("mail.protection.outlook.com", "protection.outlook.com", "mail.protection.office365.us",
                   "mail.protection.partner.outlook.cn", "mx.microsoft")


def missing(ctx: Context) -> list[Hit]:
    if EXCHANGE_SERVER_PART not in ctx.config.parts or not _any_send_connectors(ctx):
        return []
    return [] if derive.relay_send_connectors(ctx.config) else [Hit("send_connector_missing", [])]


def check(ctx: Context, connector: PastedObject, tls_names_apply: bool) -> list[Hit]:
    target = {"connector": connector.name}
    hits = []
    if connector.flag("Enabled") is False:
        hits.append(Hit("send_connector_disabled", connector.evidence("Enabled"),
                        {"name": connector.name, "spaces": ", ".join(connector.items("AddressSpaces"))}, target))
    hits += _smart_hosts(ctx, connector)
    hits += _tls(connector)
    if tls_names_apply:
        hits += _certificate_name(connector)
    return hits


def _any_send_connectors(ctx: Context) -> bool:
    from app.audit.model import SEND_CONNECTOR
    return bool(ctx.config.of(SEND_CONNECTOR))


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def _smart_hosts(ctx: Context, c: PastedObject) -> list[Hit]:
    evidence = c.evidence("SmartHosts", "SmartHostsString")
    params = {"name": c.name, "mx": ctx.mx}
    target = {"connector": c.name}
    for host in derive.smart_hosts(c):
        if host in _SUBMISSION_HOSTS:
            return [Hit("smart_host_submission", evidence, {**params, "host": host}, target)]
        if host.endswith(_LEGACY_SUFFIXES) or _is_address(host):
            return [Hit("smart_host_legacy", evidence, {**params, "host": host}, target)]
    hosts = derive.smart_hosts(c)
    if hosts and not any(check_mx_endpoint(h).ok for h in hosts) and "*" in _spaces(c):
        return [Hit("smart_host_not_mx_endpoint", evidence, {**params, "host": ", ".join(hosts)}, target)]
    return []


def _spaces(c: PastedObject) -> list[str]:
    return [values.address_space(s) for s in c.items("AddressSpaces")]


def _tls(c: PastedObject) -> list[Hit]:
    target = {"connector": c.name}
    if c.flag("RequireTLS") is False:
        return [Hit("require_tls_off", c.evidence("RequireTLS"), {"name": c.name}, target)]
    level = c.text("TlsAuthLevel")
    if c.has("TlsAuthLevel") and level.lower() in WEAK_LEVELS:
        return [Hit("tls_auth_level_weak", c.evidence("TlsAuthLevel"), {"name": c.name, "level": level or "-"},
                    target)]
    domain = c.text("TlsDomain").lower()
    if level.lower() == "domainvalidation":
        if not domain:
            return [Hit("tls_domain_missing", c.evidence("TlsAuthLevel", "TlsDomain"), {"name": c.name}, target)]
        if not domain.endswith(SERVICE_DOMAINS):
            return [Hit("tls_domain_unexpected", c.evidence("TlsDomain"), {"name": c.name, "domain": domain},
                        target)]
    return []


def _certificate_name(c: PastedObject) -> list[Hit]:
    value = c.text("TlsCertificateName")
    if not c.has("TlsCertificateName"):
        return []
    if not value:
        if c.text("Fqdn"):
            return []  # Exchange picks the SMTP certificate that names the Fqdn (HealthChecker accepts this)
        return [Hit("tls_certificate_name_missing", c.evidence("TlsCertificateName", "Fqdn"), {"name": c.name},
                    {"connector": c.name})]
    named = values.tls_certificate_name(value)
    if named is None:
        return [Hit("tls_certificate_name_syntax", c.evidence("TlsCertificateName"),
                    {"name": c.name, "value": value}, {"connector": c.name})]
    if named[0] and values.same_name(named[0], named[1]):
        return [Hit("tls_certificate_name_self_signed", c.evidence("TlsCertificateName"),
                    {"name": c.name, "value": value}, {"connector": c.name})]
    return []
