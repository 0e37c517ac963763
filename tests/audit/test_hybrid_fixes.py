"""Issue 21 items 1 and 2: the audit's fixes set RequireTls with the certificate name, and never hand-edit a
connector the Hybrid Configuration Wizard manages: its fix is the wizard's next run, the edit only a fallback."""
from __future__ import annotations

import pytest

from app.audit.fixes import hcw_managed
from tests.audit.test_rules import paste

WIZARD = "Inbound from 4a1e5c3b-0f2d-4e6a-9b8c-7d6e5f4a3b2c"


@pytest.mark.parametrize("online", [
    {"connector_value": "relay.contoso.com", "domains": ("contoso.com", "relay.contoso.com"),
     "source": "HybridWizard"},
    {"connector_value": "", "source": "HybridWizard"},
])
def test_a_connector_the_wizard_made_is_fixed_by_running_the_wizard_again(audit, online):
    result = audit(paste(online))
    (step,) = [s for s in result.plan.steps if s.code in ("tls_sender_name_not_on_certificate",
                                                         "inbound_connector_by_ip_only")]
    assert step.title == "Run the Hybrid Configuration Wizard again (it manages From on-premises by certificate)"
    assert not [c for c in step.commands if c.startswith(("Set-", "New-"))]
    assert "Transport Certificate page" in step.note and "its next run reverts the change" in step.note


def test_an_admin_made_connector_is_still_changed_with_require_tls(audit):
    result = audit(paste({"connector_value": "relay.contoso.com", "domains": ("contoso.com", "relay.contoso.com")}))
    (step,) = [s for s in result.plan.steps if s.code == "tls_sender_name_not_on_certificate"]
    assert [c for c in step.commands if c.startswith("Set-InboundConnector")] == [
        "Set-InboundConnector -Identity 'From on-premises by certificate' -RequireTls $true "
        "-TlsSenderCertificateName 'contoso.com' -WhatIf",
        "Set-InboundConnector -Identity 'From on-premises by certificate' -RequireTls $true "
        "-TlsSenderCertificateName 'contoso.com'"]


@pytest.mark.parametrize("name,managed", [
    (WIZARD, True), ("Outbound to Office 365 - 4a1e5c3b-0f2d-4e6a-9b8c-7d6e5f4a3b2c", True),
    ("Outbound to Office 365 4A1E5C3B-0F2D-4E6A-9B8C-7D6E5F4A3B2C", True),
    ("Inbound from Contoso", False), ("To Office 365 (certificate)", False), ("", False),
])
def test_the_wizards_connectors_are_known_by_their_names(audit, name, managed):
    context = type("Context", (), {"config": audit(paste()).configuration})()
    assert hcw_managed(context, name) is managed
