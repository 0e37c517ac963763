"""The certificate given beside the paste (the case's, or the API's certificate_pem): used when the paste
printed none, ignored when the server's own is there (issue 16)."""
from __future__ import annotations

from tests.audit.conftest import codes
from tests.audit.test_rules import H, paste
from tests.certfactory import make_hierarchy, to_pem

DOMAINS = ("contoso.com", "relay.contoso.com", "mail.contoso.com")
GIVEN = to_pem(H.leaf.cert, H.intermediate.cert).decode()   # names mail.contoso.com and contoso.com


def test_without_the_servers_output_the_given_certificate_is_checked_against_the_connector(audit):
    online_only = paste({"connector_value": "relay.contoso.com", "domains": DOMAINS}, only="online")
    assert codes(audit(online_only)) == ["exchange_server_output_missing"]
    (finding, _missing) = audit(online_only, certificate_pem=GIVEN).findings
    assert finding.code == "tls_sender_name_not_on_certificate"
    assert "relay.contoso.com" in finding.message and "mail.contoso.com" in finding.message


def test_the_given_certificate_that_names_the_connector_value_raises_nothing(audit):
    online_only = paste({"connector_value": "mail.contoso.com", "domains": DOMAINS}, only="online")
    assert codes(audit(online_only, certificate_pem=GIVEN)) == ["exchange_server_output_missing"]


def test_the_certificate_the_server_printed_wins_over_the_given_one(audit):
    other = to_pem(make_hierarchy("other.fabrikam.com").leaf.cert).decode()
    assert codes(audit(paste(), certificate_pem=other)) == []
