"""The entry point: certificates and accepted domains in, a CertificateReport out."""
from __future__ import annotations

from datetime import datetime, timezone

from cryptography import x509

from app.certs.chain import Links, quiet_parser_warnings
from app.certs.facts import chain_facts
from app.certs.findings import certificate_findings, validity_findings
from app.certs.matching import find_candidates, internal_names, name_findings, normalize_accepted, public_names
from app.certs.model import ERROR, CertificateFacts, CertificateReport, Finding
from app.certs.names import tls_certificate_name
from app.certs.trust import TrustStore, chain_findings, load_trust_store, verify_chain, verify_path
from app.translate import Translate, plain


def analyze(certificates: list[x509.Certificate], accepted_domains: list[str], *,
            now: datetime | None = None, trust_store: TrustStore | None = None,
            private_key_dropped: bool = False, _: Translate = plain) -> CertificateReport:
    """Analyse an upload (as read_certificates returns it) against the accepted domains.

    ``now`` defaults to the current time; ``trust_store`` to certifi's roots.
    """
    if not certificates:
        raise ValueError("analyze() needs at least one certificate")  # pragma: no mutate: a programmer's error
    now = now or datetime.now(timezone.utc)
    store = trust_store or load_trust_store(None)
    with quiet_parser_warnings():
        # The verifier first, on the order the names give: the links it verifies are
        # remembered, so ordering by signatures and our walk to a root verify none again.
        links = Links(certificates)
        verified = verify_path(links.ordered(by_names=True), store, now)
        path = links.leaf_path(by_names=False)
        order = links.order(path)
        certs = [links.certs[p] for p in order]
        chain = chain_facts(links, order, now)
        leaf = chain[0]
        notices = _notices(private_key_dropped, _)
        if all(facts.is_ca for facts in chain):
            return CertificateReport(leaf, chain, _tls_name(leaf), [], [_ca_only(_)], notices)
        names, accepted = public_names(leaf), normalize_accepted(accepted_domains)
        candidates = find_candidates(names, accepted)
        # CA certificates matter only on the leaf's path, which the order puts first.
        issuers = chain[1:len(path)]
        findings = (
            certificate_findings(leaf, now, _)
            + [f for facts in issuers for f in validity_findings(facts, now, _,
                                                                  leaf=False)]  # pragma: no mutate: None is False here
            + name_findings(names, internal_names(leaf), accepted, candidates, _)
            + chain_findings(certs[:len(path)], chain[:len(path)], store, _)
        )
        # The verifier runs last and only on a clean, anchored chain, so that
        # every problem our own checks know is reported by its specific finding.
        if not any(f.severity == ERROR or f.code == "incomplete_chain" for f in findings):
            findings += verify_chain(certs, store, now, _, verified)
        return CertificateReport(leaf, chain, _tls_name(leaf), candidates, findings, notices)


def _tls_name(leaf: CertificateFacts) -> str:
    """-TlsCertificateName of the leaf; empty when its issuer or subject cannot be read."""
    if {"issuer_windows", "subject_windows"} & set(leaf.unreadable):
        return ""
    return tls_certificate_name(leaf.issuer_windows, leaf.subject_windows)


def _ca_only(_: Translate) -> Finding:
    return Finding("ca_certificate_only", ERROR, _(
        "The upload holds only CA certificates, not the server's own certificate. Upload "
        "the certificate issued to your server (for example mail.contoso.com), with its "
        "intermediate certificates if you have them."))


def _notices(private_key_dropped: bool, _: Translate) -> list[str]:
    if not private_key_dropped:
        return []
    return [_("The file held a private key. It was not kept: only the certificates were read. "
              "Keep the private key on the server.")]
