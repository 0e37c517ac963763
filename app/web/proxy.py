"""The client's address behind nginx: X-Forwarded-For, believed only from FORWARDED_ALLOW_IPS.

gunicorn reads X-Forwarded-Proto from the addresses in FORWARDED_ALLOW_IPS but
leaves REMOTE_ADDR as the proxy's address, which would put every visitor
under one sign-in and rate-limit key. werkzeug's ProxyFix takes the client's
address from the header nginx sets, for requests from those same addresses only.

The default is 127.0.0.2, the address deploy/nginx.conf connects from
(proxy_bind), not 127.0.0.1: a program on the host that talks to gunicorn
directly then cannot pick a new X-Forwarded-For for each sign-in attempt and
dodge the limits (issue 23); it is counted under its own address.
"""
from __future__ import annotations

import functools
import ipaddress
import os

from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULT_PROXY = "127.0.0.2"  # deploy/nginx.conf's proxy_bind; gunicorn.conf.py says the same


def behind_trusted_proxy(wsgi_app, allowed: str | None = None):
    """``wsgi_app`` seeing the forwarded client address and scheme when a trusted proxy sent the request."""
    entries = [a.strip() for a in (allowed or os.environ.get("FORWARDED_ALLOW_IPS", DEFAULT_PROXY)).split(",")]
    trust_all = "*" in entries
    networks = [ipaddress.ip_network(a, strict=False) for a in entries if a and a != "*"]
    proxied = ProxyFix(wsgi_app, x_for=1, x_proto=1)

    @functools.lru_cache(maxsize=256)  # the same few addresses (nginx's) on every request
    def trusted(address: str | None) -> bool:
        try:
            return trust_all or any(ipaddress.ip_address(address or "") in n for n in networks)
        except ValueError:  # a Unix socket peer has no address
            return False

    def app(environ, start_response):
        chosen = proxied if trusted(environ.get("REMOTE_ADDR")) else wsgi_app
        return chosen(environ, start_response)

    return app
