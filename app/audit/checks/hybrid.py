"""Hybrid: the Hybrid Configuration Wizard's objects against the connectors (KB 2989382, HealthChecker)."""
from __future__ import annotations

from app.audit import derive, values
from app.audit.derive import Context, Hit
from app.audit.model import RECEIVE_CONNECTOR, PastedObject


def check(ctx: Context, relay: PastedObject | None, connector: PastedObject | None) -> list[Hit]:
    """``relay``: the send connector for *; ``connector``: the one the Hybrid Configuration Wizard made."""
    hits = _cloud_services(ctx, relay)
    config = derive.hybrid(ctx.config)
    if config is None:
        return hits
    hybrid_name = config.text("TlsCertificateName")
    hybrid_tls = values.tls_certificate_name(hybrid_name)
    if connector is not None and hybrid_tls and values.tls_certificate_name(connector.get("TlsCertificateName")):
        sent = values.tls_certificate_name(connector.get("TlsCertificateName"))
        if not (values.same_name(sent[0], hybrid_tls[0]) and values.same_name(sent[1], hybrid_tls[1])):
            hits.append(Hit("hybrid_certificate_mismatch",
                            config.evidence("TlsCertificateName") + connector.evidence("TlsCertificateName"),
                            {"hybrid": hybrid_name, "name": connector.name,
                             "value": connector.text("TlsCertificateName")}))
    if hybrid_tls:
        hits += _frontend(ctx, hybrid_name, hybrid_tls, config)
        hits += _edited(ctx, hybrid_name, hybrid_tls, config)
    return hits


def _cloud_services(ctx: Context, connector: PastedObject | None) -> list[Hit]:
    if connector is None or connector.flag("CloudServicesMailEnabled") is None:
        return []
    send = connector.flag("CloudServicesMailEnabled")
    hits = []
    for inbound in derive.onpremises_connectors(ctx.config):
        mine = inbound.flag("CloudServicesMailEnabled")
        if inbound.flag("Enabled") is not False and mine is not None and mine != send:
            hits.append(Hit("cloud_services_mail_mismatch",
                            connector.evidence("CloudServicesMailEnabled")
                            + inbound.evidence("CloudServicesMailEnabled"),
                            {"send": send, "send_name": connector.name, "inbound": mine, "name": inbound.name},
                            {"connector": inbound.name, "send_connector": connector.name,
                             "side": "inbound" if send else "send"}))
    return hits


def _frontend(ctx: Context, hybrid_name: str, hybrid_tls: tuple[str, str], config: PastedObject) -> list[Hit]:
    hits = []
    for receive in ctx.config.of(RECEIVE_CONNECTOR):
        if "default frontend" not in receive.name.lower():
            continue
        named = values.tls_certificate_name(receive.get("TlsCertificateName"))
        if named and values.same_name(named[0], hybrid_tls[0]) and values.same_name(named[1], hybrid_tls[1]):
            continue
        hits.append(Hit("frontend_certificate_mismatch",
                        receive.evidence("TlsCertificateName") + config.evidence("TlsCertificateName"),
                        {"name": receive.label, "value": receive.text("TlsCertificateName") or "-",
                         "hybrid": hybrid_name},
                        {"receive_connector": receive.label, "server": receive.text("Server")}))
    return hits


def _edited(ctx: Context, hybrid_name: str, hybrid_tls: tuple[str, str], config: PastedObject) -> list[Hit]:
    expected = values.common_name(hybrid_tls[1]) or ""
    hits = []
    for inbound in derive.onpremises_connectors(ctx.config):
        value = inbound.text("TlsSenderCertificateName")
        if inbound.text("ConnectorSource").lower() != "hybridwizard" or not value or not expected:
            continue
        if not derive.connector_value_matches(value, expected):
            hits.append(Hit("hybrid_connector_edited",
                            inbound.evidence("ConnectorSource", "TlsSenderCertificateName")
                            + config.evidence("TlsCertificateName"),
                            {"name": inbound.name, "value": value, "hybrid": hybrid_name}))
    return hits
