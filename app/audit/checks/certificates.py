"""The certificate the send connector presents, on each of its source servers."""
from __future__ import annotations

from datetime import timedelta

from app.audit import derive, values
from app.audit.derive import Context, Hit
from app.audit.model import CERTIFICATE, PastedObject
from app.certs.model import CertificateReport, INFO, WARNING

SOON_WARNING, SOON_INFO = 30, 60     # days, as the certificate check's expires_soon (app/certs/findings.py)
TRUSTED_STATUS = {"valid", ""}


def check(ctx: Context, connector: PastedObject | None, reports: dict[int, CertificateReport]) -> list[Hit]:
    if connector is None:
        return []
    hits = _not_found(ctx, connector)
    for server, certificate in derive.relay_certificates(ctx, connector):
        hits += _certificate(ctx, connector, server, certificate, reports.get(id(certificate)))
    return hits


def _not_found(ctx: Context, c: PastedObject) -> list[Hit]:
    tls_name = values.tls_certificate_name(c.get("TlsCertificateName"))
    if tls_name is None or not derive.certificates_on(ctx.config):
        return []
    hits = []
    known = any(derive.server_of(cert) for cert in derive.certificates_on(ctx.config))
    for server in (derive.source_servers(c) if known else []) or [""]:
        installed = derive.certificates_on(ctx.config, server)
        matches = derive.matching_certificates(tls_name, installed)
        params = {"name": c.name, "value": c.text("TlsCertificateName"), "server": server or "-"}
        if not matches and installed:
            hits.append(Hit("tls_certificate_not_found", c.evidence("TlsCertificateName"), params,
                            {"connector": c.name, "server": server}))
        elif len(matches) > 1:
            chosen = derive.chosen_certificate(matches)
            thumbprints = [values.thumbprint(m.get("Thumbprint")) for m in matches]
            hits.append(Hit("tls_certificate_ambiguous", [e for m in matches for e in m.evidence("Thumbprint")],
                            {**params, "count": len(matches), "thumbprints": ", ".join(thumbprints),
                             "chosen": values.thumbprint(chosen.get("Thumbprint")) if chosen else "-"}))
    return hits


def _certificate(ctx: Context, c: PastedObject, server: str, cert: PastedObject,
                 report: CertificateReport | None) -> list[Hit]:
    thumbprint = values.thumbprint(cert.get("Thumbprint")) or "-"
    base = {"name": c.name, "server": server or "-", "thumbprint": shown(cert)}
    target = {"server": server, "thumbprint": thumbprint, "connector": c.name}
    hits = []
    services = values.services(cert.get("Services"))
    if cert.has("Services") and "SMTP" not in services:
        hits.append(Hit("certificate_not_smtp", cert.evidence("Services"),
                        {**base, "services": ", ".join(services) or "None"}, target))
    if cert.flag("HasPrivateKey") is False:
        hits.append(Hit("certificate_no_private_key", cert.evidence("HasPrivateKey"), base, target))
    if cert.flag("IsSelfSigned"):
        hits.append(Hit("certificate_self_signed", cert.evidence("IsSelfSigned"), base, target))
    elif cert.text("RootCAType") and cert.text("RootCAType").lower() != "thirdparty":
        hits.append(Hit("certificate_root_not_third_party", cert.evidence("RootCAType"),
                        {**base, "root": cert.text("RootCAType")}, target))
    if cert.text("Status").lower() not in TRUSTED_STATUS and not cert.flag("IsSelfSigned"):
        hits.append(Hit("certificate_status_invalid", cert.evidence("Status"),
                        {**base, "status": cert.text("Status")}, target))
    hits += _expiry(ctx, cert, base, target)
    if report is not None:
        said = {h.code for h in hits}
        hits += [Hit("certificate_finding", cert.evidence("Thumbprint"), {"message": f.message, "finding": f.code},
                     target, f.severity)
                 for f in report.findings if f.code in _REPORTED and _SAID_BY_FL.get(f.code) not in said]
    return hits


