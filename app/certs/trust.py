"""Does the uploaded chain lead to a trusted root? (untrusted_root, incomplete_chain)

Mozilla's root set (certifi) stands in for Microsoft's Trusted Root Program,
which has no offline list; TRUSTED_ROOTS_FILE may replace it with a PEM bundle.
Self-signed certificates in that bundle are the trusted roots; any other CA
certificate in it is a known public intermediate: never an anchor, only a way
to recognise a public CA's intermediate that an upload lacks.

cryptography's verifier raises one VerificationError for every failure (an
unknown issuer reads like a bad extension), so the specific findings come from
our own walk of the chain first:

1. Walk from the leaf through the uploaded certificates to the top.
2. The top is itself a trusted root, or a trusted root issued it: anchored.
3. Otherwise, a self-signed top is a root nobody trusts: untrusted_root.
4. Otherwise the top's issuer is missing from the upload. It is a public CA's
   intermediate, and the chain merely incomplete (incomplete_chain, a
   warning), when a known intermediate with that name signed the top, or when
   the leaf carries Signed Certificate Timestamps: Certificate Transparency
   logs accept only chains to public roots (RFC 6962, section 3.1), and every
   public TLS certificate issued since 2018 carries them. With neither sign,
   the issuer is unknown to every trusted root (or borrows a trusted name with
   another key): the chain does not lead to a public root, which is
   untrusted_root, an error. So the same private-CA leaf gets the same verdict
   with or without its root in the upload.
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

from app.certs.chain import PARSE_ERRORS, der_of, issued_by, names_of, quiet_parser_warnings, remember_links
from app.certs.model import ERROR, WARNING, CertificateFacts, Finding
from app.translate import Translate


def _by_subject(certs: tuple[x509.Certificate, ...]) -> dict[bytes, list[x509.Certificate]]:
    index: dict[bytes, list[x509.Certificate]] = {}
    with quiet_parser_warnings():
        for cert in certs:
            try:
                index.setdefault(cert.subject.public_bytes(), []).append(cert)
            except PARSE_ERRORS:
                continue
    return index


def _issuer_name(cert: x509.Certificate) -> bytes | None:
    return names_of(cert)[0]


def _self_issued(cert: x509.Certificate) -> bool:
    try:
        return cert.issuer.public_bytes() == cert.subject.public_bytes()
    except PARSE_ERRORS:
        return False


@dataclass(frozen=True)
class TrustStore:
    roots: tuple[x509.Certificate, ...]
    store: verification.Store = field(repr=False)
    intermediates: tuple[x509.Certificate, ...] = ()   # known public intermediates: not anchors

    @functools.cached_property
    def by_subject(self) -> dict[bytes, list[x509.Certificate]]:
        """Roots by subject: a certificate's issuer names the few roots worth a
        signature check, instead of trying all ~150 of certifi's on every upload."""
        return _by_subject(self.roots)

    @functools.cached_property
    def intermediates_by_subject(self) -> dict[bytes, list[x509.Certificate]]:
        return _by_subject(self.intermediates)

    def anchors(self, cert: x509.Certificate) -> bool:
        """``cert`` is a trusted root, or was issued by one."""
        candidates = self.by_subject.get(_issuer_name(cert), [])
        return cert in candidates or any(issued_by(cert, root) for root in candidates)

    def knows_issuer(self, cert: x509.Certificate) -> bool | None:
        """Of a certificate no trusted root issued: True when a known intermediate
        issued it; False when a root or known intermediate bears its issuer's name
        but none signed it (a borrowed name); None when no CA here bears the name."""
        name = _issuer_name(cert)
        known = self.intermediates_by_subject.get(name, [])
        if any(issued_by(cert, intermediate) for intermediate in known):
            return True
        return False if known or name in self.by_subject else None


def publicly_logged(cert: x509.Certificate) -> bool:
    """Whether ``cert`` carries Signed Certificate Timestamps from Certificate Transparency logs."""
    try:
        return len(cert.extensions.get_extension_for_class(
            x509.PrecertificateSignedCertificateTimestamps).value) > 0
    except (x509.ExtensionNotFound, *PARSE_ERRORS):
        return False


