"""Values the audit derives from the paste: thumbprints as copied, names in subjects, the server a
certificate was read on, the inbound side of a header mismatch (issue 16)."""
from __future__ import annotations

import pytest

from app.audit import derive, values
from app.audit.model import CERTIFICATE, Configuration, Field, PastedObject
from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.test_fix_commands import GET_INBOUND, INBOUND
from tests.audit.test_rules import H, paste


@pytest.mark.parametrize("text", ["b8fff722aaf9", "B8 FF F7 22 AA F9", "\u200eb8fff722aaf9", "b8:ff:f7:22:aa:f9"])
def test_a_thumbprint_copied_from_windows_reads_as_its_hex_digits(text):
    assert values.thumbprint(text) == "B8FFF722AAF9"


@pytest.mark.parametrize("subject,name", [("CN=mail.contoso.com, O=Contoso Ltd", "mail.contoso.com"),
                                          ("O=Contoso Ltd, cn=relay.contoso.com", "relay.contoso.com"),
                                          ("O=Contoso Ltd, C=US", None), ("", None)])
def test_the_common_name_of_a_subject(subject, name):
    assert values.common_name(subject) == name


def pasted(**fields: str) -> PastedObject:
    return PastedObject(CERTIFICATE, 1, {k.lower(): Field(k, v, 1, f"{k} : {v}") for k, v in fields.items()})


@pytest.mark.parametrize("fields,server", [
    ({"Server": "ex01.contoso.com"}, "EX01"),
    ({"PSComputerName": "ex02"}, "EX02"),
    ({"Identity": "EX03\\Default Frontend EX03"}, "EX03"),
    ({"Identity": "no server here"}, ""),
])
def test_the_server_a_certificate_was_read_on(fields, server):
    assert derive.server_of(pasted(**fields)) == server


def test_a_certificate_read_without_a_server_counts_for_every_server():
    on_ex01 = pasted(Subject="CN=a", Server="EX01")
    anywhere = pasted(Subject="CN=b")
    on_ex02 = pasted(Subject="CN=c", Server="EX02")
    config = Configuration([on_ex01, anywhere, on_ex02], [], [], set())
    assert derive.certificates_on(config, "EX01") == [on_ex01, anywhere]


def test_a_certificate_without_services_is_said_to_have_none(audit):
    result = audit(paste(server={"certificates": certificate_object(H, services="None")}))
    (finding,) = [f for f in result.findings if f.code == "certificate_not_smtp"]
    assert finding.message.endswith("but its services are None.")
    assert thumbprint(H.leaf.cert) in finding.message


def test_headers_kept_on_the_send_side_only_are_fixed_on_the_inbound_connector(audit):
    result = audit(paste({"cloud": "False"}))
    (step,) = [s for s in result.plan.steps if s.code == "cloud_services_mail_mismatch"]
    assert (step.title, [c for c in step.commands if not c.startswith("#")]) == ("Keep the internal Exchange headers", [
        f"Set-InboundConnector -Identity '{INBOUND}' -CloudServicesMailEnabled $true -WhatIf",
        f"Set-InboundConnector -Identity '{INBOUND}' -CloudServicesMailEnabled $true", GET_INBOUND])
