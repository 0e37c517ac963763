import pytest

from app.remediation import build_plan, check_mx_endpoint, guess_mx_endpoint, render_powershell
from app.remediation.answers import SERVER_KINDS
from app.remediation.mx import CHINA, CLASSIC, DNSSEC, GCC_HIGH, choose_mx
from app.remediation.rules import MX_PLACEHOLDER
from tests.remediation import factories as f
from tests.remediation.cases import TODAY


@pytest.mark.parametrize("text,host,kind", [
    ("contoso-com.mail.protection.outlook.com", "contoso-com.mail.protection.outlook.com", CLASSIC),
    ("  Contoso-COM.mail.protection.outlook.com. ", "contoso-com.mail.protection.outlook.com", CLASSIC),
    ("0 contoso-com.mail.protection.outlook.com.", "contoso-com.mail.protection.outlook.com", CLASSIC),
    ("[contoso-com.mail.protection.outlook.com]:25", "contoso-com.mail.protection.outlook.com", CLASSIC),
    ("contoso-com.e-v1.mx.microsoft", "contoso-com.e-v1.mx.microsoft", DNSSEC),
    ("contoso-com.mail.protection.office365.us", "contoso-com.mail.protection.office365.us", GCC_HIGH),
    ("contoso-com.mail.protection.partner.outlook.cn", "contoso-com.mail.protection.partner.outlook.cn", CHINA),
])
def test_accepted_endpoints(text, host, kind):
    check = check_mx_endpoint(text)
    assert (check.ok, check.host, check.kind, check.message) == (True, host, kind, "")


def test_smtp_auth_endpoint_is_refused_with_the_reason():
    check = check_mx_endpoint("smtp.office365.com")
    assert not check.ok
    assert "5.7.57" in check.message and "SMTP AUTH" in check.message
    assert "mail.protection.outlook.com" in check.message


@pytest.mark.parametrize("text", ["mail.contoso.com", "a.b.mail.protection.outlook.com",
                                  "mail.protection.outlook.com", "-x.mail.protection.outlook.com"])
def test_other_hosts_are_refused_with_what_to_paste(text):
    check = check_mx_endpoint(text)
    assert not check.ok and "admin center" in check.message


def test_legacy_smart_host_names_its_error():
    assert "4.4.62" in check_mx_endpoint("mail.messaging.microsoft.com").message


def test_empty_says_what_to_enter():
    assert check_mx_endpoint("").message.startswith("Enter the MX endpoint")


def test_message_goes_through_translation():
    check = check_mx_endpoint("smtp.office365.com", _=lambda m, **p: "SV:" + m % p)
    assert check.message.startswith("SV:")


def test_guess():
    assert guess_mx_endpoint("Contoso.co.uk.") == "contoso-co-uk.mail.protection.outlook.com"


@pytest.mark.parametrize("text", [
    "contoso-com.mail.protection.outlook.com.evil.example", "contoso-com.e-v1.mx.microsoft.evil.example",
    "contoso-com.mx.microsoft", "contoso-com.mail.protection.office365.us.example", "mail.protection.partner.outlook.cn",
    "contoso-com.mail.protection.outlook.co", "contoso-com.mail-protection.outlook.com",
])
def test_look_alike_endpoints_are_refused(text):
    assert not check_mx_endpoint(text).ok


def test_an_accepted_endpoint_is_the_smart_host():
    choice = choose_mx(" [Contoso-com.E-V1.mx.microsoft]:25 ", "contoso.com")
    assert (choice.endpoint, choice.confirmed, choice.smart_host, choice.warning) == (
        "contoso-com.e-v1.mx.microsoft", True, "contoso-com.e-v1.mx.microsoft", None)


@pytest.mark.parametrize("pasted", ["", "   ", "smtp.office365.com", "mail.contoso.com"])
def test_without_a_confirmed_endpoint_commands_get_a_placeholder_never_the_guess(pasted):
    choice = choose_mx(pasted, "contoso.co.uk")
    assert choice.smart_host == MX_PLACEHOLDER and not choice.confirmed
    assert choice.endpoint == "contoso-co-uk.mail.protection.outlook.com"  # shown as a guess, not used
    assert choice.warning.code == "mx_endpoint_unconfirmed"
    assert MX_PLACEHOLDER in choice.warning.message and choice.endpoint in choice.warning.message
    assert ".mx.microsoft" in choice.warning.message


def test_the_placeholder_can_never_resolve():
    assert MX_PLACEHOLDER.endswith(".invalid")  # RFC 2606: reserved, never resolves


@pytest.mark.parametrize("kind", SERVER_KINDS)
def test_a_plan_without_an_mx_endpoint_sends_nothing_to_a_guess(kind):
    """The API path: no MX endpoint given. No command, configuration or check holds the guessed host."""
    plan = build_plan(f.answers(kind, "none", mx_endpoint=""), f.report(), today=TODAY)
    outputs = [render_powershell(plan), plan.on_premises.config, plan.on_premises.checks,
               *[c.text for item in plan.checklist for c in item.code]]
    guess = "contoso-com.mail.protection.outlook.com"
    for text in outputs:
        assert not [line for line in text.splitlines() if guess in line and "Warning:" not in line], text
    assert "mx_endpoint_unconfirmed" in {w.code for w in plan.warnings}
