"""How the audit matches the connector's value to certificate names and accepted domains (exchange-facts
section 4), at the look-alike edges, and the names it reads from Get-ExchangeCertificate (issue 16)."""
from __future__ import annotations

import pytest

from app.audit import derive
from tests.audit.test_derived_values import pasted


@pytest.mark.parametrize("value,name,matches", [
    ("*.contoso.com", "*.contoso.com", True), ("mail.contoso.com", "*.contoso.com", False),
    ("*.contoso.com", "mail.contoso.com", True), ("*.contoso.com", "contoso.com", True),
    ("*.contoso.com", "notcontoso.com", False), ("*.contoso.com", "mail.notcontoso.com", False),
    ("MAIL.contoso.com", "mail.CONTOSO.com", True), ("mail.contoso.com", "relay.contoso.com", False),
    ("*.contoso.com", "*.mail.contoso.com", False),
])
def test_a_connector_value_matches_a_certificate_name(value, name, matches):
    assert derive.connector_value_matches(value, name) is matches


@pytest.mark.parametrize("value,accepted,is_accepted", [
    ("*.contoso.com", ["contoso.com"], True), ("*.contoso.com", ["mail.contoso.com"], True),
    ("*.contoso.com", ["notcontoso.com"], False), ("mail.contoso.com", ["contoso.com"], False),
    ("Contoso.com", ["contoso.com"], True),
])
def test_a_connector_value_is_an_accepted_domain(value, accepted, is_accepted):
    assert derive.value_is_accepted(value, accepted) is is_accepted


def test_the_names_of_a_certificate_as_get_exchangecertificate_lists_them():
    cert = pasted(Subject="CN=mail.contoso.com, O=Contoso", CertificateDomains="{mail.contoso.com, Contoso.com, *.contoso.com}")
    assert derive.certificate_names(cert) == ["mail.contoso.com", "contoso.com", "*.contoso.com"]
    assert derive.certificate_names(pasted(Subject="O=Contoso", CertificateDomains="{relay.contoso.com}")) == [
        "relay.contoso.com"]
    assert derive.certificate_names(pasted(Subject="CN=Mail.Fabrikam.com, O=Fabrikam")) == ["mail.fabrikam.com"]
