"""Reading what people paste: Format-List and tables in any order, wrapped and cut values, noise, prompts."""
from __future__ import annotations

import time

import pytest

from app.audit import values
from app.audit.model import (
    ACCEPTED_DOMAIN, CERTIFICATE, EXCHANGE_SERVER, INBOUND_CONNECTOR, POWERSHELL_ERROR, SEND_CONNECTOR,
    UNREAD_LINE,
)
from app.audit.reading import MAX_TEXT, AuditInputError, read_configuration
from tests.audit.blocks import block, online_part, server_part
from tests.audit.conftest import fixture, line_of

# Two real Get-ExchangeCertificate | fl pastes: a 2016 blog post (Exchange 2013, en-AU dates, AccessRules
# wrapped by Format-List) and a 2023 Microsoft Q&A question (dotted ru-RU dates, empty AccessRules).
BLOG_2016 = fixture("certificate_blog_2016.txt")
QA_2023 = fixture("certificate_qa_2023.txt")


def test_a_wrapped_format_list_value_is_joined():
    config = read_configuration(BLOG_2016)
    cert = config.of(CERTIFICATE)[0]
    assert cert.items("AccessRules") == ["System.Security.AccessControl.CryptoKeyAccessRule"] * 4
    assert cert.items("CertificateDomains") == ["owa.domain.com", "autodiscover.domain.com"]
    assert cert.fields["rootcatype"].line == line_of(BLOG_2016, "RootCAType")


def test_objects_are_told_apart_by_a_repeated_property():
    config = read_configuration(QA_2023)
    thumbprints = [c.text("Thumbprint") for c in config.of(CERTIFICATE)]
    assert thumbprints == ["3DAF40EC85C62DD39D98696AB5413E3EB83D6415", "BB6B1F4D2C9A4E19D8F8C3E2A1B0F9E8D7C6B5A4"]
    assert config.of(CERTIFICATE)[1].fields["subject"].line == line_of(QA_2023, "Subject            : CN=MOS-MAIL")


def test_a_console_copy_that_broke_a_long_value_anywhere_is_joined():
    text = fixture("send_connector_console_wrapped.txt")
    connector = read_configuration(text).of(SEND_CONNECTOR)[0]
    assert connector.text("TlsCertificateName") == (
        "<I>CN=R13, O=Let's Encrypt, C=US<S>CN=mail.fabrikam.com")


def test_lists_cut_with_dots_keep_what_was_shown_and_say_so():
    connector = read_configuration("SourceTransportServers : {EX01, EX02, EX03, EX04...}\n"
                                   "AddressSpaces          : {SMTP:*;1}\n").of(SEND_CONNECTOR)[0]
    assert connector.items("SourceTransportServers") == ["EX01", "EX02", "EX03", "EX04"]
    assert connector.cut("SourceTransportServers") and not connector.cut("AddressSpaces")


def test_tables_are_read_by_their_columns():
    config = read_configuration(fixture("exchange_online_hybrid.txt"))
    domains = [d.text("DomainName") for d in config.of(ACCEPTED_DOMAIN)]
    assert domains == ["contoso.com", "contoso.onmicrosoft.com", "contoso.mail.onmicrosoft.com"]


def test_the_certificate_table_and_its_service_letters():
    config = read_configuration(fixture("certificate_table.txt"))
    rows = config.of(CERTIFICATE)
    assert [values.services(r.get("Services")) for r in rows] == [["IIS", "SMTP"], ["IMAP", "POP", "IIS", "SMTP"],
                                                                    ["SMTP"], []]


def test_a_server_pasted_as_a_table_and_as_a_list_counts_once_with_the_whole_value():
    config = read_configuration(fixture("exchange_server_2016_hybrid.txt"))
    ex01, ex02 = config.of(EXCHANGE_SERVER)   # EX01 is in the table and again in a list: one object
    assert (ex01.name, ex02.name) == ("EX01", "EX02")
    assert not ex01.cut("AdminDisplayVersion") and values.build(ex01.get("AdminDisplayVersion")) == (15, 1, 2507, 39)
    assert ex02.cut("AdminDisplayVersion")


