"""The header reader, on headers shaped like real ones: relays stamped HybridOnPrem by Exchange Online
(the shape of mail relayed from on-premises servers through an OnPremises connector, as public
mailing-list archives show it), a Hotmail delivery, and a message that never passed Exchange Online."""
from __future__ import annotations

import pytest

from app.diagnose import HeaderInputError, read_headers
from app.diagnose.headers import ATTRIBUTED, NOT_ATTRIBUTED, UNKNOWN, VIA_CERTIFICATE, VIA_OTHER
from tests.audit.blocks import TENANT
from tests.audit.conftest import fixture

NDR = fixture("headers_relayed_ndr.txt")
ACCEPTED_SENDER = fixture("headers_relayed_accepted_sender.txt")


def test_a_relayed_bounce_proves_the_certificate_path():
    reading = read_headers(NDR, TENANT, ["contoso.com"])
    assert (reading.verdict, reading.via, reading.tenant_id, reading.proven) == (
        ATTRIBUTED, VIA_CERTIFICATE, TENANT, True)
    assert reading.tls == "TLS1_2" and reading.envelope_sender == ""
    assert "X-MS-Exchange-CrossTenant-FromEntityHeader: HybridOnPrem" in reading.evidence
    assert reading.evidence[0].startswith("Received: from mail.contoso.com (203.0.113.25) by DB5PEPF00014B8F")


def test_an_accepted_sender_does_not_prove_the_certificate():
    reading = read_headers(ACCEPTED_SENDER, TENANT, ["contoso.com"])
    assert (reading.verdict, reading.via, reading.proven) == (ATTRIBUTED, VIA_OTHER, False)


def test_without_accepted_domains_an_ordinary_sender_cannot_tell():
    reading = read_headers(ACCEPTED_SENDER, TENANT)
    assert (reading.verdict, reading.via, reading.proven) == (ATTRIBUTED, None, False)


@pytest.mark.parametrize("sender", ["<bounces+SRS=f3kq=AB=fabrikam.com=alerts@contoso.onmicrosoft.com>",
                                    "<alerts@fabrikam.com>"])
def test_a_sender_only_the_certificate_can_relay(sender):
    text = ACCEPTED_SENDER.replace("<alerts@contoso.com>", sender, 1)
    assert read_headers(text, TENANT, ["contoso.com"]).proven


def test_another_tenants_stamp_is_not_attribution_to_yours():
    reading = read_headers(NDR, "11111111-2222-3333-4444-555555555555", ["contoso.com"])
    assert reading.verdict == NOT_ATTRIBUTED and not reading.proven


def test_a_tenant_id_is_compared_without_regard_to_case():
    assert read_headers(NDR, TENANT.upper(), ["contoso.com"]).proven


def test_mail_that_arrived_from_the_internet_is_not_attributed():
    reading = read_headers(fixture("headers_hotmail_incoming.txt"))
    assert reading.verdict == NOT_ATTRIBUTED and reading.directionality == "Incoming"
    assert reading.auth_as == "Anonymous" and reading.tenant_id == "84df9e7f-e9f6-40af-b435-aaaaaaaaaaaa"
    assert reading.tls == "TLS1_2" and reading.evidence[0].startswith("Received: from o1.sgmail.github.com")


def test_headers_without_exchange_online_cannot_tell():
    reading = read_headers(fixture("headers_postfix_only.txt"))
    assert reading.verdict == UNKNOWN and reading.tls is None


def test_text_before_the_headers_is_skipped_and_folded_lines_are_joined():
    reading = read_headers("Here are the headers you asked for\n\n" + NDR, TENANT, ["contoso.com"])
    assert reading.proven
    assert "X-MS-Exchange-CrossTenant-AuthSource: DB5PEPF00014B8F.eurprd02.prod.outlook.com" in reading.evidence


@pytest.mark.parametrize("text", ["", "no headers here at all", "x" * 300_000])
def test_text_without_headers_is_refused(text):
    with pytest.raises(HeaderInputError):
        read_headers(text)
