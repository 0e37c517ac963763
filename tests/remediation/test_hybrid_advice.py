"""Wherever the plan edits a connector the Hybrid Configuration Wizard manages, it says that the wizard
rewrites it on each run: in the admin center steps on the page and the PDF, not only in the script."""
from __future__ import annotations

import pytest

from app.remediation.rules import EXCHANGE_ONLINE
from tests.remediation.cases import CASES

REWRITES = "rewrites them each time it runs"
WITH_CONNECTOR = sorted(name for name, plan in CASES.items() if plan.exchange_online)


def exchange_online_step(plan):
    return next(item for item in plan.checklist if item.id == EXCHANGE_ONLINE)


@pytest.mark.parametrize("name", WITH_CONNECTOR)
def test_the_exchange_online_step_says_the_hybrid_wizard_rewrites_its_connectors(name):
    plan = CASES[name]
    hybrid = "hybrid" in name
    assert any(REWRITES in text for text in exchange_online_step(plan).details) == hybrid
    assert (REWRITES in plan.exchange_online.powershell) == (hybrid and bool(plan.exchange_online.powershell))


def test_there_are_hybrid_cases_to_check():
    assert len([name for name in WITH_CONNECTOR if "hybrid" in name]) >= 3
