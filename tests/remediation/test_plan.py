"""Plan content: checklist statuses, connector settings, verdicts, serialization."""
import json
from dataclasses import replace

import pytest

from app.certs.model import BLOCKED as VERDICT_BLOCKED, READY
from app.remediation import RULESET_VERSION, build_plan, plan_to_dict, recommend_connector_name, render_powershell
from app.remediation.answers import EXCHANGE_KINDS
from app.remediation.checklist import is_covered
from app.remediation.rules import (
    BLOCKED, CLEANUP, DEFAULT_CONNECTOR_NAME, DONE, EXCHANGE_ONLINE, IN_PROGRESS, ON_PREMISES,
    REGISTER_DOMAIN, TODO, VERIFY,
)
from tests.remediation import factories as f
from tests.remediation.cases import CASES, TODAY
from tests.remediation.pwsh import COMMENTED_COMMAND


def statuses(plan):
    return {item.id: item.status for item in plan.checklist}


def test_ready_plan_has_the_register_step_done_and_the_rest_to_do():
    plan = build_plan(f.answers("exchange-2019", "ip"), f.report(), today=TODAY)
    assert plan.verdict == READY
    assert statuses(plan) == {REGISTER_DOMAIN: DONE, EXCHANGE_ONLINE: TODO, ON_PREMISES: TODO, VERIFY: TODO, CLEANUP: TODO}


def test_register_step_is_todo_when_the_chosen_domain_is_not_accepted():
    answers = f.answers(accepted_domains=["contoso.com"], connector_domain="mail.contoso.com")
    item = build_plan(answers, f.report(), today=TODAY).checklist[0]
    assert (item.id, item.status) == (REGISTER_DOMAIN, TODO)
    assert "mail.contoso.com" in item.title
    assert any("Settings > Domains" in d for d in item.details)


def test_name_not_accepted_blocks_everything_but_the_remedy():
    plan = CASES["exchange-se-blocked__ip"]
    assert plan.verdict == VERDICT_BLOCKED
    # The certificate's own name, once added as a domain: the commands wait for it.
    assert plan.connector_domain == "mail.contoso.com"
    assert statuses(plan) == {REGISTER_DOMAIN: TODO, EXCHANGE_ONLINE: BLOCKED, ON_PREMISES: BLOCKED,
                              VERIFY: BLOCKED, CLEANUP: BLOCKED}
    assert {item.reason.code for item in plan.checklist if item.reason} == {"name_not_accepted"}
    assert "New-InboundConnector" not in render_powershell(plan).split("# Step 1:")[1].split("# Step 2:")[0]


def test_certificate_error_blocks_the_server_steps_but_not_the_connector():
    plan = CASES["exchange-2013-expired__none"]
    assert statuses(plan)[EXCHANGE_ONLINE] == TODO
    blocked = {item.id: item.reason.code for item in plan.checklist if item.status == BLOCKED}
    assert blocked == {ON_PREMISES: "expired", VERIFY: "expired"}
    assert [w.code for w in plan.warnings][:1] == ["incomplete_chain"]


def test_without_a_certificate_the_plan_is_in_progress():
    plan = CASES["postfix-no-certificate__none"]
    assert plan.verdict == IN_PROGRESS
    assert statuses(plan)[EXCHANGE_ONLINE] == TODO  # the admin typed the domain
    assert statuses(plan)[ON_PREMISES] == BLOCKED
    assert plan.findings == []
    assert not plan.mx_endpoint_confirmed
    assert "mx_endpoint_unconfirmed" in {w.code for w in plan.warnings}


def test_without_certificate_or_domain_the_connector_waits():
    plan = build_plan(f.answers("exchange-2016"), None, today=TODAY)
    assert statuses(plan)[EXCHANGE_ONLINE] == BLOCKED
    assert plan.on_premises.powershell == ""


@pytest.mark.parametrize("existing,cmdlet", [("none", "New-InboundConnector -Name"),
                                             ("ip", "New-InboundConnector -Name"),
                                             ("certificate", "Set-InboundConnector -Identity 'Inbound from Contoso'")])
