"""What the audit hands out besides its page: the JSON, the fixes as a script, the comparison of two
audits of a case, and the test step (issue 16)."""
from __future__ import annotations

from datetime import datetime, timezone

from app.audit.history import compare, finding_key, summary
from app.audit.model import EXCHANGE_ONLINE_SHELL, EXCHANGE_SERVER_SHELL, MANUAL, Evidence, Finding, FixPlan, FixStep
from app.audit.proof import test_step as make_test_step
from app.audit.render import audit_to_dict, render_fix_powershell, shell_label
from tests.audit.conftest import fixture
from tests.audit.test_rules import paste
from tests.certfactory import NOW
from tests.swedish import swedish

MADE = datetime(2026, 11, 5, 9, 30, 7, tzinfo=timezone.utc)


def finding(code="require_tls_off", severity="error", title="TLS is not required", **target) -> Finding:
    return Finding(code, severity, title, "message", [Evidence(3, "RequireTLS : False")], "fix", ("KB3169958",),
                   target)


def test_a_finding_is_known_again_by_its_rule_and_what_it_is_about():
    assert finding_key(finding(connector="To Office 365", server="EX01", thumbprint="AB12", receive_connector="R",
                               value="ignored")) == \
        "require_tls_off|connector=To Office 365|receive_connector=R|server=EX01|thumbprint=AB12"
    assert finding_key(finding()) == "require_tls_off"


def test_a_stored_audit_keeps_key_code_severity_and_title():
    assert summary([finding(connector="C")]) == [
        {"key": "require_tls_off|connector=C", "code": "require_tls_off", "severity": "error",
         "title": "TLS is not required"}]


def test_two_audits_compare_into_fixed_new_and_still_failing():
    before = summary([finding(connector="A"), finding(connector="B")])
    after = summary([finding(connector="B"), finding("tls_domain_missing", connector="B")])
    changes = compare(before, after)
    assert [i["key"] for i in changes.fixed] == ["require_tls_off|connector=A"]
    assert [i["key"] for i in changes.new] == ["tls_domain_missing|connector=B"]
    assert [i["key"] for i in changes.still] == ["require_tls_off|connector=B"]


def test_the_test_step_says_which_message_to_send_and_where_its_headers_go():
    step = make_test_step("https://relay.example/case/KB-1/headers")
    assert step.intro == ("Send a message that only the certificate can relay, from your on-premises server to a "
                          "mailbox outside Microsoft 365 (for example a Gmail account):")
    # The NDR must be made by the on-premises server: the external sender writes to a made-up address of the
    # tenant's domain, so the server's own bounce (empty sender) crosses the relay.
    # Issue 21 item 3: offered only where the on-premises server writes the report; otherwise Exchange Online
    # bounces the message itself and the test proves nothing.
    assert step.messages == [
        "a non-delivery report, only where your on-premises server writes it (your domain's MX record points to "
        "your server, or Exchange Online passes unknown addresses on to it): from the external mailbox, write to "
        "a made-up address of your domain, like nobody-x7@contoso.com, so that your server's bounce goes out "
        "through the relay with an empty sender; otherwise Exchange Online bounces it itself and it proves "
        "nothing; or",
        "a message whose sender is a domain that is not an accepted domain of your tenant, sent through the "
        "server."]
    assert step.then == ("Then open the message at the external mailbox, copy all its headers and paste them at "
                         "https://relay.example/case/KB-1/headers so that the case records the proof.")
    assert make_test_step().then == ("Then open the message at the external mailbox, copy all its headers and "
                                     "paste them here.")
    assert make_test_step("https://x/h", read_only=True).then == (
        "Then open the message at the external mailbox, copy all its headers and send them to your help-desk "
        "contact, who records the proof with the case.")


def test_the_test_step_reads_in_swedish():
    english, translated = make_test_step("https://x/h"), make_test_step("https://x/h", swedish)
    assert all(a != b for a, b in zip([english.intro, *english.messages, english.then],
                                      [translated.intro, *translated.messages, translated.then]))


PLAN = FixPlan([
    FixStep("require_tls_off", "Require TLS on the send connector", EXCHANGE_SERVER_SHELL,
            ["Set-SendConnector -Identity 'To Office 365' -RequireTLS $true -WhatIf",
             "Set-SendConnector -Identity 'To Office 365' -RequireTLS $true"]),
    FixStep("inbound_connector_missing", "Create the inbound connector", EXCHANGE_ONLINE_SHELL, ["New-InboundConnector"]),
    FixStep("certificate_root_not_third_party", "Get a certificate from a public CA", MANUAL, [],
            note="Ask a public CA for a certificate."),
], "Exchange Server 2019")


