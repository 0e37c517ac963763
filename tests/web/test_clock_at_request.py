"""What a page says about the date is read from the clock when it is asked for (issue 29).

A plan is cached for a few minutes per worker; a page made just before midnight must not be shown
as today's plan after it. The plan's date ("Made on" on the page, the .ps1 header and plan.json)
follows the clock of the request, on every face of the case.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

import app.reports.plan
from app.store import utcnow
from tests.conftest import page, submit
from tests.web.test_wizard import walk_to


@pytest.fixture
def reference(client, hierarchy):
    walk_to(client, hierarchy)
    return submit(client, "/wizard/check", {}).headers["Location"].rsplit("/", 1)[1]


def made_on(client, reference: str) -> str:
    soup = page(client.get(f"/cases/{reference}"))
    row = next(r for r in soup.select(".summary-row") if r.dt.get_text(strip=True) == "Made on")
    return row.dd.get_text(" ", strip=True)


def test_a_plan_shown_again_the_next_day_carries_the_next_day(client, reference, monkeypatch):
    today = utcnow()
    tomorrow = today + timedelta(days=1)
    assert made_on(client, reference).startswith(today.date().isoformat())
    monkeypatch.setattr(app.reports.plan, "utcnow", lambda: tomorrow)
    assert made_on(client, reference).startswith(tomorrow.date().isoformat())
    assert client.get(f"/cases/{reference}/plan.json").json["generated_on"] == tomorrow.date().isoformat()
    assert f"Generated on {tomorrow.date().isoformat()}" in client.get(f"/cases/{reference}/remediation.ps1").text

