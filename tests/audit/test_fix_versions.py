"""Fix steps that depend on the Exchange version and on what the finding knows (issue 16)."""
from __future__ import annotations

from app.audit.derive import Context
from app.audit.fixes import build_fix_plan
from app.audit.model import EXCHANGE_ONLINE_SHELL, MANUAL, Configuration, Finding
from app.translate import plain
from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.conftest import NOW
from tests.audit.test_rules import H, paste
from tests.certfactory import DAY, make_leaf

CTX = Context(Configuration([], [], [], set()), ["contoso.com"], NOW, "contoso-com.mail.protection.outlook.com", True)


def finding(code: str, **target) -> Finding:
    return Finding(code, "error", f"Title of {code}", "Message.", [], f"Fix {code} by hand.", (), target)


def test_exchange_2010_gets_no_tls_certificate_name_command_only_the_fix_in_words():
    (step,) = build_fix_plan([finding("tls_certificate_name_missing", connector="To Office 365")], CTX,
                             "Exchange Server 2010", plain).steps
    assert (step.code, step.title, step.shell, step.commands, step.note) == ("tls_certificate_name_missing",
        "Title of tls_certificate_name_missing", MANUAL, [], "Fix tls_certificate_name_missing by hand.")


def test_a_connector_value_the_audit_could_not_work_out_is_left_to_the_admin():
    (step,) = build_fix_plan([finding("inbound_connector_by_ip_only", connector="From on-premises")], CTX,
                             "Exchange Server 2019", plain).steps
    assert (step.code, step.title, step.shell, step.commands, step.note) == ("inbound_connector_by_ip_only",
        "Title of inbound_connector_by_ip_only", MANUAL, [], "Fix inbound_connector_by_ip_only by hand.")


def test_a_rule_without_commands_is_listed_with_its_fix_in_words():
    (step,) = build_fix_plan([finding("queue_error")], CTX, "Exchange Server 2019", plain).steps
    assert (step.code, step.shell, step.commands, step.note) == ("queue_error", MANUAL, [],
                                                                 "Fix queue_error by hand.")


def test_headers_kept_only_on_the_send_side_are_fixed_on_the_inbound_connector_in_exchange_online():
    (step,) = build_fix_plan([finding("cloud_services_mail_mismatch", connector="From on-premises", side="inbound")],
                             CTX, "Exchange Server 2010", plain).steps
    assert (step.title, step.shell) == ("Keep the internal Exchange headers", EXCHANGE_ONLINE_SHELL)


def test_headers_kept_only_in_exchange_online_are_fixed_on_the_send_connector_except_on_exchange_2010():
    mismatch = finding("cloud_services_mail_mismatch", connector="From on-premises", send_connector="To Office 365",
                       side="send")
    assert build_fix_plan([mismatch], CTX, "Exchange Server 2010", plain).steps == []
    (step,) = build_fix_plan([mismatch], CTX, "Exchange Server 2019", plain).steps
    assert step.commands[1] == "Set-SendConnector -Identity 'To Office 365' -CloudServicesMailEnabled $true"


def test_the_front_end_connector_of_exchange_2010_is_fixed_by_hand():
    frontend = finding("frontend_certificate_mismatch", receive_connector="EX01\\Default Frontend EX01")
    (step,) = build_fix_plan([frontend], CTX, "Exchange Server 2010", plain).steps
    assert (step.code, step.shell, step.commands, step.note) == (
        "frontend_certificate_mismatch", MANUAL, [], "Fix frontend_certificate_mismatch by hand.")


def test_enabling_the_certificate_for_smtp_first_says_to_keep_the_default_certificate():
    (step,) = build_fix_plan([finding("certificate_not_smtp", thumbprint="AB12", server="EX01")], CTX,
                             "Exchange Server 2019", plain).steps
    assert step.commands == [
        "# When asked whether to replace the default SMTP certificate, answer No.",
        "Enable-ExchangeCertificate -Thumbprint 'AB12' -Services SMTP -Server 'EX01' -WhatIf",
        "Enable-ExchangeCertificate -Thumbprint 'AB12' -Services SMTP -Server 'EX01'"]


def test_a_guessed_mx_endpoint_is_noted_on_the_step_as_well_as_in_the_script():
    guessed = Context(CTX.config, CTX.accepted, NOW, "contoso-com.mail.protection.outlook.com", False)
    (step,) = build_fix_plan([finding("smart_host_submission", connector="To Office 365")], guessed,
                             "Exchange Server 2019", plain).steps
    assert step.note == ("contoso-com.mail.protection.outlook.com is a guess from your accepted domain: check the MX "
                         "value in the Microsoft 365 admin center before you run this.")
    assert step.commands[0] == "# " + step.note


def test_the_certificate_named_on_the_send_connector_is_one_fit_to_relay(audit):
    later = {"not_before": NOW - 10 * DAY, "not_after": NOW + 900 * DAY}
    auth = make_leaf(H.intermediate, "Microsoft Exchange Server Auth Certificate", sans=["ex01.contoso.local"], **later)
    keyless = make_leaf(H.intermediate, "relay.contoso.com", **later)
    own = make_leaf(None, "mail.contoso.com", **later)
    installed = (certificate_object(H, leaf=auth.cert) + certificate_object(H, leaf=keyless.cert, key="False")
                 + certificate_object(H, leaf=own.cert, self_signed="True") + certificate_object(H))
    result = audit(paste(server={"certificate_name": "", "fqdn": "", "certificates": installed}))
    (step,) = [s for s in result.plan.steps if s.code == "tls_certificate_name_missing"]
    assert f"$cert = Get-ExchangeCertificate -Thumbprint '{thumbprint(H.leaf.cert)}'" in step.commands


def test_exchange_2010_gets_the_certificate_name_fix_in_words_even_with_a_certificate_to_read():
    from app.audit.reading import read_configuration
    installed = Context(read_configuration(paste()), ["contoso.com"], NOW, "contoso-com.mail.protection.outlook.com",
                        True)
    (step,) = build_fix_plan([finding("tls_certificate_name_missing", connector="To Office 365 (certificate)")],
                             installed, "Exchange Server 2010", plain).steps
    assert (step.shell, step.commands) == (MANUAL, [])
    (step,) = build_fix_plan([finding("tls_certificate_name_missing", connector="To Office 365 (certificate)")],
                             installed, "Exchange Server 2013", plain).steps
    assert step.commands[1].startswith("$cert = Get-ExchangeCertificate -Thumbprint ")