def test_the_fixes_as_a_script():
    assert render_fix_powershell(PLAN, "KB-1", "2026-11-05") == "\n".join([
        "# Fixes for what the configuration check found (KB 3169958)",
        "# Case: KB-1. Check made on 2026-11-05 with ruleset " + audit_ruleset() + "; Exchange Server commands for "
        "Exchange Server 2019.",
        "# Run each step where its heading says, in this order, one command at a time: the dry run (-WhatIf) first, "
        "then the change, then the check.",
        "", "# " + "=" * 70, "# Step 1: Require TLS on the send connector (Exchange Management Shell)", "# " + "=" * 70,
        "Set-SendConnector -Identity 'To Office 365' -RequireTLS $true -WhatIf",
        "Set-SendConnector -Identity 'To Office 365' -RequireTLS $true",
        "", "# " + "=" * 70, "# Step 2: Create the inbound connector (Exchange Online PowerShell)", "# " + "=" * 70,
        "New-InboundConnector",
        "", "# " + "=" * 70, "# Step 3: Get a certificate from a public CA (By hand)", "# " + "=" * 70,
        "# Ask a public CA for a certificate.",
    ]) + "\n"


def test_a_script_with_nothing_to_fix_says_so():
    assert render_fix_powershell(FixPlan([], "Exchange Server 2019"), "", "2026-11-05").splitlines()[1:] == [
        "# Case: -. Check made on 2026-11-05 with ruleset " + audit_ruleset() + "; Exchange Server commands for "
        "Exchange Server 2019.",
        "# Run each step where its heading says, in this order, one command at a time: the dry run (-WhatIf) first, "
        "then the change, then the check.",
        "# Nothing to fix: every rule passed."]


def test_shells_are_named_as_the_admin_knows_them():
    assert [shell_label(s) for s in (EXCHANGE_ONLINE_SHELL, EXCHANGE_SERVER_SHELL, MANUAL)] == [
        "Exchange Online PowerShell", "Exchange Management Shell", "By hand"]
    assert shell_label(MANUAL, swedish) != "By hand"


def audit_ruleset() -> str:
    from app.audit.catalog import RULESET_VERSION

    return RULESET_VERSION


def test_the_json_of_an_audit(audit):
    result = audit(fixture("messy_paste.txt"), ["contoso.com"], now=MADE)
    data = audit_to_dict(result)
    assert list(data) == ["verdict", "findings", "plan", "read", "ruleset_version", "made_at"]
    assert (data["verdict"], data["ruleset_version"], data["made_at"]) == (
        result.verdict, audit_ruleset(), "2026-11-05T09:30:07Z")
    assert data["findings"][0] == {
        "code": result.findings[0].code, "severity": result.findings[0].severity, "title": result.findings[0].title,
        "message": result.findings[0].message,
        "evidence": [{"line": e.line, "text": e.text} for e in result.findings[0].evidence],
        "fix": result.findings[0].fix, "sources": list(result.findings[0].sources)}
    assert data["plan"]["server_version"] == result.plan.server_version
    assert data["plan"]["steps"][0] == {"rule": result.plan.steps[0].code, "title": result.plan.steps[0].title,
                                        "shell": result.plan.steps[0].shell,
                                        "commands": result.plan.steps[0].commands, "note": result.plan.steps[0].note}
    assert data["read"]["objects"] == result.counts and data["read"]["parts"] == sorted(result.configuration.parts)
    assert data["read"]["notices"] == [{"line": n.line, "text": n.text, "reason": n.reason}
                                       for n in result.configuration.notices] != []


def test_the_json_of_a_healthy_audit(audit):
    # paste() holds certificates made by tests.certfactory around its NOW: audit them on that clock
    # (MADE is the clock of the fixture files, whose dates are fixed).
    data = audit_to_dict(audit(paste(), now=NOW))
    assert (data["verdict"], data["findings"], data["plan"]["steps"]) == ("ready", [], [])
    assert data["read"]["parts"] == ["exchange_online", "exchange_server"]


def test_a_note_is_printed_only_for_a_step_without_commands():
    with_both = FixPlan([FixStep("require_tls_off", "Require TLS", EXCHANGE_SERVER_SHELL, ["Set-X"], note="A note.")],
                        "Exchange Server 2019")
    assert "# A note." not in render_fix_powershell(with_both, "KB-1", "2026-11-05")


def test_the_frontend_finding_is_known_again_by_its_receive_connector_and_server(audit):
    from tests.audit.test_rules import CASES

    code, broken, domains, *_ = CASES[[c[0] for c in CASES].index("frontend_certificate_mismatch")]
    (finding,) = [f for f in audit(broken, domains).findings if f.code == code]
    assert finding_key(finding) == "frontend_certificate_mismatch|receive_connector=EX01\\Default Frontend EX01|server=EX01"


def test_a_table_row_is_read_with_its_line_as_pasted():
    from app.audit.reading import read_configuration

    text = fixture("certificate_table.txt")
    lines = text.splitlines()
    rows = [o for o in read_configuration(text).objects if o.has("Thumbprint")]
    assert len(rows) >= 4
    for row in rows:
        field = row.fields["thumbprint"]
        assert row.line == field.line and lines[field.line - 1].strip().startswith(field.text[:40]) and field.text
        assert row.evidence("Thumbprint")[0].line == field.line
