"""Every reader stops at its time budget, and so does a stored audit shown again (issue 23, finding 1).

Each reader's budget is set to a tenth of a millisecond, so that any reading runs past it: the
answer must be the 503 that names what took too long, never a worker held until gunicorn kills
it. The readers themselves are linear (tests/hostile/test_redos.py); this is the backstop.
"""
from __future__ import annotations

import time

import pytest

from app.web import budget
from tests.audit.conftest import fixture
from tests.conftest import page, submit
from tests.staff.conftest import agent, contoso, users  # noqa: F401  the signed-in agent and a case
from tests.staff.test_renewal import form_data, renewed

PASTE = fixture("exchange_online_hybrid.txt") + fixture("exchange_server_2016_hybrid.txt")
HEADERS = fixture("headers_relayed_ndr.txt")
NDR = "Remote Server returned '550 5.7.64 TenantAttribution; Relay Access Denied'"
TINY = 0.0001


@pytest.fixture
def tight(monkeypatch):
    """Every reader's budget set to TINY seconds."""
    for reader in budget.LIMITS:
        monkeypatch.setitem(budget.LIMITS, reader, TINY)


def too_slow(response, title: str):
    assert response.status_code == 503
    soup = page(response)
    assert soup.h1.get_text(strip=True) == title
    return soup


def test_each_reader_runs_within_its_budget_as_set(client, hierarchy):
    """With the budgets as shipped, the same inputs are read: the budget stops only the runaway."""
    assert submit(client, "/audit", {"text": PASTE}).status_code == 200
    assert client.post("/api/v1/headers", json={"text": HEADERS}).status_code == 200
    assert client.post("/api/v1/diagnose", json={"text": NDR}).status_code == 200
    assert submit(client, "/renewal", form_data(hierarchy, renewed(hierarchy))).status_code == 200


def test_the_audit_page_and_api_stop_at_the_budget(client, tight):
    too_slow(submit(client, "/audit", {"text": PASTE}), "Reading this configuration took too long")
    answer = client.post("/api/v1/config-audit", json={"text": PASTE})
    assert answer.status_code == 503 and answer.json["error"]["code"] == "too_slow"


def test_a_stored_audit_shown_again_stops_at_the_budget(agent, contoso, monkeypatch):
    """Its page, .ps1, .json and .pdf read the saved paste anew: each under the audit's budget."""
    assert submit(agent, f"/cases/{contoso}/audit", {"text": PASTE}).status_code == 302
    assert agent.get(f"/cases/{contoso}/audit/1").status_code == 200
    monkeypatch.setitem(budget.LIMITS, budget.AUDIT, TINY)
    too_slow(agent.get(f"/cases/{contoso}/audit/1"), "Reading this configuration took too long")
    for suffix in ("fix.ps1", "fix.pdf"):
        too_slow(agent.get(f"/cases/{contoso}/audit/1/{suffix}"), "Reading this configuration took too long")
    assert agent.get(f"/cases/{contoso}/audit/1/fix.json").status_code == 503


def test_the_header_reader_stops_at_the_budget(client, tight):
    too_slow(submit(client, "/diagnose/headers", {"text": HEADERS}), "Reading these headers took too long")
    answer = client.post("/api/v1/headers", json={"text": HEADERS})
    assert answer.status_code == 503 and answer.json["error"]["code"] == "too_slow"


def test_the_decoder_stops_at_the_budget(client, tight):
    too_slow(submit(client, "/diagnose", {"text": NDR}), "Reading this message took too long")
    answer = client.post("/api/v1/diagnose", json={"text": NDR})
    assert answer.status_code == 503 and answer.json["error"]["code"] == "too_slow"


def test_the_renewal_comparison_stops_at_the_budget(client, hierarchy, tight):
    too_slow(submit(client, "/renewal", form_data(hierarchy, renewed(hierarchy))),
             "Comparing these certificates took too long")


def test_budgets_nest_and_leave_no_timer_behind():
    started = time.monotonic()
    with pytest.raises(budget.TooSlow) as stopped:
        with budget.budget(budget.RENEWAL, 0.05):
            with budget.budget(budget.CERTIFICATE, 10):  # the inner one cannot outlive the outer one
                while True:
                    pass
    assert stopped.value.reader == budget.RENEWAL and time.monotonic() - started < 5
    with pytest.raises(budget.AnalysisTimeout):
        with budget.budget(budget.RENEWAL, 10):
            with budget.budget(budget.CERTIFICATE, 0.05):
                while True:
                    pass
    with budget.budget(budget.AUDIT, 0.05):
        pass
    time.sleep(0.1)  # no timer left to fire after the block
