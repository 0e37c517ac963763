"""Does the uploaded chain lead to a trusted root? (untrusted_root, incomplete_chain)

Mozilla's root set (certifi) stands in for Microsoft's Trusted Root Program,
which has no offline list; TRUSTED_ROOTS_FILE may replace it with a PEM bundle.

cryptography's verifier raises one VerificationError for every failure, so the
specific findings come from our own walk of the chain first:

1. Walk from the leaf through the uploaded certificates to the top.
2. The top is itself a trusted root, or a trusted root issued it: anchored.
3. Otherwise, a self-signed top is a root nobody trusts: untrusted_root.
4. Otherwise, the top's issuer is neither uploaded nor trusted: the chain is
   incomplete (incomplete_chain). It may be a missing intermediate or a private
   CA; the upload cannot tell, so the finding is a warning that says both.
5. Only an anchored chain with no error of its own goes through the verifier,
   so a failure there is a residual problem (for example a bad extension),
   reported as untrusted_root with the verifier's reason.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

import certifi
from cryptography import x509
from cryptography.x509 import verification

from app.certs.chain import PARSE_ERRORS, is_self_signed, issued_by, issuer_path, quiet_parser_warnings
from app.certs.model import ERROR, WARNING, CertificateFacts, Finding
from app.translate import Translate


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...]
    store: verification.Store = field(repr=False)

    @functools.cached_property
    def by_subject(self) -> dict[bytes, list[x509.Certificate]]:
        """Roots by subject: a certificate's issuer names the few roots worth a
        signature check, instead of trying all ~150 of certifi's on every upload."""
        index: dict[bytes, list[x509.Certificate]] = {}
        with quiet_parser_warnings():
            for root in self.roots:
                try:
                    index.setdefault(root.subject.public_bytes(), []).append(root)
                except PARSE_ERRORS:
                    continue
        return index

    def anchors(self, cert: x509.Certificate) -> bool:
        """``cert`` is a trusted root, or was issued by one."""
        try:
            issuer = cert.issuer.public_bytes()
        except PARSE_ERRORS:
            return False
        candidates = self.by_subject.get(issuer, [])
        return cert in candidates or any(issued_by(cert, root) for root in candidates)


@functools.lru_cache(maxsize=4)
def load_trust_store(path: str | None = None) -> TrustStore:
    """Roots from the PEM bundle at ``path``, or certifi's; loaded once per path."""
    with open(path or certifi.where(), "rb") as bundle:
        data = bundle.read()
    with quiet_parser_warnings():
        roots = tuple(x509.load_pem_x509_certificates(data))
    return TrustStore(roots, verification.Store(list(roots)))


def _client_verifier(store: TrustStore, now: datetime) -> verification.ClientVerifier:
    # The on-premises server is the TLS client. The default end-entity policy
    # demands a SAN and the clientAuth EKU; both are reported by our own
    # findings (no_san, client_auth_eku_missing) as risks, not failures.
    ee_policy = (
        verification.ExtensionPolicy.webpki_defaults_ee()
        .may_be_present(x509.SubjectAlternativeName, verification.Criticality.AGNOSTIC, None)
        .may_be_present(x509.ExtendedKeyUsage, verification.Criticality.AGNOSTIC, None)
    )
    return (
        verification.PolicyBuilder()
        .store(store.store)
        .time(now)
        .extension_policies(ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
                            ee_policy=ee_policy)
        .build_client_verifier()
    )


def chain_findings(certs: list[x509.Certificate], facts: list[CertificateFacts],
                   store: TrustStore, _: Translate) -> list[Finding]:
    """untrusted_root or incomplete_chain from walking ``certs`` (leaf first).

    ``facts`` are the facts of ``certs``, in the same order, for the names.
    """
    leaf = certs[0]
    if is_self_signed(leaf):
        return []  # reported once, as self_signed
    path = issuer_path(leaf, certs)
    top, top_facts = path[-1], facts[certs.index(path[-1])]
    if store.anchors(top):
        return []
    if is_self_signed(top):
        return [Finding("untrusted_root", ERROR, _(
            "The certificate chains to %(root)s, which is not a trusted public root CA. "
            "Exchange Online accepts only certificates issued by a CA in Microsoft's Trusted "
            "Root Program: get a certificate from a public CA.", root=top_facts.subject_windows))]
    return [Finding("incomplete_chain", WARNING, _(
        "The upload does not include the CA certificate that issued %(subject)s "
        "(issuer: %(issuer)s). Exchange Online does not download missing intermediate "
        "certificates: install them on the server so that it sends the full chain, and "
        "upload them here with the certificate. If %(issuer)s is your own CA, Exchange "
        "Online will not trust it: get a certificate from a public CA.",
        subject=top_facts.subject_windows, issuer=top_facts.issuer_windows))]


def verify_chain(certs: list[x509.Certificate], store: TrustStore, now: datetime,
                 _: Translate) -> list[Finding]:
    """The full verification of an anchored chain, for what our own checks missed."""
    try:
        _client_verifier(store, now).verify(certs[0], certs[1:])
    except (verification.VerificationError, *PARSE_ERRORS) as error:
        return [Finding("untrusted_root", ERROR, _(
            "The certificate chain does not verify up to a trusted root CA (%(reason)s). "
            "Get a certificate from a public CA and upload it with its intermediate "
            "certificates.", reason=str(error)))]
    return []
