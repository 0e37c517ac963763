"""The SMTP dialogue: read the banner, EHLO, STARTTLS, TLS handshake, read the chain, QUIT. Nothing else is sent.

Python's ssl module returns only the leaf certificate (3.11); pyOpenSSL's
get_peer_cert_chain returns the chain as the server sent it.

It cannot be turned into a scanner or a way to hold the server's workers: only
the mail ports (25, 587 with STARTTLS; 465 with TLS from the start), at most
MAX_ADDRESSES of the addresses a name resolves to, and one deadline for all of
it (the DNS lookup, each connection, the dialogue, the handshake). It says EHLO
with a configured name, never the address of the machine it runs on.
"""
from __future__ import annotations

import re
import select
import socket
import time
from dataclasses import dataclass

from cryptography import x509
from OpenSSL import SSL

from app.probe.address import (
    CONNECTION_FAILED, INVALID_PORT, NO_STARTTLS, SMTP_ERROR, TIMEOUT, TLS_FAILED, ProbeError,
    checked_addresses, normalize_host,
)

MAX_LINE = 1024
MAX_LINES = 100
SMTPS = 465                      # TLS from the first byte; 25 and 587 say STARTTLS
PORTS = (25, 465, 587)
MAX_ADDRESSES = 2
TIMEOUT_SECONDS = 10.0           # everything, from the DNS lookup to the chain
DEFAULT_EHLO = "localhost"
_HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*")


@dataclass(frozen=True)
class ProbeResult:
    host: str
    port: int
    address: str
    banner: str
    chain: list[x509.Certificate]    # as presented: leaf first
    tls_version: str


class _Session:
    def __init__(self, sock: socket.socket, deadline: float):
        self.sock, self.deadline, self.buffer = sock, deadline, b""

    def _recv(self) -> bytes:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ProbeError(TIMEOUT)
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            raise ProbeError(TIMEOUT) from None
        except OSError as error:
            raise ProbeError(CONNECTION_FAILED, str(error)) from None
        if not data:
            raise ProbeError(CONNECTION_FAILED, "closed")
        return data

    def reply(self) -> tuple[int, list[str]]:
        """One SMTP reply (multi-line: "250-..." then "250 ..."), bounded in size."""
        lines: list[str] = []
        while len(lines) < MAX_LINES:
            while b"\n" not in self.buffer:
                if len(self.buffer) > MAX_LINE:
                    raise ProbeError(SMTP_ERROR, "line too long")
                self.buffer += self._recv()
            raw, self.buffer = self.buffer.split(b"\n", 1)
            line = raw.rstrip(b"\r").decode("ascii", "replace")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                code = int(line[:3]) if line[:3].isdigit() else 0
                return code, lines
        raise ProbeError(SMTP_ERROR, "reply too long")

    def send(self, command: str) -> None:
        self.sock.sendall(command.encode("ascii") + b"\r\n")


def _connect(addresses: list[str], port: int, deadline: float) -> socket.socket:
    """A connection to the first address that answers; each one tried gets an equal share of the time left."""
    last: Exception | None = None
    for number, address in enumerate(addresses):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            return socket.create_connection((address, port), timeout=remaining / (len(addresses) - number))
        except socket.timeout:
            last = ProbeError(TIMEOUT)
        except OSError as error:
            last = ProbeError(CONNECTION_FAILED, str(error))
    raise last if isinstance(last, ProbeError) else ProbeError(TIMEOUT)


def checked_ehlo_name(name: str) -> str:
    """The EHLO argument: a host name; ValueError for anything else (an address would say where we are)."""
    host = name.strip().rstrip(".").lower()
    if len(host) > 253 or not _HOST_NAME.fullmatch(host) or host.replace(".", "").isdigit():
        raise ValueError(f"not a host name: {name!r}")
    return host


