"""No secret in the logs: tokens of resume, read-only and calendar links, and token/secret/key query
values, never reach gunicorn's or nginx's access log."""
from __future__ import annotations

import http.client
import json
import re
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


def request(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_one_json_line_per_request_with_nginxs_request_id(front):
    """Issue 26, item 8: the id nginx makes is in the answer, in nginx's log line and in the app's one line."""
    before = {"gunicorn": front.gunicorn.log_path.stat().st_size, "nginx": front.access_log.stat().st_size}
    answer = request(front.port, f"/resume/{TOKEN}?marker=json-line", {"X-Request-ID": "client-chosen-id-1"})
    request_id = answer.getheader("X-Request-ID")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), request_id  # nginx's, not the client's
    lines = json_lines(log_after(front.gunicorn.log_path, before["gunicorn"], "json-line"))
    mine = [line for line in lines if line.get("request_id") == request_id]
    assert len(mine) == 1, lines  # gunicorn's access log does not write a second one
    line = mine[0]
    assert {key: line[key] for key in ("level", "method", "route", "status")} == {
        "level": "INFO", "method": "GET", "route": "/resume/<token>", "status": answer.status}
    assert line["path"] == "/resume/<redacted>?marker=json-line" and line["duration_ms"] >= 0 and line["time"]
    assert request_id in log_after(front.access_log, before["nginx"], request_id)


def test_every_line_gunicorn_writes_is_a_json_object(front):
    request(front.gunicorn.port, "/healthz?marker=every-line")
    text = log_after(front.gunicorn.log_path, 0, "every-line")
    for line in json_lines(text):  # raises on a line that is not JSON
        assert {"time", "level", "message"} <= line.keys(), line


def test_a_well_formed_incoming_request_id_is_kept_any_other_replaced(front):
    kept = "4f1c-client.id_7"
    assert request(front.gunicorn.port, "/healthz", {"X-Request-ID": kept}).getheader("X-Request-ID") == kept
    for bad in ("short", "x" * 65, "id with spaces", "id\"quote'", f"/resume/{TOKEN}"):
        given = request(front.gunicorn.port, "/healthz", {"X-Request-ID": bad}).getheader("X-Request-ID")
        assert given != bad and re.fullmatch(r"[0-9a-f]{32}", given), (bad, given)
