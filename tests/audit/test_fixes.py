"""The targeted plan: only Set-/Enable- commands for failed rules, dry run first, safe order, documented parameters."""
from __future__ import annotations

import pytest

from app.audit.fixes import ORDER
from app.audit.model import EXCHANGE_ONLINE_SHELL, EXCHANGE_SERVER_SHELL
from app.audit.render import render_fix_powershell
from app.remediation.rules import EXCHANGE_ONLINE_VERSION
from tests.audit.test_rules import CASES, H, HEALTHY, paste
from tests.audit.blocks import certificate_object
from tests.remediation.pwsh import commands, errors, parameter_problems, parse

BUILDS = {
    "Exchange Server 2010": "Version 14.3 (Build 123.4)",
    "Exchange Server 2013": "Version 15.0 (Build 1497.2)",
    "Exchange Server 2016": "Version 15.1 (Build 2507.39)",
    "Exchange Server 2019": "Version 15.2 (Build 1544.4)",
    "Exchange Server SE": "Version 15.2 (Build 2562.17)",
}
CHANGING = ("Set-", "Enable-")


def _changes(step) -> list:
    return [c for c in commands(parse("\n".join(step.commands))) if c.cmdlet.startswith(CHANGING)]


@pytest.mark.parametrize("code,broken,domains,_shows,_fixed", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_every_change_has_its_dry_run_first(audit, code, broken, domains, _shows, _fixed):
    for step in audit(broken, domains).plan.steps:
        changes = _changes(step)
        assert len(changes) in (0, 2), step
        if changes:
            assert "WhatIf" in changes[0].parameters and "WhatIf" not in changes[1].parameters
            assert changes[0].cmdlet == changes[1].cmdlet
        assert errors(parse("\n".join(step.commands))) == []


@pytest.mark.parametrize("version,build", sorted(BUILDS.items()))
def test_commands_use_parameters_of_each_version(audit, version, build):
    broken = paste({"enabled": "False", "treat_internal": "True"},
                   {"build": build, "require_tls": "False", "level": "DomainValidation", "enabled": "False",
                    "smart_host": "smtp.office365.com", "cloud": "False", "certificate_name": "", "fqdn": "",
                    "certificates": certificate_object(H, services="IIS"),
                    "hybrid": "<I>CN=Test Issuing CA, O=Test PKI, C=US<S>CN=mail.contoso.com",
                    "frontend": "<I>CN=EX01<S>CN=EX01"})
    plan = audit(broken).plan
    assert plan.server_version == version
    for step in plan.steps:
        text = "\n".join(step.commands)
        if step.shell == EXCHANGE_SERVER_SHELL:
            assert parameter_problems(text, version) == [], step
        elif step.shell == EXCHANGE_ONLINE_SHELL:
            assert parameter_problems(text, EXCHANGE_ONLINE_VERSION) == [], step
    changed = {c.cmdlet for step in plan.steps for c in _changes(step)}
    assert changed <= {"Set-SendConnector", "Set-InboundConnector", "Enable-ExchangeCertificate", "Set-ReceiveConnector"}


def test_the_order_keeps_mail_flowing(audit):
    broken = paste({"enabled": "False"}, {"enabled": "False", "require_tls": "False",
                                          "certificates": certificate_object(H, services="IIS")})
    order = [s.code for s in audit(broken).plan.steps]
    assert order.index("certificate_not_smtp") < order.index("inbound_connector_disabled") \
        < order.index("require_tls_off") < order.index("send_connector_disabled")
    assert order == [code for code in ORDER if code in order] + [c for c in order if c not in ORDER]


def test_only_failed_rules_get_commands(audit):
    assert audit(HEALTHY).plan.steps == []
    steps = audit(paste(server={"require_tls": "False"})).plan.steps
    assert [s.code for s in steps] == ["require_tls_off"]
    assert steps[0].commands[:2] == [
        "Set-SendConnector -Identity 'To Office 365 (certificate)' -RequireTLS $true -WhatIf",
        "Set-SendConnector -Identity 'To Office 365 (certificate)' -RequireTLS $true",
    ]


def test_the_certificate_name_is_read_on_the_server_not_typed(audit):
    step = next(s for s in audit(paste(server={"certificate_name": "", "fqdn": ""})).plan.steps
                if s.code == "tls_certificate_name_missing")
    assert any(line.startswith("$cert = Get-ExchangeCertificate -Thumbprint") for line in step.commands)
    assert "-TlsCertificateName $tlsCertificateName" in "\n".join(step.commands)


def test_a_guessed_mx_endpoint_is_said_to_be_a_guess(audit):
    broken = paste({"domains": ("contoso.com", "mail.contoso.com")}, {"smart_host": "smtp.office365.com"})
    step = next(s for s in audit(broken).plan.steps if s.code == "smart_host_submission")
    assert "contoso-com.mail.protection.outlook.com" in step.commands[1] and "guess" in step.commands[0]


def test_the_script_says_where_to_run_each_step(audit):
    text = render_fix_powershell(audit(paste({"enabled": "False"}, {"require_tls": "False"})).plan, "KB-1", "2026-12-01")
    assert "(Exchange Online PowerShell)" in text and "(Exchange Management Shell)" in text
    assert errors(parse(text)) == []
