"""Which addresses the probe may connect to: public ones, unless a setting allows private ones.

Every address the name resolves to is checked, and the probe then connects to
an address it checked, never to the name again: a second lookup could answer
with another address (DNS rebinding).
"""
from __future__ import annotations

import ipaddress
import socket

from app.certs.domains import DomainError, normalize_domain

INVALID_HOST, REFUSED_ADDRESS, UNRESOLVABLE = "invalid_host", "refused_address", "unresolvable"
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


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
                                 or ip.is_private or ip.is_unspecified)


def checked_addresses(host: str, port: int, allow_private: bool = False) -> list[str]:
    """Every address ``host`` resolves to, after checking all of them; refuses if any is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        raise ProbeError(UNRESOLVABLE, host) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise ProbeError(UNRESOLVABLE, host)
    refused = [a for a in addresses if not is_public(a)]
    if refused and not allow_private:
        raise ProbeError(REFUSED_ADDRESS, ", ".join(refused))
    return addresses
