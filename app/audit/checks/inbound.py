"""Exchange Online's side: the OnPremises inbound connector and what it expects of the certificate."""
from __future__ import annotations

from app.audit import derive
from app.audit.derive import Context, Hit
from app.audit.model import PastedObject
from app.audit.parts import EXCHANGE_ONLINE_PART
from app.certs.matching import find_candidates


def check(ctx: Context, relay_names: list[str]) -> list[Hit]:
    if EXCHANGE_ONLINE_PART not in ctx.config.parts:
        return []
    connectors = derive.onpremises_connectors(ctx.config)
    if not connectors:
        return [Hit("inbound_connector_missing", [])]
    enabled = [c for c in connectors if c.flag("Enabled") is not False]
    hits = [Hit("connector_type_not_shown", c.evidence("Name"), {"name": c.name}, {"connector": c.name})
            for c in connectors if not c.has("ConnectorType")]
    hits += [Hit("inbound_connector_disabled", c.evidence("Enabled"), {"name": c.name}, {"connector": c.name})
            for c in connectors if c.flag("Enabled") is False and not enabled]
    by_certificate = [c for c in enabled if c.text("TlsSenderCertificateName")]
    fix_value = _best_value(ctx, relay_names)
    # Only a connector shown to be OnPremises is blamed for admitting by IP: one whose type was not pasted may
    # be a partner's (connector_type_not_shown asks for it).
    typed = [c for c in enabled if c.has("ConnectorType")]
    if typed and not by_certificate:
        c = typed[0]
        hits.append(Hit("inbound_connector_by_ip_only", c.evidence("TlsSenderCertificateName", "SenderIPAddresses"),
                        {"name": c.name, "value": fix_value}, {"connector": c.name, "value": fix_value}))
    for connector in by_certificate:
        hits += _value_hits(ctx, connector, relay_names, fix_value)
    hits += _duplicates(by_certificate, relay_names)
    hits += _flags(enabled)
    return hits


def _best_value(ctx: Context, relay_names: list[str]) -> str | None:
    candidates = find_candidates(relay_names, ctx.accepted) if ctx.accepted else []
    return candidates[0].connector_domain if candidates else None


def _value_hits(ctx: Context, c: PastedObject, relay_names: list[str], fix_value: str | None) -> list[Hit]:
    value = c.text("TlsSenderCertificateName").lower()
    evidence = c.evidence("TlsSenderCertificateName")
    base = {"name": c.name, "value": value, "fix_value": fix_value}
    target = {"connector": c.name, "value": fix_value}
    if relay_names and not any(derive.connector_value_matches(value, n) for n in relay_names):
        return [Hit("tls_sender_name_not_on_certificate", evidence, {**base, "names": ", ".join(relay_names)},
                    target)]
    if ctx.accepted and not derive.value_is_accepted(value, ctx.accepted):
        domain = value.removeprefix("*.")
        # The other way out is a value that is accepted now: a name that needs adding first is no way out.
        usable = fix_value if fix_value and derive.value_is_accepted(fix_value, ctx.accepted) else None
        return [Hit("tls_sender_name_not_accepted", evidence,
                    {**base, "fix_value": usable, "accepted": ", ".join(ctx.accepted), "domain": domain},
                    target if usable and usable != value else {})]
    plain = [n for n in relay_names if not n.startswith("*.")]
    if value.startswith("*.") and plain and not any(n.startswith("*.") for n in relay_names):
        host = next(n for n in plain if derive.connector_value_matches(value, n))  # one matched above
        return [Hit("tls_sender_name_wildcard", evidence,
                    {**base, "names": ", ".join(relay_names), "domain": value[2:], "host": host})]
    return []


def _duplicates(connectors: list[PastedObject], relay_names: list[str]) -> list[Hit]:
    if len(connectors) < 2:
        return []
    if relay_names:
        same = [c for c in connectors
                if any(derive.connector_value_matches(c.text("TlsSenderCertificateName"), n) for n in relay_names)]
    else:
        values = [c.text("TlsSenderCertificateName").lower() for c in connectors]
        same = [c for c in connectors if values.count(c.text("TlsSenderCertificateName").lower()) > 1]
    if len(same) < 2:
        return []
    evidence = [e for c in same for e in c.evidence("TlsSenderCertificateName")]
    return [Hit("duplicate_onpremises_connectors", evidence,
                {"names": ", ".join(c.name for c in same),
                 "value": ", ".join(relay_names) or same[0].text("TlsSenderCertificateName")})]


def _flags(connectors: list[PastedObject]) -> list[Hit]:
    return [Hit("treat_messages_as_internal", c.evidence("TreatMessagesAsInternal"), {"name": c.name},
                {"connector": c.name})
            for c in connectors if c.flag("TreatMessagesAsInternal")]
