"""Who issued whom among uploaded certificates, and the leaf-first order."""
from __future__ import annotations

import contextlib
import functools
import threading
import warnings
from typing import Iterator, NamedTuple

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.utils import CryptographyDeprecationWarning

from app.certs.kept import Kept

# Everything cryptography may raise while lazily parsing a field of a
# certificate. Several are not ValueError subclasses.
PARSE_ERRORS = (
    ValueError,
    TypeError,
    UnsupportedAlgorithm,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
    x509.InvalidVersion,
)


@contextlib.contextmanager
def quiet_parser_warnings() -> Iterator[None]:
    """Silence cryptography's warnings about lax encodings it still accepts.

    Zero serial numbers (some certifi roots), BER instead of DER, over-long
    country codes: the warnings announce cryptography's future strictness,
    nothing an operator can act on, and uploads would flood the logs with them.
    """
    if getattr(_quiet, "on", False):  # within a quiet block already (the facts within the analysis)
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        warnings.filterwarnings("ignore", message=".*could not be parsed as DER", category=UserWarning)
        warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)
        _quiet.on = True
        try:
            yield
        finally:
            _quiet.on = False


_quiet = threading.local()


@functools.lru_cache(maxsize=2048)
def names_of(cert: x509.Certificate) -> tuple[bytes | None, bytes | None]:
    """(issuer, subject) of ``cert`` as DER, None where unreadable: encoded once per certificate."""
    names = []
    for name in ("issuer", "subject"):
        try:
            names.append(getattr(cert, name).public_bytes())
        except PARSE_ERRORS:
            names.append(None)
    return names[0], names[1]


class _Read(NamedTuple):
    cert: x509.Certificate
    der: bytes
    names: tuple[bytes | None, bytes | None]


# What the last certificate objects asked about read as, by identity: cryptography writes a
# certificate's DER anew on every public_bytes call, and a Certificate hashes and compares
# itself in microseconds. Each entry holds its certificate, so its id is not reused meanwhile.
_OBJECTS: Kept[int, _Read] = Kept(32)  # pragma: no mutate: a size


def _read(cert: x509.Certificate) -> _Read:
    read = _OBJECTS.get(id(cert))
    if read is None or read.cert is not cert:
        read = _Read(cert, encode(cert), names_of(cert))
        _OBJECTS.put(id(cert), read)
    return read


def encode(cert: x509.Certificate) -> bytes:
    """``cert``'s DER as cryptography writes it (anew on each call: der_of keeps it per object)."""
    return cert.public_bytes(serialization.Encoding.DER)


def der_of(cert: x509.Certificate) -> bytes:
    return _read(cert).der


