"""Pasted text -> findings: read it, derive the shared facts, run every concern's checks, word the findings."""
from __future__ import annotations

from datetime import datetime, timezone

from app.audit import derive, pem
from app.audit.catalog import RULES, RULESET_VERSION, SEVERITY_ORDER
from app.audit.checks import certificates, hybrid, inbound, operations, send
from app.audit.derive import Context, Hit
from app.audit.fixes import build_fix_plan, server_version
from app.audit.model import (
    CERTIFICATE, INBOUND_CONNECTOR, SEND_CONNECTOR, Audit, Configuration, Finding, PastedObject,
)
from app.audit.parts import EXCHANGE_ONLINE_PART, EXCHANGE_SERVER_PART
from app.audit.reading import read_configuration
from app.certs.model import CertificateReport, verdict_for
from app.certs.trust import TrustStore
from app.remediation.mx import check_mx_endpoint, guess_mx_endpoint
from app.translate import Translate, plain

_ORDER = {code: position for position, code in enumerate(RULES)}


def run_audit(text: str, accepted_domains: list[str] | None = None, certificate_pem: str | None = None, *,
              now: datetime | None = None, trust_store: TrustStore | None = None, mx_endpoint: str = "",
              server_kind: str | None = None, _: Translate = plain) -> Audit:
    """Audit pasted Get-* output; raises reading.AuditInputError when nothing in it can be read."""
    config = read_configuration(text)
    now = now or datetime.now(timezone.utc)
    accepted = derive.accepted_domains(config, list(accepted_domains or []))
    mx, mx_known = _mx_endpoint(config, accepted, mx_endpoint)
    ctx = Context(config, accepted, now, mx, mx_known)
    version = server_version(config, server_kind)
    hits = _checks(ctx, config, certificate_pem, trust_store, version, _)
    findings = sorted((_finding(hit, _) for hit in hits),
                      key=lambda f: (SEVERITY_ORDER[f.severity], _ORDER[f.code]))
    return Audit(findings, verdict_for(findings), config, build_fix_plan(findings, ctx, version, _), now,
                 RULESET_VERSION, _counts(config))


def _checks(ctx: Context, config: Configuration, certificate_pem: str | None, trust_store: TrustStore | None,
            version: str, _: Translate) -> list[Hit]:
    connectors = derive.relay_order(config)
    connector = connectors[0] if connectors else None
    relay = derive.relay_certificates(ctx, connector) if connector else []
    presented = {id(cert): cert for c in connectors for _server, cert in derive.relay_certificates(ctx, c)}
    reports = {key: pem.report(cert, ctx.accepted, ctx.now, trust_store, _) for key, cert in presented.items()}
    extra = _given_certificate(certificate_pem, relay, reports)
    if extra is not None:
        reports[id(extra)] = pem.report(extra, ctx.accepted, ctx.now, trust_store, _)
    names = _relay_names(relay, reports, extra)
    tls_names_apply = version != "Exchange Server 2010"
    hits = _coverage(config)
    # A rule about an object runs only when that cmdlet's output was read (config.read).
    hits += inbound.check(ctx, names) if INBOUND_CONNECTOR in config.read else []
    hits += send.missing(ctx)
    found = {k: v for k, v in reports.items() if v is not None}
    for each in connectors:
        hits += send.check(ctx, each, tls_names_apply)
        hits += certificates.check(ctx, each, found) if tls_names_apply else []
    hits += hybrid.check(ctx, connector, _hybrid_connector(connectors))
    hits += operations.servers(ctx) + operations.queues(ctx, _)
    hits += operations.logs(ctx, [cert for _server, cert in relay])
    hits += certificates.on_their_own(ctx, bool(relay))
    if any(h.code == "certificate_self_signed" for h in hits):  # the certificate itself was found and said
        hits = [h for h in hits if h.code != "tls_certificate_name_self_signed"]
    return _unique(hits)


