import pytest

from app.remediation import check_mx_endpoint, guess_mx_endpoint
from app.remediation.mx import CHINA, CLASSIC, DNSSEC, GCC_HIGH


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
