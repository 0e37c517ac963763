"""Fix steps that depend on the Exchange version and on what the finding knows (issue 16)."""
from __future__ import annotations

from app.audit.derive import Context
from app.audit.fixes import build_fix_plan
from app.audit.model import EXCHANGE_ONLINE_SHELL, MANUAL, Configuration, Finding
from app.translate import plain
from tests.audit.conftest import NOW

CTX = Context(Configuration([], [], [], set()), ["contoso.com"], NOW, "contoso-com.mail.protection.outlook.com", True)


def finding(code: str, **target) -> Finding:
    return Finding(code, "error", f"Title of {code}", "Message.", [], f"Fix {code} by hand.", (), target)


def test_exchange_2010_gets_no_tls_certificate_name_command_only_the_fix_in_words():
    (step,) = build_fix_plan([finding("tls_certificate_name_missing", connector="To Office 365")], CTX,
                             "Exchange Server 2010", plain).steps
    assert (step.title, step.shell, step.commands, step.note) == (
        "Title of tls_certificate_name_missing", MANUAL, [], "Fix tls_certificate_name_missing by hand.")


def test_a_connector_value_the_audit_could_not_work_out_is_left_to_the_admin():
    (step,) = build_fix_plan([finding("inbound_connector_by_ip_only", connector="From on-premises")], CTX,
                             "Exchange Server 2019", plain).steps
    assert (step.title, step.shell, step.commands, step.note) == (
        "Title of inbound_connector_by_ip_only", MANUAL, [], "Fix inbound_connector_by_ip_only by hand.")


def test_a_rule_without_commands_is_listed_with_its_fix_in_words():
    (step,) = build_fix_plan([finding("queue_error")], CTX, "Exchange Server 2019", plain).steps
    assert (step.code, step.shell, step.commands, step.note) == ("queue_error", MANUAL, [],
                                                                 "Fix queue_error by hand.")


def test_headers_kept_only_on_the_send_side_are_fixed_on_the_inbound_connector_in_exchange_online():
    (step,) = build_fix_plan([finding("cloud_services_mail_mismatch", connector="From on-premises", side="inbound")],
                             CTX, "Exchange Server 2010", plain).steps
    assert (step.title, step.shell) == ("Keep the internal Exchange headers", EXCHANGE_ONLINE_SHELL)
