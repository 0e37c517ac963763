"""Which addresses the probe may connect to: public ones, unless a setting allows private ones.

Every address the name resolves to is checked, and the probe then connects to
an address it checked, never to the name again: a second lookup could answer
with another address (DNS rebinding). An IPv6 address that wraps an IPv4 one
(IPv4-mapped, 6to4, Teredo, NAT64) is judged by the IPv4 address inside it.
A refusal names no address: which private addresses a name leads to is the
network's business, not the visitor's.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time

from app.certs.domains import DomainError, normalize_domain

INVALID_HOST, INVALID_PORT, REFUSED_ADDRESS, UNRESOLVABLE = (
    "invalid_host", "invalid_port", "refused_address", "unresolvable")
TIMEOUT, CONNECTION_FAILED, NO_STARTTLS, SMTP_ERROR, TLS_FAILED = (
    "timeout", "connection_failed", "no_starttls", "smtp_error", "tls_failed")


class ProbeError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


def normalize_host(text: str) -> str:
    """A host name (IDNA A-label) or an IP address literal; ProbeError(INVALID_HOST) otherwise."""
    host = text.strip().strip("[]").rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        return normalize_domain(host)
    except DomainError:
        raise ProbeError(INVALID_HOST, text[:100]) from None


NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def _wrapped(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: IPv4-mapped, 6to4, Teredo (server and client), NAT64."""
    inside = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if any(ip in network for network in NAT64):
        inside.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [address for address in inside if address is not None]


def _plain_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_unspecified or site_local)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    inside = _wrapped(ip) if isinstance(ip, ipaddress.IPv6Address) else []
    # A 6to4, Teredo or NAT64 prefix says nothing of where the packets go: the IPv4 address inside does.
    return all(_plain_public(v4) for v4 in inside) if inside else _plain_public(ip)


def resolve(host: str, port: int, timeout: float) -> list[str]:
    """The addresses ``host`` resolves to, waiting at most ``timeout`` seconds for the resolver."""
    answer: list = []

    def lookup():
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP))
        except (socket.gaierror, UnicodeError, OSError) as error:
            answer.append(error)
    worker = threading.Thread(target=lookup, daemon=True)  # a resolver that hangs is left behind, not waited for
    started = time.monotonic()
    worker.start()
    worker.join(max(timeout, 0))
    if not answer:
        raise ProbeError(TIMEOUT, f"DNS after {time.monotonic() - started:.1f} s")
    if isinstance(answer[0], BaseException):
        raise ProbeError(UNRESOLVABLE, host)
    return list(dict.fromkeys(info[4][0] for info in answer[0]))


def checked_addresses(host: str, port: int, allow_private: bool = False, timeout: float = 10.0) -> list[str]:
    """Every address ``host`` resolves to, after checking all of them; refuses if any is not allowed."""
    addresses = resolve(host, port, timeout)
    if not addresses:
        raise ProbeError(UNRESOLVABLE, host)
    if not allow_private and not all(is_public(a) for a in addresses):
        raise ProbeError(REFUSED_ADDRESS)  # no detail: the addresses stay unsaid
    return addresses
