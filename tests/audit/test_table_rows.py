"""Format-Table rows as people paste them: empty last cells, spacing squeezed by a mail client (issue 16)."""
from __future__ import annotations

from app.audit.model import INBOUND_CONNECTOR, UNREAD_LINE
from app.audit.reading import read_configuration

PROMPT = "PS C:\\> Get-InboundConnector | ft Name,Enabled,TlsSenderCertificateName\n\n"
HEADER = ("Name                Enabled             TlsSenderCertificateName\n"
          "----                -------             ------------------------\n")


def rows(text: str) -> list[tuple[str, str, str]]:
    config = read_configuration(PROMPT + text)
    return [(c.text("Name"), c.text("Enabled"), c.text("TlsSenderCertificateName"))
            for c in config.of(INBOUND_CONNECTOR)]


def test_a_row_whose_last_cells_are_empty_is_read_and_so_are_the_rows_after_it():
    # Bug found by a mutant: "Relay IP" stops before the last column and was refused, ending the table.
    assert rows(HEADER + "Relay IP            True\n"
                         "Relay Cert          False               mail.contoso.com\n"
                         "Fax                                     fax.contoso.com\n") == [
        ("Relay IP", "True", ""), ("Relay Cert", "False", "mail.contoso.com"), ("Fax", "", "fax.contoso.com")]


def test_a_row_squeezed_by_a_mail_client_is_split_on_spaces_the_last_cell_keeping_its_words():
    assert rows(HEADER + "Relay True CN=mail, O=Contoso\n") == [("Relay", "True", "CN=mail, O=Contoso")]


def test_a_squeezed_line_with_too_few_words_is_named_as_unread():
    config = read_configuration(PROMPT + HEADER + "Relay Cert          False               mail.contoso.com\n"
                                                  "Relay True\n")
    assert [(n.line, n.text, n.reason) for n in config.notices] == [(6, "Relay True", UNREAD_LINE)]
