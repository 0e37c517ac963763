"""Which certificate the send connector presents from each source server, with and without a
TlsCertificateName, and what the audit says about its smart hosts and address spaces (issue 16)."""
from __future__ import annotations

from app.audit import derive, values
from app.audit.derive import Context
from app.audit.model import SEND_CONNECTOR
from app.audit.reading import read_configuration
from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.conftest import NOW
from tests.audit.test_rules import H, paste
from tests.certfactory import DAY, make_leaf

LATER = {"not_before": NOW - 10 * DAY, "not_after": NOW + 900 * DAY}


def relay(text: str) -> list[tuple[str, str]]:
    config = read_configuration(text)
    ctx = Context(config, ["contoso.com"], NOW, "contoso-com.mail.protection.outlook.com", True)
    (connector,) = config.of(SEND_CONNECTOR)
    return [(server, values.thumbprint(cert.get("Thumbprint"))) for server, cert in derive.relay_certificates(ctx, connector)]


def test_without_a_certificate_name_the_newest_smtp_certificate_naming_the_fqdn_is_presented():
    iis_only = make_leaf(H.intermediate, "mail.contoso.com", **LATER)
    other_host = make_leaf(H.intermediate, "relay.contoso.com", **LATER)
    installed = (certificate_object(H, leaf=iis_only.cert, services="IIS") + certificate_object(H, leaf=other_host.cert)
                 + certificate_object(H))
    assert relay(paste(server={"certificate_name": "", "certificates": installed})) == [
        ("EX01", thumbprint(H.leaf.cert))]


def test_each_source_server_presents_its_own_certificate():
    on_ex02 = make_leaf(H.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"], **LATER)
    text = paste(server={"certificates": certificate_object(H) + certificate_object(H, leaf=on_ex02.cert, server="EX02")})
    text = text.replace("SourceTransportServers   : EX01", "SourceTransportServers   : {EX01, EX02}")
    assert relay(text) == [("EX01", thumbprint(H.leaf.cert)), ("EX02", thumbprint(on_ex02.cert))]


def test_certificates_read_without_a_server_are_presented_from_an_unnamed_one():
    assert relay(paste(server={"certificates": certificate_object(H, server="")})) == [("", thumbprint(H.leaf.cert))]


def test_tls_certificate_names_in_any_case_and_over_several_lines():
    assert values.tls_certificate_name("<i>CN=R13, O=Let's\nEncrypt<s>CN=mail.contoso.com") == (
        "CN=R13, O=Let's\nEncrypt", "CN=mail.contoso.com")


def test_smart_hosts_printed_as_a_string_are_shown_and_all_named(audit):
    text = paste(server={"smart_host": "relay1.example.net, relay2.example.net"})
    (finding,) = [f for f in audit(text).findings if f.code == "smart_host_not_mx_endpoint"]
    assert "sends to relay1.example.net, relay2.example.net, which" in finding.message


def test_a_disabled_send_connector_names_its_address_spaces(audit):
    text = paste(server={"enabled": "False", "address_space": "{SMTP:*;1, SMTP:contoso.mail.onmicrosoft.com;1}"})
    (finding,) = [f for f in audit(text).findings if f.code == "send_connector_disabled"]
    assert finding.message == ("The send connector To Office 365 (certificate) routes SMTP:*;1, "
                               "SMTP:contoso.mail.onmicrosoft.com;1 to Exchange Online but is turned off.")
