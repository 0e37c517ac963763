"""Open a .pfx at a bounded cost.

A PKCS#12 file names its own password-hashing cost: the iteration count of
its MAC and of each encrypted part. cryptography's ``load_pkcs12`` runs
whatever the file asks for (2^31-1 MAC iterations hold a worker for minutes),
so the counts are read from the ASN.1 structure first (asn1crypto, which
parses without decrypting) and the file is refused above the ceilings below.

An encrypted part can hide further encrypted keys whose counts only show once
it is decrypted, so ``load_pkcs12`` itself runs in a forked child with a CPU
limit: whatever the file holds, a request spends at most CHILD_CPU_SECONDS on it.
"""
from __future__ import annotations

import os
import resource
import select
import signal
import struct
import time

from asn1crypto import cms, pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from app.certs.chain import PARSE_ERRORS

# OpenSSL 3 and cryptography export with 2,048 iterations, Windows with 2,000: a
# ceiling a thousand times higher refuses no export made with default settings.
# One run of 2,000,000 iterations costs about 0.2 s of CPU here.
MAX_ITERATIONS = 2_000_000
# A real file needs three runs: the MAC, the certificates and the key.
MAX_TOTAL_ITERATIONS = 3 * MAX_ITERATIONS
CHILD_CPU_SECONDS = 2
CHILD_WALL_SECONDS = 20  # the CPU limit is what counts; this covers a child that hangs


class TooCostly(Exception):
    """The file asks for more password hashing than we allow (or a kind we cannot bound)."""


class Unreadable(Exception):
    """The bytes are not a PKCS#12 structure that can be walked."""


def iteration_counts(der: bytes) -> list[int]:
    """Every iteration count visible without a password: the MAC's and each encrypted part's.

    Raises Unreadable when the structure cannot be walked, or when an encrypted
    part uses a method whose cost cannot be read (scrypt, or one unknown to asn1crypto).
    """
    try:
        pfx = asn1_pkcs12.Pfx.load(der)
        mac = pfx["mac_data"]
        counts = [mac["iterations"].native] if mac.native is not None else []
        for info in pfx.authenticated_safe:
            counts += _content_counts(info)
        return counts
    except Exception as error:  # noqa: BLE001  asn1crypto raises assorted types on malformed input
        raise Unreadable(str(error)) from None  # pragma: no mutate: the text is never shown


def _content_counts(info: cms.ContentInfo) -> list[int]:
    kind = info["content_type"].native
    if kind == "data":
        return _bag_counts(asn1_pkcs12.SafeContents.load(info["content"].native))
    if kind == "encrypted_data":
        return [_kdf_iterations(info["content"]["encrypted_content_info"]["content_encryption_algorithm"])]
    return []  # enveloped data needs a private key, not a password: nothing to hash


def _bag_counts(bags: asn1_pkcs12.SafeContents) -> list[int]:
    counts: list[int] = []
    for bag in bags:
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag":
            counts.append(_kdf_iterations(bag["bag_value"]["encryption_algorithm"]))
        elif kind == "safe_contents":
            counts += _bag_counts(bag["bag_value"])
    return counts


def _kdf_iterations(algorithm) -> int:
    return algorithm.kdf_iterations  # ValueError for anything but PBKDF2 and the PKCS#5/#12 schemes


def check_cost(der: bytes) -> None:
    """Raise TooCostly when opening ``der`` would hash more than the ceilings allow."""
    counts = iteration_counts(der)
    if any(count > MAX_ITERATIONS for count in counts) or sum(counts) > MAX_TOTAL_ITERATIONS:
        raise TooCostly(f"iterations {counts}")  # pragma: no mutate: the text is never shown


def load_bounded(der: bytes, passwords: list[bytes | None]) -> tuple[list[bytes], bool] | None:
    """(certificate DERs, whether a private key was present) with the first password that opens ``der``.

    None when none does. Raises TooCostly when the child ran out of CPU time.
    Each password is tried once, in order, inside one child process.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    # The child: open, write the answer, exit without running any cleanup of the parent's.
    if pid == 0:  # pragma: no mutate: a mutant lets the child kill group 0, mutmut's own
        os.close(read_end)
        try:
            # pragma: no mutate start, the soft limit stops the child first
            resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS + 1))
            # pragma: no mutate end
            answer = _open_encoded(der, passwords)
            # pragma: no mutate start, ">i" packs lengths under 2 GiB alike
            _write_all(write_end, struct.pack(">I", len(answer)) + answer)
            # pragma: no mutate end
        finally:
            os._exit(0)  # pragma: no mutate: the child's exit status is never read
    os.close(write_end)
    try:
        answer = _read_until_closed(read_end, time.monotonic() + CHILD_WALL_SECONDS)
    finally:
        os.close(read_end)
        _reap(pid)
    # An answer cut short (the CPU limit struck) or none at all: the file cost too much.
    if (answer is None
            or len(answer) < 4  # pragma: no mutate: the shortest answer, b"-" after its length, has 5 bytes
            or _length_at(answer, 0) != len(answer) - 4):
        raise TooCostly("the child ran out of time")  # pragma: no mutate: the text is never shown
    return _decode(answer[4:])


def _open_encoded(der: bytes, passwords: list[bytes | None]) -> bytes:
    """The child's answer: b"-" for no password opens it, else a key flag and length-prefixed DERs."""
    for password in passwords:
        try:
            bundle = pkcs12.load_pkcs12(der, password)
        except PARSE_ERRORS:
            continue
        certs = ([bundle.cert.certificate] if bundle.cert else []) + [c.certificate for c in bundle.additional_certs]
        flag = b"K" if bundle.key is not None else b"C"  # pragma: no mutate: _decode reads only K
        # pragma: no mutate start, ">i" packs lengths under 2 GiB alike
        return flag + b"".join(struct.pack(">I", len(d)) + d for d in (c.public_bytes(Encoding.DER) for c in certs))
        # pragma: no mutate end
    return b"-"


def _decode(answer: bytes) -> tuple[list[bytes], bool] | None:
    if answer == b"-":
        return None
    ders, position = [], 1
    while position < len(answer):
        length = _length_at(answer, position)
        ders.append(answer[position + 4:position + 4 + length])
        position += 4 + length
    return ders, answer[:1] == b"K"


def _length_at(data: bytes, position: int) -> int:
    # pragma: no mutate start, ">i" reads lengths under 2 GiB alike
    return struct.unpack_from(">I", data, position)[0]
    # pragma: no mutate end


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data):]
    os.close(fd)


def _read_until_closed(fd: int, deadline: float) -> bytes | None:
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:  # pragma: no mutate: "< 0" differs only at exactly 0.0 s
            return None
        if not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, 65536)  # pragma: no mutate: any chunk size reads the same answer
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    """Kill the child if it still runs (no-op otherwise) and collect it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
