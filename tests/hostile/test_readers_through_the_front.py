"""Two hostile pastes at once no longer stop the site (issue 23, finding 1), through nginx and straight to gunicorn.

The finding: "####x", 39,990 spaces, "y", sent twice at once, held both workers about 40 s and
/healthz with them (63 s through nginx). Now each answers at once and /healthz keeps answering.
"""
from __future__ import annotations

import http.client
import json
import threading
import time

from bench.server import HOST

SECTION = "####x" + " " * 39_990 + "y"


def post_json(port: int, path: str, payload: dict, timeout: float = 20) -> tuple[int | str, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", path, body=json.dumps(payload), headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError as error:
        return type(error).__name__, time.monotonic() - started
    finally:
        conn.close()


def healthz_seconds(port: int) -> float:
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=20)
    try:
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
    finally:
        conn.close()
    return time.monotonic() - started


def test_two_section_pastes_at_once_leave_the_site_answering(front):
    for port in (front.port, front.gunicorn.port):
        answers: list = []
        threads = [threading.Thread(target=lambda: answers.append(
            post_json(port, "/api/v1/config-audit", {"text": SECTION}))) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        health = healthz_seconds(port)
        for thread in threads:
            thread.join()
        assert [status for status, _seconds in answers] == [400, 400], answers  # nothing usable in it
        assert max(seconds for _status, seconds in answers) < 5, answers    # was about 30-40 s each
        assert health < 5, f"/healthz took {health:.1f} s"                  # was 24-63 s