def test_new_or_set_inbound_connector(existing, cmdlet):
    text = CASES[f"exchange-2019__{existing}"].exchange_online.powershell
    assert cmdlet in text
    assert ("-ConnectorType OnPremises -SenderDomains * -RequireTls $true -TlsSenderCertificateName "
            "'mail.contoso.com'") in text
    assert text.index("-WhatIf") < text.index("Get-InboundConnector")
    # RequireTls $true goes with TlsSenderCertificateName (facts section 11); a comment says what it does and
    # that it is not what grants the relay; the check lists it.
    assert "applies only to Partner connectors" not in text
    assert "not RequireTls" in text and "Format-List Name,ConnectorType,SenderDomains,RequireTls," in text


WITH_CONNECTOR = sorted(name for name, plan in CASES.items() if plan.connector_domain)


def test_only_a_certificate_without_any_usable_name_gives_no_exchange_online_commands():
    assert sorted(name for name, plan in CASES.items() if not plan.exchange_online.powershell) == [
        "postfix-internal-name__ip"]


@pytest.mark.parametrize("name", WITH_CONNECTOR)
def test_cloud_services_mail_only_for_exchange_and_never_with_treat_as_internal(name):
    plan = CASES[name]
    text = plan.exchange_online.powershell
    exchange = plan.server_kind in EXCHANGE_KINDS
    commands = [line.removeprefix("# ") for line in text.splitlines() if COMMENTED_COMMAND.match(line)
                or not line.startswith("#")]
    # Hybrid: the wizard sets it on its own connector; the hand-edit fallback changes only the certificate.
    assert any("-CloudServicesMailEnabled $true" in line for line in commands) == (exchange and "hybrid" not in name)
    assert any("-TreatMessagesAsInternal $true" in line for line in commands) == (not exchange)
    for line in commands:
        assert not ("TreatMessagesAsInternal" in line and "CloudServicesMailEnabled $true" in line)
    if not exchange:  # Microsoft's warning comes with the option (New-InboundConnector reference)
        assert "internal messages bypass antispam filtering" in text


def test_connector_name_recommendation():
    assert recommend_connector_name(f.answers(existing="none")) == DEFAULT_CONNECTOR_NAME
    assert recommend_connector_name(f.answers(existing="certificate")) == "Inbound from Contoso"
    clash = f.answers(existing="ip", existing_connector_name=DEFAULT_CONNECTOR_NAME.upper())
    assert recommend_connector_name(clash) != DEFAULT_CONNECTOR_NAME
    unnamed = f.answers(existing="certificate", existing_connector_name="")
    assert recommend_connector_name(unnamed) == DEFAULT_CONNECTOR_NAME
    assert "existing_connector_unnamed" in {w.code for w in build_plan(unnamed, f.report(), today=TODAY).warnings}


def test_cleanup_only_with_an_ip_connector():
    for existing in ("none", "certificate"):
        assert CLEANUP not in statuses(CASES[f"postfix__{existing}"])
    cleanup = CASES["postfix__ip"].checklist[-1]
    assert "Set-InboundConnector -Identity 'Inbound from printers (IP)' -Enabled $false" in cleanup.code[-1].text


def test_exchange_2010_has_no_certificate_name_and_says_why():
    plan = CASES["exchange-2010__none"]
    assert "TlsCertificateName" not in plan.on_premises.powershell
    assert "CloudServicesMailEnabled" not in plan.on_premises.powershell
    assert "-Fqdn 'mail.contoso.com'" in plan.on_premises.powershell
    assert any("Exchange 2010" in note and "FQDN" in note for note in plan.on_premises.notes)


def test_hybrid_reruns_the_wizard_instead_of_a_new_send_connector():
    text = CASES["exchange-2019-hybrid__certificate"].on_premises.powershell
    assert "Hybrid Configuration Wizard" in text
    assert "New-SendConnector" not in text
    assert "3C1F4A9E0B7D2C8F61A5E4D3B2C1F0E9D8C7B6A5" in text


