"""Plans for more paths the golden cases leave out: no certificate yet with an IP connector to retire,
and the OpenSSL test without the server's name (issue 16)."""
from __future__ import annotations

from app.certs.model import EXACT, Candidate
from app.remediation import build_plan
from tests.remediation import factories as f
from tests.remediation.cases import TODAY


def test_without_a_certificate_the_later_steps_wait_for_it():
    result = build_plan(f.answers("exchange-2019", "ip", connector_domain="mail.contoso.com"), None, today=TODAY)
    assert [(i.id, i.status, i.reason.message if i.reason else None) for i in result.checklist] == [
        ("register_domain", "done", None), ("exchange_online_connector", "todo", None),
        ("on_premises", "blocked", "Add the certificate the server will present to continue."),
        ("verify", "blocked", "Add the certificate the server will present to continue."),
        ("cleanup", "blocked", "Add the certificate the server will present to continue.")]


def test_the_openssl_test_claims_no_more_than_a_handshake():
    """Issue 21 item 3: 250 to RCPT TO proves nothing (Exchange Online answers it for any Microsoft 365 recipient)."""
    result = build_plan(f.answers("postfix", "none", server_fqdn="relay.fabrikam.com"), f.report(), today=TODAY)
    (verify,) = [i for i in result.checklist if i.id == "verify"]
    (openssl,) = [d for d in verify.details if "With OpenSSL" in d]
    assert "250 means" not in openssl and "ehlo" not in openssl
    assert "proves nothing either: Exchange Online answers 250 for recipients in any Microsoft 365" in openssl


def test_a_certificate_of_wildcards_only_asks_for_the_send_connectors_fqdn():
    only_wildcards = f.report(dns_names=["*.contoso.com"], candidates=[
        Candidate("*.contoso.com", "*.contoso.com", "contoso.com", EXACT)])
    result = build_plan(f.answers("exchange-2019", "none", server_fqdn="ex01.contoso.local"), only_wildcards,
                        today=TODAY)
    assert ("The certificate holds only wildcard names and the server's FQDN is not one of them: add -Fqdn with the "
            "server's name under the certificate's domain to the send connector.") in result.on_premises.notes


def test_an_unconfirmed_mx_endpoint_is_a_placeholder_the_script_says_to_replace():
    result = build_plan(f.answers("exchange-2019", "none", mx_endpoint=""), f.report(), today=TODAY)
    lines = result.on_premises.powershell.splitlines()
    (comment,) = [line for line in lines if line.startswith("# Replace ")]
    placeholder = comment.removeprefix("# Replace ").split(" with your MX endpoint")[0]
    assert f"-SmartHosts '{placeholder}'" in result.on_premises.powershell
    assert comment.endswith("before you use these lines: as they stand, the server would hold all mail for the "
                            "internet in its queue.")


def test_each_mail_server_is_told_to_replace_an_unconfirmed_mx_endpoint():
    for kind, comment in (("postfix", "# "), ("exim", "# "), ("sendmail", "dnl ")):
        config = build_plan(f.answers(kind, "none", mx_endpoint=""), f.report(), today=TODAY).on_premises.config
        assert config.startswith(comment + "Replace "), kind


def test_without_accepted_domains_the_mx_guess_comes_from_the_connector_domain_or_an_example():
    def guessed(**changes) -> str:
        answers = f.answers("exchange-2019", "none", accepted_domains=[], mx_endpoint="", **changes)
        return build_plan(answers, None, today=TODAY).mx_endpoint

    assert guessed(connector_domain="mail.fabrikam.com") == "mail-fabrikam-com.mail.protection.outlook.com"
    assert guessed() == "example-com.mail.protection.outlook.com"


def test_an_internal_connector_domain_is_warned_about_by_name():
    result = build_plan(f.answers("exchange-2019", "none", connector_domain="mail.contoso.local"), f.report(),
                        today=TODAY)
    assert any(w.message.startswith("mail.contoso.local exists only inside your network") for w in result.warnings)
