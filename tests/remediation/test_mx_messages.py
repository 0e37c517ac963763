"""What the admin reads about the MX endpoint they typed, word for word, and how it is read (issue 16)."""
from __future__ import annotations

import pytest

from app.remediation.mx import check_mx_endpoint, choose_mx, guess_mx_endpoint, normalize_host
from app.remediation.rules import MX_PLACEHOLDER
from app.remediation.sources import CMDLETS, _cmdlet, _kb
from tests.swedish import swedish

EXAMPLE = "contoso-com.mail.protection.outlook.com"
UNCONFIRMED = (
    f"No confirmed MX endpoint: the commands hold {MX_PLACEHOLDER} where the smart host goes, so that nothing is "
    "sent to a guessed host. Replace it with the MX record's \"Points to address\" shown for your domain in the "
    "Microsoft 365 admin center (Settings > Domains). For fabrikam.com it is often "
    "fabrikam-com.mail.protection.outlook.com if the domain was added before July 2026; domains added since then, "
    "and domains moved for DNSSEC, use a name that ends in .mx.microsoft instead.")


@pytest.mark.parametrize("text,host", [
    ("contoso-com.mail.protection.outlook.com", "contoso-com.mail.protection.outlook.com"),
    ("contoso.com MX preference = 0, mail exchanger = Contoso-com.mail.protection.outlook.com.",
     "contoso-com.mail.protection.outlook.com"),
    ("[contoso-com.mail.protection.outlook.com]", "contoso-com.mail.protection.outlook.com"),
    ("[contoso-com.mail.protection.outlook.com]:25", "contoso-com.mail.protection.outlook.com"),
    ("contoso-com.mail.protection.outlook.com:25", "contoso-com.mail.protection.outlook.com"),
    ("  ", ""),
])
def test_the_host_is_read_from_what_an_admin_pastes(text, host):
    assert normalize_host(text) == host


def test_a_guess_is_made_from_the_domain_without_its_final_dot():
    assert guess_mx_endpoint("Contoso.co.uk.") == "contoso-co-uk.mail.protection.outlook.com"


@pytest.mark.parametrize("text,message", [
    ("", f"Enter the MX endpoint of your domain, like {EXAMPLE}."),
    ("smtp.office365.com", "smtp.office365.com is for mail clients that sign in (SMTP AUTH); a server relaying "
                           "through a connector is refused there with 550 5.7.57 Client was not authenticated. "
                           f"Enter the MX endpoint of your domain instead, like {EXAMPLE}."),
    ("mail.global.frontbridge.com", "mail.global.frontbridge.com is an old smart host that refuses relay with 451 "
                                    "4.4.62 (ATTR35). Enter the MX endpoint of your domain instead, like "
                                    f"{EXAMPLE}."),
    ("relay.isp.example.net", "Enter the MX endpoint shown for your domain in the Microsoft 365 admin center under "
                              "Settings > Domains (the MX record's \"Points to address\"), like "
                              f"{EXAMPLE}."),
])
def test_a_refused_endpoint_says_what_to_enter(text, message):
    check = check_mx_endpoint(text)
    assert (check.ok, check.host, check.message) == (False, normalize_host(text), message)
    assert check_mx_endpoint(text, _=swedish).message != message


def test_a_confirmed_endpoint_is_used_as_the_smart_host():
    choice = choose_mx("[Contoso-com.mail.protection.outlook.com]:25", "contoso.com")
    assert (choice.endpoint, choice.confirmed, choice.smart_host, choice.warning) == (EXAMPLE, True, EXAMPLE, None)


def test_without_an_endpoint_the_commands_hold_the_placeholder_and_the_guess_is_only_words():
    choice = choose_mx("   ", "fabrikam.com")
    assert (choice.endpoint, choice.confirmed, choice.smart_host) == (
        "fabrikam-com.mail.protection.outlook.com", False, MX_PLACEHOLDER)
    assert (choice.warning.code, choice.warning.severity, choice.warning.message) == (
        "mx_endpoint_unconfirmed", "warning", UNCONFIRMED)


def test_a_refused_endpoint_says_why_before_the_placeholder_warning():
    choice = choose_mx("smtp.office365.com", "fabrikam.com")
    assert choice.smart_host == MX_PLACEHOLDER
    assert choice.warning.message == check_mx_endpoint("smtp.office365.com").message + " " + UNCONFIRMED


def test_the_warning_reads_in_swedish():
    assert choose_mx("smtp.office365.com", "fabrikam.com", _=swedish).warning.message != \
        choose_mx("smtp.office365.com", "fabrikam.com").warning.message


def test_a_kb_source_links_to_its_support_article():
    source = _kb("3169958", "Important notice")
    assert (source.id, source.title, source.url) == (
        "KB3169958", "KB 3169958: Important notice", "https://support.microsoft.com/help/3169958")


def test_a_cmdlet_source_links_to_its_reference_page():
    source = _cmdlet("New-InboundConnector")
    assert (source.id, source.title, source.url) == (
        "New-InboundConnector", "New-InboundConnector (cmdlet reference)", CMDLETS + "new-inboundconnector")
