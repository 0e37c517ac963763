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


HYBRID = sorted(name for name in CASES if "hybrid" in name)


@pytest.mark.parametrize("name", HYBRID)
def test_hybrid_goes_through_the_wizard_never_a_second_connector(name):
    """Issue 21 item 2: the wizard is run again and its connector checked; a hand edit is only the labelled,
    commented fallback, with the warning that the next run reverts it."""
    plan = CASES[name]
    text = plan.exchange_online.powershell
    run = [line for line in text.splitlines() if not line.startswith("#")]
    assert not [line for line in run if "New-InboundConnector" in line or "Set-InboundConnector" in line]
    assert "on its Transport Certificate page, choose the certificate issued to" in text
    assert "$hybridConnector = Get-InboundConnector | Where-Object { $_.ConnectorSource -eq 'HybridWizard' }" in run
    fallback = text.index("Fallback, only if the Hybrid Configuration Wizard cannot be run")
    assert text.index(REWRITES, fallback) > fallback
    assert ("# Set-InboundConnector -Identity $hybridConnector.Name -RequireTls $true -TlsSenderCertificateName "
            "'mail.contoso.com'") in text.splitlines()
    steps = " ".join(exchange_online_step(plan).steps)
    assert "Transport Certificate page" in steps and "Add a connector" not in steps
    order = [item.id for item in plan.checklist]
    assert order.index("on_premises") < order.index(EXCHANGE_ONLINE)  # the certificate first, then the wizard
