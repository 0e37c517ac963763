"""The metrics behind two of deploy/alerts.yml's alerts: certificates the expiry watch knows to be expiring,
and expiry notices the webhook could not deliver."""
from __future__ import annotations

import re

import pytest

from app.staff.expiry import notify
from bench.server import free_port
from tests.scale.test_expiry import certificates  # noqa: F401  (fixture: cases expiring in 10, 45, 80, 200, -5 days)
from tests.staff.conftest import users  # noqa: F401  (fixture)


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert found, (name, text[-3000:])
    return float(found.group(1))


def scrape(app) -> str:
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_live_cases_expiring_within_30_60_90_days_and_expired(app, certificates):  # noqa: F811
    text = scrape(app)
    expected = {'wizard_certificates_expiring{within_days="30"}': 1, 'wizard_certificates_expiring{within_days="60"}': 2,
                'wizard_certificates_expiring{within_days="90"}': 3, "wizard_certificates_expired": 1,
                "wizard_health_ok": 1}
    assert {name: metric(text, name) for name in expected} == expected
    for reference in certificates.values():
        assert reference not in text


def test_an_undelivered_expiry_notice_counts_as_a_failed_webhook(app, certificates):  # noqa: F811
    failed = 'wizard_expiry_webhooks_total{outcome="failed"}'
    before = metric(scrape(app), failed)
    with app.app_context(), pytest.raises(OSError):
        notify(f"http://127.0.0.1:{free_port()}/nobody-listens")
    assert metric(scrape(app), failed) == before + 1