def _same_name(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    issuer_name = _read(cert).names[0]
    return issuer_name is not None and issuer_name == _read(issuer).names[1]


# Whether the issuer's key signed the certificate, by the two certificates' DER: a signature
# verifies or not whatever the time and the trust store, so a verdict holds for any later upload.
# remember_links adds the links cryptography's verifier verified, so that each is verified once.
_VERDICTS: Kept[tuple[bytes, bytes], bool] = Kept(1024)  # pragma: no mutate: a size


def _signed(cert: x509.Certificate, issuer: x509.Certificate, key: tuple[bytes, bytes]) -> bool:
    """Whether ``issuer``'s key verifies ``cert``'s signature, verified once per pair of certificates.

    When the signature cannot be checked (an algorithm cryptography refuses,
    such as SHA-1 or MD5), the names decide: ordering must still work for the
    old certificates we want to warn about. A signature made with another type
    of key than the issuer's is never the issuer's.
    """
    verdict = _VERDICTS.get(key)
    if verdict is None:
        try:
            verify_signature(cert, issuer)
            verdict = True
        except InvalidSignature:
            verdict = False
        except PARSE_ERRORS as error:
            # A key of another type signed it (an impostor with a borrowed name), or
            # the algorithm is one cryptography refuses (SHA-1, MD5): the name decides.
            verdict = "does not match issuer key type" not in str(error)
        _VERDICTS.put(key, verdict)
    return verdict


def verify_signature(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    """Raise InvalidSignature unless ``issuer``'s key signed ``cert`` (the one place we verify one)."""
    cert.verify_directly_issued_by(issuer)


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when ``issuer``'s name matches and its key verifies ``cert``'s signature (see _signed)."""
    return _same_name(cert, issuer) and _signed(cert, issuer, (der_of(cert), der_of(issuer)))


def remember_links(chain: list[x509.Certificate]) -> None:
    """Record the links of a chain whose signatures were verified elsewhere (leaf first)."""
    for cert, issuer in zip(chain, chain[1:]):
        if _same_name(cert, issuer):
            _VERDICTS.put((der_of(cert), der_of(issuer)), True)


def is_ca(cert: x509.Certificate) -> bool:
    """basicConstraints cA. Raises a PARSE_ERRORS member if extensions are unreadable."""
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _is_ca_or_false(cert: x509.Certificate) -> bool:
    try:
        return is_ca(cert)
    except PARSE_ERRORS:
        return False


class Links:
    """Who issued whom among ``certs``, by position: each certificate's names and DER read once,
    and a signature checked only between certificates whose names match (see _signed).

    Certificates with the same DER count as one, as they compare equal. ``by_names``
    asks for the names alone to decide, without verifying a signature, where they
    can: when no two certificates share a subject, each issuer name points to one
    certificate at most, and the names give the order the signatures give but for an
    impostor bearing a borrowed name, which analysis (verifying) puts right. When two
    do share one, or a name is unreadable, only signatures can tell them apart.
    """

    def __init__(self, certs: list[x509.Certificate]):
        self.certs = list(certs)
        read = [_read(cert) for cert in self.certs]
        self.ders = [r.der for r in read]
        names = [r.names for r in read]
        by_subject: dict[bytes, list[int]] = {}
        for position, (_, subject) in enumerate(names):
            if subject is not None:
                by_subject.setdefault(subject, []).append(position)
        self.names_suffice = (all(None not in pair for pair in names)
                              and sum(map(len, by_subject.values())) == len(by_subject))
        # named[i]: the certificates (perhaps i itself) whose subject is i's issuer; issued[i]: the reverse.
        self.named = [by_subject.get(issuer, []) for issuer, _ in names]  # None is no subject
        self.issued: list[list[int]] = [[] for _ in self.certs]
        for position, issuers in enumerate(self.named):
            for issuer in issuers:
                self.issued[issuer].append(position)

    def issues(self, cert: int, issuer: int, by_names: bool) -> bool:
        """Whether the certificate at ``issuer`` issued the one at ``cert``."""
        if issuer not in self.named[cert]:
            return False
        if by_names and self.names_suffice:
            return True
        return _signed(self.certs[cert], self.certs[issuer], (self.ders[cert], self.ders[issuer]))

    def path(self, leaf: int, by_names: bool) -> list[int]:
        """``leaf``, its issuer, that one's issuer... as far as the certificates reach."""
        path = [leaf]
        while not self.issues(path[-1], path[-1], by_names):
            seen = {self.ders[p] for p in path}
            issuer = next((i for i in self.named[path[-1]]
                           if self.ders[i] not in seen and self.issues(path[-1], i, by_names)), None)
            if issuer is None:
                break
            path.append(issuer)
        return path

    def leaf_path(self, by_names: bool) -> list[int]:
        """The leaf and its issuers: order's first certificates.

        The leaf is a certificate that issues no other certificate of the upload,
        preferring one that is not a CA, then the one with the longest chain in the
        upload (the server certificate the intermediates belong to), then the first
        uploaded.
        """
        everyone = range(len(self.certs))

        def issues_another(cert: int) -> bool:
            return any(self.ders[other] != self.ders[cert] and self.issues(other, cert, by_names)
                       for other in self.issued[cert])

        bottoms = [c for c in everyone if not issues_another(c)] or list(everyone)
        preferred = [c for c in bottoms if not _is_ca_or_false(self.certs[c])] or bottoms
        return max((self.path(c, by_names) for c in preferred), key=len)  # max keeps the first of equals

    def order(self, path: list[int]) -> list[int]:
        """Leaf first, then its issuers (``path``, as leaf_path gave it), then unrelated
        certificates in upload order. Ordering an already ordered list changes nothing:
        the web layer stores the chain and analyses it again."""
        in_path = {self.ders[p] for p in path}
        return path + [c for c in range(len(self.certs)) if self.ders[c] not in in_path]

    def ordered(self, by_names: bool) -> list[x509.Certificate]:
        return [self.certs[position] for position in self.order(self.leaf_path(by_names))]
