"""No secret in the logs: tokens of resume, read-only and calendar links, and token/secret/key query
values, never reach gunicorn's or nginx's access log."""
from __future__ import annotations

import http.client
import json
import secrets
import time

from bench.server import HOST

TOKEN = secrets.token_urlsafe(24)
PATHS = [f"/resume/{TOKEN}", f"/cases/KB-7F3K-92QD/view/{TOKEN}", f"/cases/KB-7F3K-92QD/view/{TOKEN}?lang=sv",
         f"/calendar/{TOKEN}.ics", f"/healthz?lang=sv&token={TOKEN}&x=1"]


def get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def log_after(path, before: int, marker: str) -> str:
    """The log's text written since ``before`` bytes, once ``marker`` shows in it (logs are written after the answer)."""
    deadline = time.monotonic() + 5
    while True:
        text = path.read_bytes()[before:].decode("utf-8", "replace")
        if marker in text or time.monotonic() > deadline:
            return text


def test_access_logs_show_redacted_tokens(front):
    logs = {"gunicorn": front.gunicorn.log_path, "nginx": front.access_log}
    before = {name: path.stat().st_size for name, path in logs.items()}
    referer = {"Referer": f"http://{HOST}/cases/KB-7F3K-92QD/view/{TOKEN}"}
    for port in (front.port, front.gunicorn.port):  # through nginx, and straight to gunicorn
        for path in PATHS:
            assert get(port, path) in (200, 404)  # no such case or feed: the line is logged all the same
        assert get(port, "/healthz?after=1", referer) == 200
    for name, path in logs.items():
        text = log_after(path, before[name], "after=1")
        assert TOKEN not in text, name
        for redacted in ("/resume/<redacted>", "/cases/KB-7F3K-92QD/view/<redacted>",
                         "/cases/KB-7F3K-92QD/view/<redacted>?lang=sv", "/calendar/<redacted>",
                         "/healthz?lang=sv&token=<redacted>&x=1",
                         f'"http://{HOST}/cases/KB-7F3K-92QD/view/<redacted>"'):  # the referrer
            assert redacted in text, (name, redacted, text[-2000:])


def test_the_app_sees_the_client_nginx_saw_not_an_address_the_client_claims(front):
    before = front.gunicorn.log_path.stat().st_size
    get(front.port, "/healthz?through=nginx", {"X-Forwarded-For": "203.0.113.9"})
    line = next(line for line in log_after(front.gunicorn.log_path, before, "through=nginx").splitlines()
                if "through=nginx" in line)
    assert json.loads(line)["client"] == "127.0.0.1" and "203.0.113.9" not in line


ENCODED = [f"/resume%2F{TOKEN}", f"/resume%2f{TOKEN}", f"/resume%252F{TOKEN}", f"/cases/KB-7F3K-92QD/view%2F{TOKEN}",
           f"/calendar%2F{TOKEN}.ics", f"/RESUME/{TOKEN}"]


def test_a_token_behind_an_encoded_slash_is_redacted_too(front):
    """Issue 23, finding 9: /resume%2F<token> opens the case (the app decodes it) and was logged as sent."""
    logs = {"gunicorn": front.gunicorn.log_path, "nginx": front.access_log}
    before = {name: path.stat().st_size for name, path in logs.items()}
    for port in (front.port, front.gunicorn.port):
        for path in ENCODED:
            assert get(port, path) in (200, 404)
        assert get(port, "/healthz?encoded=1") == 200
    for name, path in logs.items():
        text = log_after(path, before[name], "encoded=1")
        assert TOKEN not in text, (name, [line for line in text.splitlines() if TOKEN in line])
        assert text.count("<redacted>") >= len(ENCODED), name


class DeadUpstream:
    """deploy/nginx.conf in front of a port where nothing listens: every proxied request is a 502."""

    def __init__(self, folder):
        from bench.server import free_port
        from tests.hostile.front import Nginx

        class Waiting(Nginx):
            def _wait_ready(self, timeout: float = 15) -> None:
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    try:
                        get(self.port, "/healthz")
                        return
                    except OSError:
                        time.sleep(0.1)
                raise RuntimeError(self.error_log.read_text())
        self.nginx = Waiting(folder, free_port())


def test_an_upstream_error_writes_no_token_to_nginx_error_log(tmp_path):
    """nginx writes the whole request line on an upstream error: never for a secret link."""
    proxy = DeadUpstream(tmp_path / "nginx").nginx.start()
    try:
        for path in PATHS[:4] + ENCODED:
            assert get(proxy.port, path) == 502
        assert get(proxy.port, "/healthz?dead=1") == 502
        text = log_after(proxy.error_log, 0, "dead=1")
    finally:
        proxy.stop()
    assert "dead=1" in text  # other upstream errors are still logged
    assert TOKEN not in text
