"""Address spaces of every type, the last Exchange 2019 build before SE, evidence for an object without the
property, and the hybrid checks when no connector keeps the internal headers (issue 16)."""
from __future__ import annotations

import pytest

from app.audit import values
from app.audit.model import Evidence
from tests.audit.test_derived_values import pasted
from tests.audit.test_rules import OTHER_NAME, paste


@pytest.mark.parametrize("entry,space", [
    ("SMTP:*;1", "*"), ("smtp:contoso.mail.onmicrosoft.com;1", "contoso.mail.onmicrosoft.com"),
    ("X400:c=US;a= ;p=Contoso;o=Exchange;;1", "c=us"), ("x500:/o=Contoso/ou=Exchange;1", "/o=contoso/ou=exchange"),
    ("SMTP:a:b;1", "a:b"), ("EX:/o=Contoso;1", "ex:/o=contoso"), ("*", "*"),
])
def test_the_address_of_an_address_space(entry, space):
    assert values.address_space(entry) == space


@pytest.mark.parametrize("build,out", [("Version 15.2 (Build 2561.4)", True), ("Version 15.2 (Build 2562.17)", False)])
def test_the_last_exchange_2019_build_is_out_of_support_and_se_is_not(audit, build, out):
    codes = [f.code for f in audit(paste(server={"build": build})).findings]
    assert ("exchange_out_of_support" in codes) is out


def test_an_object_without_the_property_is_its_own_evidence():
    connector = pasted(Name="Relay")
    assert connector.evidence("TlsCertificateName") == [Evidence(1, "Relay")]


def test_without_a_connector_that_keeps_internal_headers_the_relay_is_compared_with_the_hybrid_one(audit):
    result = audit(paste({"cloud": "False"}, {"cloud": "False", "hybrid": OTHER_NAME, "frontend": OTHER_NAME}))
    assert "hybrid_certificate_mismatch" in [f.code for f in result.findings]
