"""GET /metrics under gunicorn with two workers, scraped by Debian's Prometheus server; who may read it."""
from __future__ import annotations

import http.client
import re
import secrets
import time

import pytest

from bench.client import WizardClient, walk_wizard, wizard_answers
from bench.server import HOST, LOAD_TEST_LIMITS, Gunicorn
from tests.certfactory import make_hierarchy, to_pem
from tests.operators.prometheus import Prometheus

HIERARCHY = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
PEM = to_pem(HIERARCHY.leaf.cert, HIERARCHY.intermediate.cert).decode()
METRICS_TOKEN = secrets.token_urlsafe(24)
STARTED_ONLY = 4  # cases begun and left at the first step; one more is walked to its plan


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {**LOAD_TEST_LIMITS, "METRICS_TOKEN": METRICS_TOKEN}
    with Gunicorn(tmp_path_factory.mktemp("metrics"), workers=2, extra_env=env) as running:
        yield running


def metrics_status(port: int, headers: dict | None = None, source: str = HOST) -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10, source_address=(source, 0))
    try:
        conn.request("GET", "/metrics", headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def cases_created(text: str) -> float:
    return float(re.search(r"^wizard_cases_created_total (\S+)$", text, re.MULTILINE).group(1))


def test_prometheus_scrapes_the_workers_sums_through_gunicorn(server, tmp_path):
    for number in range(STARTED_ONLY):
        client = WizardClient(server.base_url)
        assert client.submit("/wizard/start", wizard_answers(f"Started {number} Ltd", PEM)[0][1]).status == 302
    walker = WizardClient(server.base_url)
    reference = walk_wizard(walker, wizard_answers("Walked Ltd", PEM))
    assert walker.get(f"/cases/{reference}").status == 200
    assert walker.get(f"/cases/{reference}/report.pdf").status == 200
    created = STARTED_ONLY + 1

    # Each worker counts its own share; every scrape, whichever worker answers it, gives the sum.
    for _ in range(6):
        status, text = metrics_status(server.port)
        assert status == 200 and cases_created(text) == created

    with Prometheus(tmp_path / "prometheus", server.port) as prometheus:
        read = prometheus.wait_for_value("sum(wizard_cases_created_total)", created)
        print(f"Prometheus query sum(wizard_cases_created_total) returned {read} after {created} cases were created")
        assert read == created, prometheus.targets()
        assert prometheus.wait_for_value('sum(wizard_render_duration_seconds_count{format="pdf"})', 1) == 1
        assert prometheus.wait_for_value('sum(wizard_http_requests_total{route="/wizard/start",method="POST",'
                                         'status="302"})', created) == created
        targets = prometheus.targets()
        assert [t["health"] for t in targets] == ["up"], targets


def test_metrics_name_routes_never_references_or_tokens(server):
    client = WizardClient(server.base_url)
    reference = walk_wizard(client, wizard_answers("Private Ltd", PEM))
    token = secrets.token_urlsafe(24)
    for path in (f"/cases/{reference}", f"/resume/{token}", f"/cases/{reference}/view/{token}",
                 f"/calendar/{token}.ics", f"/healthz?token={token}", f"/no-such-page/{token}"):
        assert client.get(path).status in (200, 404)
    routes = ("/cases/<reference>", "/resume/<token>", "/cases/<reference>/view/<token>", "unmatched")
    # A worker counts an answer once its last byte is sent, so the client may read /metrics (from the
    # other worker) a moment before the count lands: ask again for a while.
    deadline = time.monotonic() + 15
    while True:
        status, text = metrics_status(server.port)
        assert status == 200
        if all(f'route="{route}"' in text for route in routes) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert reference not in text and token not in text and METRICS_TOKEN not in text
    for route in routes:
        assert f'route="{route}"' in text, route


def test_metrics_answer_only_allowed_addresses_or_the_token(server):
    bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    assert metrics_status(server.port)[0] == 200  # 127.0.0.1: METRICS_ALLOW's default is loopback
    # What nginx (127.0.0.2, FORWARDED_ALLOW_IPS) sends for a visitor from outside: the visitor's address counts.
    outside = {"X-Forwarded-For": "203.0.113.7"}
    status, text = metrics_status(server.port, outside, source="127.0.0.2")
    assert status == 404 and "wizard_" not in text
    assert metrics_status(server.port, {**outside, **bearer}, source="127.0.0.2")[0] == 200
    for wrong in (f"Bearer {METRICS_TOKEN[:-1]}", f"Basic {METRICS_TOKEN}", METRICS_TOKEN, "Bearer "):
        assert metrics_status(server.port, {**outside, "Authorization": wrong}, source="127.0.0.2")[0] == 404, wrong


def test_metrics_refused_to_a_loopback_address_not_in_the_list(tmp_path):
    env = {"METRICS_ALLOW": "127.0.0.3", "METRICS_TOKEN": METRICS_TOKEN}
    with Gunicorn(tmp_path, workers=1, extra_env=env) as server:
        assert metrics_status(server.port)[0] == 404  # from 127.0.0.1
        assert metrics_status(server.port, source="127.0.0.3")[0] == 200
        assert metrics_status(server.port, {"Authorization": f"Bearer {METRICS_TOKEN}"})[0] == 200