# The analysis findings an audit repeats (the others concern choosing a name, the wizard's business),
# and those the Format-List lines already said in the audit's own words.
_REPORTED = frozenset({"self_signed", "expired", "untrusted_root", "incomplete_chain", "weak_key", "weak_signature",
                       "name_not_accepted", "not_yet_valid"})
_SAID_BY_FL = {"self_signed": "certificate_self_signed", "expired": "certificate_expired"}


def _expiry(ctx: Context, cert: PastedObject, base: dict, target: dict) -> list[Hit]:
    readings = values.dates(cert.get("NotAfter"))
    if not readings:
        return []
    latest, earliest = max(readings), min(readings)
    evidence = cert.evidence("NotAfter")
    if latest <= ctx.now:
        return [Hit("certificate_expired", evidence, {**base, "date": latest.date().isoformat()}, target)]
    days = (earliest - ctx.now) // timedelta(days=1)
    if days <= SOON_INFO:
        severity = WARNING if days <= SOON_WARNING else INFO
        return [Hit("certificate_expires_soon", evidence,
                    {**base, "date": earliest.date().isoformat(), "days": max(days, 0)}, target, severity)]
    return []


def self_signed(cert: PastedObject) -> bool | None:
    """IsSelfSigned as printed, else whether the issuer is the subject (None: neither was pasted)."""
    flag = cert.flag("IsSelfSigned")
    if flag is not None:
        return flag
    if cert.text("Issuer") and cert.text("Subject"):
        return values.same_name(cert.text("Issuer"), cert.text("Subject"))
    return None


def on_their_own(ctx: Context, relay_found: bool) -> list[Hit]:
    """Certificates are checked even when no send connector says which one relays: none from a public CA
    blocks the relay; an SMTP certificate that expired, is not trusted or lacks its key is reported."""
    certificates = ctx.config.of(CERTIFICATE)
    if not certificates:
        return []
    hits = []
    signed = [self_signed(c) for c in certificates]
    if all(signed) and not relay_found:  # with a relay certificate, its own self-signed finding says it
        names = [values.common_name(c.text("Subject")) or c.text("Subject") or values.thumbprint(c.get("Thumbprint"))
                 for c in certificates]
        hits.append(Hit("certificate_none_public", [e for c in certificates for e in c.evidence("IsSelfSigned", "Issuer")][:6],
                        {"count": len(certificates), "names": ", ".join(dict.fromkeys(n for n in names if n))}))
    if relay_found:
        return hits
    for cert, own in zip(certificates, signed):
        if own or "SMTP" not in values.services(cert.get("Services")):
            continue
        server = derive.server_of(cert)
        thumbprint = values.thumbprint(cert.get("Thumbprint")) or "-"
        base = {"name": "-", "server": server or "-", "thumbprint": shown(cert)}
        target = {"server": server, "thumbprint": thumbprint}
        if cert.flag("HasPrivateKey") is False:
            hits.append(Hit("certificate_no_private_key", cert.evidence("HasPrivateKey"), base, target))
        if cert.text("RootCAType") and cert.text("RootCAType").lower() != "thirdparty":
            hits.append(Hit("certificate_root_not_third_party", cert.evidence("RootCAType"),
                            {**base, "root": cert.text("RootCAType")}, target))
        if cert.text("Status").lower() not in TRUSTED_STATUS:
            hits.append(Hit("certificate_status_invalid", cert.evidence("Status"),
                            {**base, "status": cert.text("Status")}, target))
        hits += _expiry(ctx, cert, base, target)
    return hits


def shown(cert: PastedObject) -> str:
    """How a finding names a certificate: its thumbprint, else the first name it carries (a list cut short
    before Subject and Thumbprint still names its domains)."""
    return (values.thumbprint(cert.get("Thumbprint")) or next(iter(cert.items("CertificateDomains")), "")
            or cert.text("Subject") or "-")
