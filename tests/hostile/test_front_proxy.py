"""nginx (deploy/nginx.conf) in front of gunicorn: slow clients wait in nginx, never in a worker.

Without it, two sockets that stop in the middle of their headers hold both
sync workers until gunicorn's 60 s timeout, and /healthz with them (the
control below shows it in 3 s). Behind nginx, 200 such clients leave /healthz
answering at once, and 20 large uploads sent slowly leave page views alone.
"""
from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from contextlib import ExitStack

import pytest

from app.web.assets import HASHED_NAME as HASHED
from bench.server import HOST
from tests.hostile.front import open_slow_clients

SLOW_CLIENTS = 200
UPLOADS = 20


def get_time(port: int, path: str = "/healthz", timeout: float = 10) -> tuple[int, float]:
    """(status, seconds) of one GET on a new connection."""
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def test_control_two_slow_clients_stall_gunicorn_alone(front):
    with ExitStack() as stack:
        open_slow_clients(stack, front.gunicorn.port, 2, bodies=False)
        time.sleep(0.3)
        with pytest.raises(OSError):  # socket.timeout: both workers wait for the slow clients
            get_time(front.gunicorn.port, timeout=3)


def test_200_slow_clients_leave_healthz_answering_under_a_second(front):
    with ExitStack() as stack:
        open_slow_clients(stack, front.port, SLOW_CLIENTS)
        time.sleep(0.3)
        answers = [get_time(front.port) for _ in range(20)]
    assert {status for status, _seconds in answers} == {200}
    worst = max(seconds for _status, seconds in answers)
    assert worst < 1.0, f"worst /healthz took {worst:.2f} s"


def slow_upload(port: int, size: int, results: list) -> None:
    """POST ``size`` bytes in 64 KiB pieces over about three seconds, as a slow uplink would."""
    body = b"A" * size
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(b"POST /api/v1/certificate-check HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     b"Content-Type: application/json\r\n" + f"Content-Length: {size}\r\n\r\n".encode())
        for start in range(0, size, 65536):
            sock.sendall(body[start:start + 65536])
            time.sleep(0.2)
        results.append(sock.recv(64)[:12])


def test_20_slow_large_uploads_do_not_starve_page_views(front):
    results: list[bytes] = []
    uploads = [threading.Thread(target=slow_upload, args=(front.port, 1000 * 1024, results)) for _ in range(UPLOADS)]
    for thread in uploads:
        thread.start()
    time.sleep(0.5)
    views = [get_time(front.port, "/wizard/start") for _ in range(10)]
    for thread in uploads:
        thread.join(60)
    assert {status for status, _seconds in views} == {200}
    worst = max(seconds for _status, seconds in views)
    assert worst < 1.0, f"worst page view took {worst:.2f} s"
    assert results == [b"HTTP/1.1 400"] * UPLOADS  # each upload did arrive whole, and was answered


def get(port: int, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    response.body = response.read()
    return response


SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Permissions-Policy")


def test_static_files_come_from_nginx_under_hashed_names_kept_for_good(front):
    page = get(front.port, "/")
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.body.decode())
    assert len(links) == 4 and all(HASHED.search(link) for link in links), links
    for link in links:
        response = get(front.port, link)
        assert response.status == 200 and response.body
        assert response.getheader("Cache-Control") == "max-age=315360000, public, immutable"
        assert "gunicorn" not in (response.getheader("Server") or "")
        # The pages' security policy, header for header, as the app itself sends with its static files.
        from_app = get(front.gunicorn.port, link)
        assert from_app.body == response.body
        for header in SECURITY_HEADERS:
            assert response.getheader(header) == page.getheader(header) == from_app.getheader(header), header
    plain = get(front.port, "/static/css/app.css")
    assert plain.status == 200 and plain.getheader("Cache-Control") == "max-age=3600, public"
    assert plain.getheader("Content-Security-Policy") == page.getheader("Content-Security-Policy")


def test_larger_bodies_than_the_app_accepts_are_refused_by_nginx(front):
    conn = http.client.HTTPConnection(HOST, front.port, timeout=5)
    conn.request("POST", "/api/v1/certificate-check", body=b"A" * (1024 * 1024 + 1),
                 headers={"Content-Type": "application/json"})
    assert conn.getresponse().status == 413