def test_wildcard_certificate_uses_a_plain_fqdn_and_wildcard_connector_value():
    plan = CASES["exchange-2016-wildcard__none"]
    assert plan.connector_domain == "*.contoso.com"
    assert statuses(plan)[REGISTER_DOMAIN] == DONE
    assert "-Fqdn 'mail.contoso.com'" in plan.on_premises.powershell


def test_other_server_kind_states_the_limits():
    plan = CASES["other__none"]
    assert plan.on_premises.config == "" and plan.on_premises.powershell == ""
    assert any("IP-based connector" in note for note in plan.on_premises.notes)


def test_one_certificate_per_tenant_warning_is_always_there():
    assert all("one_certificate_per_tenant" in {w.code for w in p.warnings} for p in CASES.values())


def test_chosen_domain_not_on_the_certificate_is_warned():
    plan = build_plan(f.answers(connector_domain="contoso.com"), f.report(), today=TODAY)
    assert "connector_domain_not_on_certificate" in {w.code for w in plan.warnings}


@pytest.mark.parametrize("value,accepted,expected", [
    ("mail.contoso.com", ["contoso.com"], False),
    ("mail.contoso.com", ["mail.contoso.com"], True),
    ("*.contoso.com", ["contoso.com"], True),
    ("*.contoso.com", ["jpn.contoso.com"], True),
    ("*.contoso.com", ["fabrikam.com"], False),
])
def test_accepted_domain_rule(value, accepted, expected):
    assert is_covered(value, accepted) is expected


def test_plan_to_dict_is_json_with_the_agreed_keys():
    data = json.loads(json.dumps(plan_to_dict(CASES["postfix__ip"])))
    assert {"checklist", "exchange_online", "on_premises", "findings", "warnings", "verdict",
            "ruleset_version", "generated_on", "connector_domain"} <= set(data)
    assert {"connector_name", "tls_sender_certificate_name", "admin_center", "powershell"} <= set(data["exchange_online"])
    assert {"kind", "config", "powershell"} <= set(data["on_premises"])
    assert data["generated_on"] == "2026-11-05" and data["ruleset_version"] == RULESET_VERSION


def test_translation_hook_reaches_user_facing_text():
    def shout(msgid, **params):
        return (msgid % params if params else msgid).upper()

    plan = build_plan(f.answers("exchange-2019"), f.report(), _=shout, today=TODAY)
    assert plan.checklist[1].title.startswith("STEP 1")
    assert "OFFICE 365" in " ".join(plan.exchange_online.admin_center.new)
    assert "New-InboundConnector -Name 'From on-premises by certificate'" in plan.exchange_online.powershell


def test_the_admin_center_instructions_are_ordered_steps_after_their_heading():
    item = next(i for i in CASES["exchange-2019__none"].checklist if i.id == EXCHANGE_ONLINE)
    assert item.details == ["In the new Exchange admin center:"]
    assert item.steps[0] == "Open the Exchange admin center at https://admin.exchange.microsoft.com."
    assert item.steps[-1].endswith("Review and save the connector.") and len(item.steps) == 5
    assert plan_to_dict(CASES["exchange-2019__none"])["checklist"][1]["steps"] == item.steps
    assert all(not i.steps for i in CASES["exchange-2019__none"].checklist if i.id != EXCHANGE_ONLINE)


def test_without_commands_the_script_keeps_the_admin_center_steps_as_numbered_comments():
    plan = CASES["exchange-2019__none"]
    item = next(i for i in plan.checklist if i.id == EXCHANGE_ONLINE)
    without_commands = replace(plan, exchange_online=replace(plan.exchange_online, powershell=""))
    text = render_powershell(without_commands)
    assert "# In the new Exchange admin center:\n# 1. Open the Exchange admin center at" in text
    assert f"# {len(item.steps)}. {item.steps[-1]}" in text
    assert "\n1. " not in text  # never as a statement
