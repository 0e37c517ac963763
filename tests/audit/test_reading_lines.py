"""Where the reader says each value came from, and how it treats long lines, logs, parts and PEM blocks (issue 16)."""
from __future__ import annotations

from app.audit.model import CERTIFICATE, CUT_OFF, INBOUND_CONNECTOR, SEND_CONNECTOR
from app.audit.parts import EXCHANGE_ONLINE_PART
from app.audit.reading import MAX_LINE, MAX_LOG_LINES, read_configuration
from tests.audit.blocks import pem_lines
from tests.certfactory import make_hierarchy

LOG_LINE = "2026-11-30T10:00:{:02d}.000Z,EX01\\Outbound,08DC,0,10.0.0.5:25,52.101.1.1:25,>,EHLO mail.contoso.com"


def test_objects_pasted_without_a_blank_line_between_them_start_at_their_first_line():
    config = read_configuration("PS C:\\> Get-InboundConnector | fl Name,Enabled\n"
                                "Name    : Relay A\nEnabled : True\nName    : Relay B\nEnabled : False\n")
    assert [(c.name, c.line) for c in config.of(INBOUND_CONNECTOR)] == [("Relay A", 2), ("Relay B", 4)]


def test_a_table_rows_values_point_at_the_row_they_came_from():
    config = read_configuration("PS C:\\> Get-InboundConnector | ft Name,Enabled\n\n"
                                "Name      Enabled\n----      -------\nRelay A   True\nRelay B   False\n")
    second = config.of(INBOUND_CONNECTOR)[1]
    assert (second.line, second.evidence("Enabled")[0].to_dict()) == (6, {"line": 6, "text": "Relay B   False"})


def test_a_wrapped_value_keeps_the_space_it_wrapped_at_and_its_cut_mark():
    config = read_configuration("Identity                 : Outbound to Office 365\n"
                                "AddressSpaces            : {SMTP:*;1}\n"
                                "TlsCertificateName       : <I>CN=R13, O=Let's\n"
                                "                           Encrypt, C=US<S>CN=mail.contoso.com\n"
                                "SourceTransportServers   : {EX01, EX02,\n"
                                "                           EX03...}\n")
    connector = config.of(SEND_CONNECTOR)[0]
    assert connector.text("TlsCertificateName") == "<I>CN=R13, O=Let's Encrypt, C=US<S>CN=mail.contoso.com"
    assert connector.cut("SourceTransportServers") and not connector.cut("TlsCertificateName")


def test_a_line_of_the_longest_length_is_read_whole_and_a_longer_one_is_cut_and_named():
    at_limit = "Name    : " + "a" * (MAX_LINE - 10)
    config = read_configuration(f"{at_limit}\nEnabled : True\n\nName    : {'b' * MAX_LINE}\nEnabled : False\n")
    assert [len(o.text("Name")) for o in config.objects] == [MAX_LINE - 10, MAX_LINE - 10]
    assert [(n.line, n.reason) for n in config.notices] == [(4, CUT_OFF)]


def test_at_most_500_protocol_log_lines_are_kept():
    config = read_configuration("\n".join(LOG_LINE.format(i % 60) for i in range(MAX_LOG_LINES + 1)))
    assert len(config.log_lines) == MAX_LOG_LINES == 500
    assert config.log_lines[-1].line == 500


def test_a_part_the_collection_script_named_counts_even_when_it_found_no_connector():
    for section in ("#### Part: Exchange Online", "#### Part:Exchange Online ####"):
        config = read_configuration(f"{section}\n#### Get-AcceptedDomain\n\nName       : contoso.com\n"
                                    "DomainName : contoso.com\n")
        assert config.parts == {EXCHANGE_ONLINE_PART}, section


def test_a_certificates_pem_printed_after_another_command_joins_the_certificate_before_it():
    leaf = make_hierarchy().leaf.cert
    config = read_configuration("PS C:\\> Get-ExchangeCertificate | fl Thumbprint,Subject\n\n"
                                "Thumbprint : AB12\nSubject    : CN=mail.contoso.com\n\n"
                                "PS C:\\> [Convert]::ToBase64String($c.RawData, 'InsertLineBreaks')\n"
                                + pem_lines(leaf) + "\n")
    certificates = config.of(CERTIFICATE)
    assert [(c.text("Thumbprint"), len(c.certificates)) for c in certificates] == [("AB12", 1)]
