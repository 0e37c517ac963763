"""Where one pasted object ends and the next begins, and PEM blocks with nothing around them (issue 16)."""
from __future__ import annotations

from app.audit.model import CERTIFICATE, INBOUND_CONNECTOR
from app.audit.reading import read_configuration
from tests.audit.blocks import pem_lines
from tests.certfactory import make_hierarchy

PROMPT = "PS C:\\> Get-InboundConnector | fl\n\n"


def connectors(text: str):
    return [(c.text("Name"), c.line, sorted(c.fields)) for c in read_configuration(PROMPT + text).of(INBOUND_CONNECTOR)]


def test_the_lines_after_a_blank_line_belong_to_the_object_whose_property_repeats():
    assert connectors("Name     : Relay A\nEnabled  : True\n\nIdentity : Relay B\nName     : Relay B\n"
                      "Enabled  : False\n") == [
        ("Relay A", 3, ["enabled", "name"]), ("Relay B", 6, ["enabled", "identity", "name"])]


def test_a_property_repeated_right_after_the_blank_line_starts_the_next_object_there():
    assert connectors("Enabled  : True\nPort     : 25\n\nName     : Relay A\nName     : Relay B\n") == [
        ("Relay A", 3, ["enabled", "name", "port"]), ("Relay B", 7, ["name"])]


def test_a_pem_block_pasted_alone_is_a_certificate():
    leaf = make_hierarchy().leaf.cert
    (certificate,) = read_configuration(pem_lines(leaf) + "\n").objects
    assert (certificate.kind, certificate.certificates) == (CERTIFICATE, [pem_lines(leaf)])


def test_a_pem_block_is_given_up_after_200_lines_and_what_follows_is_read():
    body = "\n".join(["-----BEGIN CERTIFICATE-----"] + ["QUFB"] * 199 + ["-----END CERTIFICATE-----"])
    assert len(read_configuration(body + "\n").objects[0].certificates) == 1
    longer = "\n".join(["-----BEGIN CERTIFICATE-----"] + ["QUFB"] * 200 + ["-----END CERTIFICATE-----"])
    config = read_configuration(longer + "\nName    : Relay\nEnabled : True\n")
    assert [(o.text("Name"), o.certificates) for o in config.objects] == [("Relay", [])]
