"""Who issued whom among uploaded certificates, and the leaf-first order."""
from __future__ import annotations

import contextlib
import functools
import warnings
from collections import OrderedDict
from threading import Lock
from typing import Callable, Iterator

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.utils import CryptographyDeprecationWarning

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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        warnings.filterwarnings("ignore", message=".*could not be parsed as DER", category=UserWarning)
        warnings.filterwarnings("ignore", message="Attribute's length must be", category=UserWarning)
        yield


# The links of the last chains cryptography's verifier verified (remember_links):
# issued_by takes them as verified, so that each signature of an upload is verified once.
_VERIFIED_LINKS: OrderedDict[tuple[x509.Certificate, x509.Certificate], None] = OrderedDict()
_VERIFIED_LINKS_KEPT = 1024
_LINKS_LOCK = Lock()


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


def _same_name(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    issuer_name = names_of(cert)[0]
    return issuer_name is not None and issuer_name == names_of(issuer)[1]


def verify_signature(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    """Raise InvalidSignature unless ``issuer``'s key signed ``cert`` (the one place we verify one)."""
    cert.verify_directly_issued_by(issuer)


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """True when ``issuer``'s name matches and its key verifies ``cert``'s signature.

    When the signature cannot be checked (an algorithm cryptography refuses,
    such as SHA-1 or MD5), the name match decides: ordering must still work for
    the old certificates we want to warn about. A signature made with another
    type of key than the issuer's is never the issuer's.
    """
    return (cert, issuer) in _VERIFIED_LINKS or _checked_issued_by(cert, issuer)


@functools.lru_cache(maxsize=1024)
def _checked_issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if not _same_name(cert, issuer):
        return False
    try:
        verify_signature(cert, issuer)
    except InvalidSignature:
        return False
    except PARSE_ERRORS as error:
        # A key of another type signed it (an impostor with a borrowed name), or
        # the algorithm is one cryptography refuses (SHA-1, MD5): the name decides.
        return "does not match issuer key type" not in str(error)
    return True


def remember_links(chain: list[x509.Certificate]) -> None:
    """Record the links of a chain whose signatures were verified elsewhere (leaf first)."""
    for cert, issuer in zip(chain, chain[1:]):
        if _same_name(cert, issuer):
            with _LINKS_LOCK:
                _VERIFIED_LINKS[(cert, issuer)] = None
                _VERIFIED_LINKS.move_to_end((cert, issuer))
                while len(_VERIFIED_LINKS) > _VERIFIED_LINKS_KEPT:
                    _VERIFIED_LINKS.popitem(last=False)


def is_self_signed(cert: x509.Certificate) -> bool:
    return issued_by(cert, cert)


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


Issues = Callable[[x509.Certificate, x509.Certificate], bool]


def find_issuer(cert: x509.Certificate, candidates: list[x509.Certificate],
                issues: Issues = issued_by) -> x509.Certificate | None:
    """The first of ``candidates`` (other than ``cert`` itself) that issued ``cert``."""
    for candidate in candidates:
        if candidate != cert and issues(cert, candidate):
            return candidate
    return None


def issuer_path(leaf: x509.Certificate, certs: list[x509.Certificate],
                issues: Issues = issued_by) -> list[x509.Certificate]:
    """``leaf``, its issuer, that one's issuer... as far as ``certs`` reach."""
    path = [leaf]
    while not issues(path[-1], path[-1]):
        issuer = find_issuer(path[-1], [c for c in certs if c not in path], issues)
        if issuer is None:
            break
        path.append(issuer)
    return path


def order_chain(certs: list[x509.Certificate], issues: Issues = issued_by) -> list[x509.Certificate]:
    """Leaf first, then its issuers, then unrelated certificates in upload order.

    The leaf is a certificate that issues no other certificate of the upload,
    preferring one that is not a CA, then the one with the longest chain in the
    upload (the server certificate the intermediates belong to), then the first
    uploaded. Ordering an already ordered list changes nothing: the web layer
    stores the chain and analyses it again. ``issues`` decides who issued whom:
    signatures by default; order_by_names passes the names alone.
    """
    if not certs:
        return []

    def issues_another(cert: x509.Certificate) -> bool:
        return any(other != cert and issues(other, cert) for other in certs)

    bottoms = [c for c in certs if not issues_another(c)] or certs
    preferred = [c for c in bottoms if not _is_ca_or_false(c)] or bottoms
    paths = [issuer_path(c, certs, issues) for c in preferred]
    path = max(paths, key=len)  # max keeps the first of equals
    return path + [c for c in certs if c not in path]


def order_by_names(certs: list[x509.Certificate]) -> list[x509.Certificate]:
    """order_chain by issuer and subject names alone, without verifying a signature.

    When no two certificates share a subject, each issuer name points to one
    certificate at most, and the names give the order the signatures give but for
    an impostor bearing a borrowed name, which analysis (verifying) puts right. When
    two do share one, only signatures can tell them apart.
    """
    if any(None in names_of(cert) for cert in certs):
        return order_chain(certs)
    if len({names_of(cert)[1] for cert in certs}) < len(certs):
        return order_chain(certs)
    return order_chain(certs, _same_name)