@functools.lru_cache(maxsize=4)
def load_trust_store(path: str | None = None) -> TrustStore:
    """Roots (and known intermediates) from the PEM bundle at ``path``, or certifi's; loaded once per path."""
    with open(path or certifi.where(), "rb") as bundle:
        data = bundle.read()
    with quiet_parser_warnings():
        certs = x509.load_pem_x509_certificates(data)
        roots = tuple(cert for cert in certs if _self_issued(cert))
    return TrustStore(roots, verification.Store(list(roots)), tuple(c for c in certs if c not in roots))


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


def chain_findings(path: list[x509.Certificate], facts: list[CertificateFacts],
                   store: TrustStore, _: Translate) -> list[Finding]:
    """untrusted_root or incomplete_chain from the leaf's path through the upload
    (``path``: the leaf, its issuer, that one's issuer... as far as the upload reaches).

    ``facts`` are the facts of ``path``, in the same order.
    """
    if facts[0].self_signed:
        return []  # reported once, as self_signed
    leaf, top, top_facts = path[0], path[-1], facts[-1]
    if store.anchors(top):
        return []
    if top_facts.self_signed:
        return [Finding("untrusted_root", ERROR, _(
            "The certificate chains to %(root)s, which is not a trusted public root CA. "
            "Exchange Online accepts only certificates issued by a CA in Microsoft's Trusted "
            "Root Program: get a certificate from a public CA.", root=top_facts.subject_windows))]
    known = store.knows_issuer(top)
    if known or (known is None and publicly_logged(leaf)):
        return [Finding("incomplete_chain", WARNING, _(
            "The upload does not include the CA certificate that issued %(subject)s "
            "(issuer: %(issuer)s). Exchange Online does not download missing intermediate "
            "certificates: install them on the server so that it sends the full chain, and "
            "upload them here with the certificate.",
            subject=top_facts.subject_windows, issuer=top_facts.issuer_windows))]
    return [Finding("untrusted_root", ERROR, _(
        "%(issuer)s, which issued %(subject)s, does not lead to a public root CA: no trusted "
        "root CA issued it, and the certificate carries no Certificate Transparency proof, "
        "which every current certificate from a public CA has. It is most likely your own "
        "CA (for example Active Directory Certificate Services). Exchange Online accepts only "
        "certificates issued by a CA in Microsoft's Trusted Root Program: get a certificate "
        "from a public CA. If %(issuer)s is in fact a public CA, upload the certificate with "
        "its intermediate certificates and check again.",
        subject=top_facts.subject_windows, issuer=top_facts.issuer_windows))]


@dataclass(frozen=True)
class Verification:
    """What cryptography's verifier said of a leaf with these other certificates (their DER): None, or why not."""
    leaf: bytes
    others: frozenset[bytes]
    error: str | None

    @classmethod
    def of_certs(cls, certs: list[x509.Certificate], error: str | None) -> Verification:
        return cls(der_of(certs[0]), frozenset(map(der_of, certs[1:])), error)

    def of(self, certs: list[x509.Certificate]) -> bool:
        return self.leaf == der_of(certs[0]) and self.others == frozenset(map(der_of, certs[1:]))


def verified_chain(certs: list[x509.Certificate], store: TrustStore, now: datetime) -> list[x509.Certificate]:
    """The chain from ``certs[0]`` to a trusted root that cryptography's verifier built and verified."""
    return _client_verifier(store, now).verify(certs[0], certs[1:]).chain


def verify_path(certs: list[x509.Certificate], store: TrustStore, now: datetime) -> Verification:
    """Verify ``certs`` (leaf first) once; a verified chain's links are remembered, so that
    ordering the upload and walking it to a root verify no signature again."""
    try:
        remember_links(verified_chain(certs, store, now))
    except (verification.VerificationError, *PARSE_ERRORS) as error:
        return Verification.of_certs(certs, str(error))
    return Verification.of_certs(certs, None)


def verify_chain(certs: list[x509.Certificate], store: TrustStore, now: datetime,
                 _: Translate, done: Verification | None = None) -> list[Finding]:
    """The full verification of an anchored chain, for what our own checks missed
    (``done``: its verification already made, when it was of these certificates)."""
    if done is None or not done.of(certs):
        done = verify_path(certs, store, now)
    if done.error is None:
        return []
    return [Finding("untrusted_root", ERROR, _(
        "The certificate chain does not verify up to a trusted root CA (%(reason)s). "
        "Get a certificate from a public CA and upload it with its intermediate "
        "certificates.", reason=done.error))]