def probe(host_text: str, port: int = 25, *, allow_private: bool = False, timeout: float = TIMEOUT_SECONDS,
          ehlo_name: str = DEFAULT_EHLO, ports: tuple[int, ...] = PORTS, implicit_tls: bool | None = None) -> ProbeResult:
    """Connect to ``host_text`` and return the chain it presents after STARTTLS; ProbeError otherwise.

    All of it within ``timeout`` seconds; at most MAX_ADDRESSES addresses tried; ``port`` one of ``ports``;
    TLS from the first byte on port 465 (``implicit_tls`` says so for another port: tests)."""
    deadline = time.monotonic() + timeout
    if port not in ports:
        raise ProbeError(INVALID_PORT, str(port))
    host = normalize_host(host_text)
    ehlo = checked_ehlo_name(ehlo_name)
    addresses = checked_addresses(host, port, allow_private, deadline - time.monotonic())[:MAX_ADDRESSES]
    tls_first = port == SMTPS if implicit_tls is None else implicit_tls
    sock = _connect(addresses, port, deadline)
    try:
        if tls_first:
            chain, version, banner = _handshake(sock, host, deadline, read_banner=True)
            return ProbeResult(host, port, sock.getpeername()[0], banner, chain, version)
        return _dialogue(sock, host, port, deadline, ehlo)
    finally:
        sock.close()


def _dialogue(sock: socket.socket, host: str, port: int, deadline: float, ehlo: str) -> ProbeResult:
    address = sock.getpeername()[0]
    session = _Session(sock, deadline)
    code, banner = session.reply()
    if code != 220:
        raise ProbeError(SMTP_ERROR, banner[-1][:200])
    session.send(f"EHLO {ehlo}")
    code, lines = session.reply()
    if code != 250:
        raise ProbeError(SMTP_ERROR, lines[-1][:200])
    if not any(line[4:].strip().upper() == "STARTTLS" for line in lines):
        session.send("QUIT")
        raise ProbeError(NO_STARTTLS)
    session.send("STARTTLS")
    code, lines = session.reply()
    if code != 220:
        raise ProbeError(NO_STARTTLS, lines[-1][:200])
    chain, version, _banner = _handshake(sock, host, deadline)
    return ProbeResult(host, port, address, banner[0][:200], chain, version)


def _until_done(operation, sock: socket.socket, deadline: float):
    """Run a pyOpenSSL call on a non-blocking socket, waiting for it to be readable or writable."""
    while True:
        try:
            return operation()
        except (SSL.WantReadError, SSL.WantWriteError) as want:
            remaining = deadline - time.monotonic()
            reading = isinstance(want, SSL.WantReadError)
            ready = select.select([sock] if reading else [], [] if reading else [sock], [], max(remaining, 0))
            if remaining <= 0 or not (ready[0] or ready[1]):
                raise ProbeError(TIMEOUT, "TLS handshake") from None


def _handshake(sock: socket.socket, host: str, deadline: float,
               read_banner: bool = False) -> tuple[list[x509.Certificate], str, str]:
    """(chain, TLS version, the banner's first line when ``read_banner``: port 465 greets after the handshake)."""
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_verify(SSL.VERIFY_NONE)  # the analysis judges the chain; a failed check must still show it
    connection = SSL.Connection(context, sock)
    if not host.replace(".", "").isdigit() and ":" not in host:
        connection.set_tlsext_host_name(host.encode("ascii"))
    connection.set_connect_state()
    sock.setblocking(False)  # OpenSSL on a socket with a timeout: wait with select() instead
    try:
        _until_done(connection.do_handshake, sock, deadline)
        chain = connection.get_peer_cert_chain(as_cryptography=True) or []
        version = connection.get_protocol_version_name()
        banner = ""
        if read_banner and chain:
            try:
                greeting = _until_done(lambda: connection.recv(MAX_LINE), sock, deadline)
                banner = greeting.split(b"\n", 1)[0].rstrip(b"\r").decode("ascii", "replace")[:200]
            except (SSL.Error, ProbeError):
                pass  # the chain is what was asked for
        try:
            _until_done(lambda: connection.send(b"QUIT\r\n"), sock, deadline)
        except (SSL.Error, ProbeError):
            pass
    except (SSL.Error, OSError) as error:
        raise ProbeError(TLS_FAILED, (str(error) or type(error).__name__)[:200]) from None
    if not chain:
        raise ProbeError(TLS_FAILED, "no certificate")
    return list(chain), version, banner