def test_a_cut_table_cell_is_marked():
    config = read_configuration("Name Site ServerRole Edition AdminDisplayVersion\n"
                                "---- ---- ---------- ------- -------------------\n"
                                "EX01 contoso.local/Configuration/Sites/Default-First-Site-Name Mailbox Standard Version 15.1 (Bu...\n")
    [row] = config.of(EXCHANGE_SERVER)
    assert row.cut("AdminDisplayVersion") and values.build(row.get("AdminDisplayVersion")) is None


def test_prompts_name_the_kind_when_the_properties_do_not():
    config = read_configuration("PS C:\\> Get-InboundConnector | fl Name,Enabled\n\nName    : Relay\nEnabled : True\n")
    assert config.of(INBOUND_CONNECTOR)[0].name == "Relay"


def test_the_server_of_get_exchangecertificate_minus_server_is_kept():
    config = read_configuration(fixture("exchange_server_2016_hybrid.txt"))
    assert {c.text("Server") for c in config.of(CERTIFICATE)} == {"EX01"}


def test_warnings_errors_and_stray_lines_are_reported_with_their_line():
    config = read_configuration(fixture("messy_paste.txt"))
    reasons = {(n.line, n.reason) for n in config.notices}
    text = fixture("messy_paste.txt")
    assert (line_of(text, "Get-SendConnectr : The term"), POWERSHELL_ERROR) in reasons
    assert (line_of(text, "thanks for looking"), UNREAD_LINE) in reasons
    assert (1, UNREAD_LINE) in reasons
    assert not any("WARNING" in n.text for n in config.notices)
    assert config.of(SEND_CONNECTOR) and config.of(INBOUND_CONNECTOR)


def test_double_spaced_pastes_keep_their_objects():
    single = "Name       : contoso.com\nDomainName : contoso.com\nDomainType : Authoritative\n" \
             "Name       : fabrikam.com\nDomainName : fabrikam.com\nDomainType : Authoritative\n"
    config = read_configuration(single.replace("\n", "\n\n"))
    assert [d.text("DomainName") for d in config.of(ACCEPTED_DOMAIN)] == ["contoso.com", "fabrikam.com"]


def test_the_collection_block_is_read_with_its_parts_and_certificates(relay_hierarchy):
    config = read_configuration(block(online_part(), server_part(relay_hierarchy)))
    assert config.parts == {"exchange_online", "exchange_server"}
    assert len(config.of(CERTIFICATE)[0].certificates) == 2
    assert config.notices == []


@pytest.mark.parametrize("text", ["", "   \n\n", "hello world\nthis is not output\n"])
def test_unreadable_text_names_its_first_line(text):
    with pytest.raises(AuditInputError) as caught:
        read_configuration(text)
    assert caught.value.line == (1 if text.strip() else 0)


def test_too_much_text_is_refused_before_reading():
    with pytest.raises(AuditInputError) as caught:
        read_configuration("Name : x\n" * (MAX_TEXT // 9 + 1))
    assert caught.value.code == "too_large"


def test_hostile_input_is_read_in_linear_time():
    """A generous bound: 20,000 lines of near-misses must read in well under the request budget."""
    lines = ["A" * 200 + " " * 50 + ":" + "{" * 100] * 10_000 + ["    " + "x ," * 60] * 10_000
    start = time.perf_counter()
    with pytest.raises(AuditInputError):
        read_configuration("\n".join(lines)[:MAX_TEXT])
    # One value wrapped over 19,990 lines: joined once, not line by line.
    read_configuration(("Name : x\n" + "    yyyyyyyyyyyyyyy\n" * 19_990)[:MAX_TEXT])
    with pytest.raises(AuditInputError):
        read_configuration(("Name Value\n" + "-- " * 13_000 + "x\n") * 5)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("text,expected", [
    ("12/02/2018 1:53:00 PM", ["2018-12-02", "2018-02-12"]),      # en-US or en-AU: both readings
    ("02.02.2028 4:22:23", ["2028-02-02"]),                       # dotted: day first
    ("1/15/2027 11:59:59 PM", ["2027-01-15"]),                    # only one reading is a date
    ("2027-03-01 10:00:00", ["2027-03-01"]),
    ("not a date", []),
])
def test_dates_in_the_servers_locale(text, expected):
    assert [d.date().isoformat() for d in values.dates(text)] == expected
