"""What the app counts as it answers: audits, rate-limit refusals by route, result pages rendered, cases
created, database errors; in one process (the multiprocess sums are tests/operators/test_metrics.py's)."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db
from tests.audit.test_web import BROKEN
from tests.certfactory import write_trust_store
from tests.conftest import submit
from tests.hostile.conftest import walk

AUDIT_LIMIT = 30  # per minute, on POST /api/v1/config-audit (app/api/config_audit.py)


@pytest.fixture
def limited_app(tmp_path, hierarchy, database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                      "RATELIMIT_ENABLED": True,  # the limiter is shared: an app made before may have turned it off
                      "TRUSTED_ROOTS_FILE": write_trust_store(tmp_path / "roots.pem", hierarchy.root.cert)})
    yield app
    with app.app_context():
        db.engine.dispose()


def value(app, series: str) -> float:
    text = app.test_client().get("/metrics").get_data(as_text=True)
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_audits_and_their_rate_limit_refusals_are_counted(limited_app):
    audits, refused = "wizard_audits_total", 'wizard_rate_limited_total{route="/api/v1/config-audit"}'
    before = {series: value(limited_app, series) for series in (audits, refused)}
    client = limited_app.test_client()
    statuses = []
    for _ in range(AUDIT_LIMIT + 2):
        # Closed as a WSGI server closes it: the request is counted once its last byte is sent.
        with client.post("/api/v1/config-audit", json={"text": BROKEN, "accepted_domains": ["contoso.com"]}) as sent:
            statuses.append(sent.status_code)
    assert statuses == [200] * AUDIT_LIMIT + [429, 429]
    assert value(limited_app, audits) == before[audits] + AUDIT_LIMIT
    assert value(limited_app, refused) == before[refused] + 2


def test_a_walked_case_counts_once_and_its_plan_page_as_one_render(app, hierarchy):
    from tests.certfactory import to_pem

    created, rendered = "wizard_cases_created_total", 'wizard_render_duration_seconds_count{format="html"}'
    before = {series: value(app, series) for series in (created, rendered)}
    client = app.test_client()
    done = walk(client, to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode())
    for _ in range(3):  # a reload within minutes reuses the page
        assert client.get(done.location).status_code == 200
    assert value(app, created) == before[created] + 1
    assert value(app, rendered) == before[rendered] + 1
    submit(client, "/wizard/start", {"role": "agent", "organization": "Second", "ticket": "INC-2"})
    assert value(app, created) == before[created] + 1  # the open case was changed, not a new one made


def test_database_errors_are_counted(app):
    series = 'wizard_database_errors_total{kind="other"}'
    before = value(app, series)
    with app.app_context(), pytest.raises(DBAPIError):
        db.session.execute(sql("SELECT * FROM no_such_table"))
    assert value(app, series) == before + 1


def test_a_line_logged_during_a_request_carries_the_answers_request_id(app, caplog):
    app.add_url_rule("/logs-a-warning", "logs_a_warning", lambda: (app.logger.warning("something odd"), {"ok": True})[1])
    with caplog.at_level(logging.WARNING), app.test_client().get("/logs-a-warning") as response:
        request_id = response.headers["X-Request-ID"]
    assert [record.request_id for record in caplog.records if record.getMessage() == "something odd"] == [request_id]
    app.logger.warning("outside any request")
    assert not hasattr(caplog.records[-1], "request_id")