def _hybrid_connector(connectors: list[PastedObject]) -> PastedObject | None:
    """The connector the Hybrid Configuration Wizard made (CloudServicesMailEnabled), else the relay one."""
    return next((c for c in connectors if c.flag("CloudServicesMailEnabled")), connectors[0] if connectors else None)


def _unique(hits: list[Hit]) -> list[Hit]:
    """One finding per problem: two connectors presenting one certificate report it once."""
    seen, result = set(), []
    for hit in hits:
        key = (hit.code, tuple(e.line for e in hit.evidence),
               tuple(sorted((k, str(v)) for k, v in hit.target.items() if k != "connector")))
        if key not in seen:
            seen.add(key)
            result.append(hit)
    return result


def _given_certificate(certificate_pem: str | None, relay: list[tuple[str, PastedObject]],
                       reports: dict[int, CertificateReport | None]) -> PastedObject | None:
    """The certificate given beside the paste (API, case): used when the paste printed none."""
    if not certificate_pem or any(reports.get(id(cert)) for _server, cert in relay):
        return None
    return PastedObject(CERTIFICATE, 0, certificates=[certificate_pem])


def _relay_names(relay: list[tuple[str, PastedObject]], reports: dict[int, CertificateReport | None],
                 extra: PastedObject | None) -> list[str]:
    names: list[str] = []
    for _server, cert in relay:
        names += derive.certificate_names(cert) + pem.names(reports.get(id(cert)))
    if extra is not None:
        names += pem.names(reports.get(id(extra)))
    return list(dict.fromkeys(names))


def _coverage(config: Configuration) -> list[Hit]:
    hits = []
    if EXCHANGE_ONLINE_PART not in config.parts:
        hits.append(Hit("exchange_online_output_missing", []))
    if EXCHANGE_SERVER_PART not in config.parts:
        hits.append(Hit("exchange_server_output_missing", []))
    if EXCHANGE_ONLINE_PART in config.parts and INBOUND_CONNECTOR not in config.read:
        hits.append(Hit("inbound_connector_output_missing", []))
    if EXCHANGE_SERVER_PART in config.parts and SEND_CONNECTOR not in config.read:
        hits.append(Hit("send_connector_output_missing", []))
    return hits


def _mx_endpoint(config: Configuration, accepted: list[str], given: str) -> tuple[str, bool]:
    from app.audit.model import SEND_CONNECTOR
    for connector in config.of(SEND_CONNECTOR):
        for host in derive.smart_hosts(connector):
            if check_mx_endpoint(host).ok:
                return host, True
    if given and check_mx_endpoint(given).ok:
        return check_mx_endpoint(given).host, True
    own = [d for d in accepted if not d.endswith(".onmicrosoft.com")]
    return guess_mx_endpoint((own or accepted or ["contoso.com"])[0]), False


def _finding(hit: Hit, _: Translate) -> Finding:
    rule = RULES[hit.code]
    params = {k: _text(v, _) for k, v in hit.params.items()}
    message = _(rule.message, **params) if params else _(rule.message)
    if rule.dated:  # a rule whose truth depends on the date says the date Microsoft stated it
        message = _("%(text)s (as of %(date)s)", text=message, date=rule.dated.as_of.isoformat())
    return Finding(hit.code, hit.severity or rule.severity, _(rule.title), message,
                   hit.evidence, _(rule.fix, **params) if params else _(rule.fix), rule.sources, hit.target)


def _text(value, _: Translate) -> str:
    if value is None:  # a value the paste did not show, e.g. a connector value while the certificate is unknown
        return _("a name on the certificate that is an accepted domain")
    return str(value) if not isinstance(value, bool) else ("True" if value else "False")  # pragma: no mutate: str() of a bool says the same


def _counts(config: Configuration) -> dict[str, int]:
    counts: dict[str, int] = {}
    for obj in config.objects:
        counts[obj.kind or "unknown"] = counts.get(obj.kind or "unknown", 0) + 1
    if config.log_lines:
        counts["log_lines"] = len(config.log_lines)
    return counts
