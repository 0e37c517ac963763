"""X-Forwarded-For is believed from the proxy only (issue 23, finding 4).

Straight to gunicorn, a new X-Forwarded-For per attempt gave 30 sign-in tries of 30 without a
429: every local program was trusted as the proxy. nginx now connects from 127.0.0.2, the one
address gunicorn trusts; through it each client is still counted under its own address.
"""
from __future__ import annotations

import http.client
import re
import socket
from urllib.parse import urlencode

from bench.server import HOST

SIGN_IN = "/staff/sign-in"


def sign_in_attempt(port: int, source: str = HOST, forwarded_for: str | None = None) -> int:
    """One failed sign-in (a fresh form and cookie each time) from ``source``; the POST's status."""
    def request(method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection(HOST, port, timeout=15, source_address=(source, 0))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response, response.read().decode("utf-8", "replace")
        finally:
            conn.close()
    extra = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    form, html = request("GET", SIGN_IN, headers=extra)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    cookie = form.getheader("Set-Cookie", "").split(";")[0]
    body = urlencode({"csrf_token": token.group(1) if token else "", "email": "nobody@example.com",
                      "password": "wrong"}).encode()
    answer, _html = request("POST", SIGN_IN, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                    "Cookie": cookie, **extra})
    return answer.status


def test_a_client_of_gunicorn_itself_cannot_choose_its_address(front):
    statuses = [sign_in_attempt(front.gunicorn.port, forwarded_for=f"198.51.100.{n + 1}") for n in range(30)]
    # 5 a minute per address, counted by each of the 2 workers (memory://): at most 10 get through.
    assert statuses.count(429) >= 20, statuses


def test_through_nginx_each_client_is_counted_under_its_own_address(front):
    first = [sign_in_attempt(front.port, source="127.0.0.61") for _ in range(12)]
    assert 429 in first
    assert sign_in_attempt(front.port, source="127.0.0.62") != 429  # another client: its own count


def test_the_shipped_proxy_address_is_the_one_gunicorn_and_the_app_trust():
    from app.web.proxy import DEFAULT_PROXY
    from bench.server import REPO
    assert f"proxy_bind {DEFAULT_PROXY};" in (REPO / "deploy" / "nginx.conf").read_text()
    assert f'"FORWARDED_ALLOW_IPS", "{DEFAULT_PROXY}"' in (REPO / "gunicorn.conf.py").read_text()
    with socket.create_server((DEFAULT_PROXY, 0)):
        pass  # the address exists on this host (all of 127.0.0.0/8 is loopback on Linux)


def test_gunicorn_does_not_name_itself(front):
    """Issue 23, finding 13: "Server: gunicorn" straight to gunicorn (nginx says only "nginx")."""
    for port in (front.gunicorn.port, front.port):
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        assert "gunicorn" not in (response.getheader("Server") or "").lower()
        assert response.status == 200
