"""What the header reader tells the admin, word for word, and the details it reads (issue 16)."""
from __future__ import annotations

import pytest

from app.diagnose import HeaderInputError, read_headers
from app.diagnose.headers import ATTRIBUTED, MAX_TEXT, NOT_ATTRIBUTED, UNKNOWN, VIA_CERTIFICATE
from tests.audit.blocks import TENANT
from tests.audit.conftest import fixture
from tests.swedish import swedish

NDR = fixture("headers_relayed_ndr.txt")
ACCEPTED_SENDER = fixture("headers_relayed_accepted_sender.txt")
OTHER = "11111111-2222-3333-4444-555555555555"


def test_a_bounce_says_only_the_certificate_could_have_done_it():
    assert read_headers(NDR, TENANT, ["contoso.com"]).message == (
        f"Exchange Online attributed this message to tenant {TENANT} through the OnPremises connector, and only "
        "the certificate could have done so: its envelope sender is <>.")


def test_an_accepted_sender_says_an_ip_connector_could_have_done_it_too():
    assert read_headers(ACCEPTED_SENDER, TENANT, ["contoso.com"]).message == (
        f"Exchange Online attributed this message to tenant {TENANT} through the OnPremises connector, but its "
        "envelope sender alerts@contoso.com is an accepted domain, so an IP-based connector could have done that "
        "too. Send a message only the certificate can relay to prove it.")


def test_without_accepted_domains_it_says_what_to_add():
    assert read_headers(ACCEPTED_SENDER, TENANT).message == (
        f"Exchange Online attributed this message to tenant {TENANT} through the OnPremises connector. We cannot "
        "tell whether the certificate did it: add your accepted domains, or send a non-delivery report.")


def test_another_tenants_stamp_names_the_tenants_in_the_headers():
    reading = read_headers(NDR, OTHER, ["contoso.com"])
    assert (reading.verdict, reading.tenant_id) == (NOT_ATTRIBUTED, TENANT)
    assert reading.message == (
        "Exchange Online did not attribute this message to your tenant through an OnPremises connector (tenants "
        f"in the headers: {TENANT}). Check the inbound connector and the certificate the server sends with.")


def test_every_tenant_in_the_headers_is_named():
    second = "22222222-3333-4444-5555-666666666666"
    text = NDR.replace("X-MS-Exchange-CrossTenant-Id: " + TENANT, "X-MS-Exchange-CrossTenant-Id: " + second)
    assert f"(tenants in the headers: {TENANT}, {second})." in read_headers(text, OTHER).message


def test_exchange_online_headers_without_a_tenant_say_so_with_a_dash():
    text = "Received: from mail.contoso.com by x.mail.protection.outlook.com\n" \
           "X-MS-Exchange-CrossTenant-AuthAs: Anonymous\n\n"
    reading = read_headers(text)
    assert (reading.verdict, reading.tenant_id) == (NOT_ATTRIBUTED, None)
    assert "(tenants in the headers: -)." in reading.message


def test_headers_without_exchange_online_say_which_headers_to_paste():
    assert read_headers(fixture("headers_postfix_only.txt")).message == (
        "These headers never passed through Exchange Online (no Exchange Online hop: the X-MS-Exchange-Organization "
        "headers are stamped by on-premises Exchange too). Paste the headers of the test message as the external "
        "recipient received it.")


def test_without_a_tenant_id_the_tenant_the_headers_name_is_taken():
    reading = read_headers(NDR, None, ["contoso.com"])
    assert (reading.verdict, reading.tenant_id, reading.proven) == (ATTRIBUTED, TENANT, True)


@pytest.mark.parametrize("name", ["headers_relayed_ndr.txt", "headers_relayed_accepted_sender.txt",
                                  "headers_hotmail_incoming.txt", "headers_postfix_only.txt"])
@pytest.mark.parametrize("tenant", [TENANT, OTHER, None])
def test_every_reading_is_in_swedish(name, tenant):
    english = read_headers(fixture(name), tenant, ["contoso.com"])
    translated = read_headers(fixture(name), tenant, ["contoso.com"], _=swedish)
    assert translated.message != english.message
    assert (translated.verdict, translated.via, translated.tenant_id) == (english.verdict, english.via,
                                                                           english.tenant_id)


def test_the_json_answer_names_each_fact():
    reading = read_headers(NDR, TENANT, ["contoso.com"])
    assert reading.to_dict() == {
        "verdict": ATTRIBUTED, "via": VIA_CERTIFICATE, "tenant_id": TENANT, "auth_as": "Anonymous",
        "directionality": reading.directionality, "tls": "TLS1_2", "envelope_sender": "",
        "message": reading.message, "evidence": reading.evidence, "notices": [], "proven": True}
    assert reading.to_dict()["evidence"] is not reading.evidence


def test_windows_and_old_mac_line_ends_read_the_same_as_unix_ones():
    unix = read_headers(NDR, TENANT, ["contoso.com"])
    for newline in ("\r\n", "\r"):
        reading = read_headers(NDR.replace("\n", newline), TENANT, ["contoso.com"])
        assert (reading.proven, reading.tls, reading.evidence) == (True, unix.tls, unix.evidence)


def test_an_envelope_sender_is_shown_as_written_without_its_brackets():
    text = ACCEPTED_SENDER.replace("<alerts@contoso.com>", "<Xerxes@fabrikam.com>", 1)
    assert read_headers(text, TENANT, ["contoso.com"]).envelope_sender == "Xerxes@fabrikam.com"


def test_a_sender_in_a_subdomain_of_an_accepted_domain_is_accepted():
    text = ACCEPTED_SENDER.replace("<alerts@contoso.com>", "<alerts@eu.contoso.com>", 1)
    assert not read_headers(text, TENANT, ["contoso.com"]).proven


def test_a_sender_in_a_look_alike_domain_is_not_accepted():
    text = ACCEPTED_SENDER.replace("<alerts@contoso.com>", "<alerts@notcontoso.com>", 1)
    assert read_headers(text, TENANT, ["contoso.com"]).proven


def test_the_domain_of_a_sender_is_after_its_last_at_sign():
    text = ACCEPTED_SENDER.replace("<alerts@contoso.com>", '<"ops@fabrikam.com"@contoso.com>', 1)
    assert not read_headers(text, TENANT, ["contoso.com"]).proven


HOP = ("Received: from {sender} (203.0.113.25) by DB5PEPF00014B8F.mail.protection.outlook.com (10.167.8.199) "
       "with Microsoft SMTP Server ({tls}) id 15.20.9094.14; Thu, 26 Nov 2026 10:21:03 +0000\n")


def hops(*lines: str) -> str:
    return "".join(lines) + "X-MS-Exchange-CrossTenant-Id: " + TENANT + "\n\n"


@pytest.mark.parametrize("stamp,version", [("version=TLS1_3, cipher=X", "TLS1_3"), ("using TLSv1.2", "TLS1_2"),
                                           ("using TLSv1", "TLS1_0"), ("version=tls1_1", "TLS1_1")])
def test_the_tls_version_of_the_hop_into_exchange_online(stamp, version):
    assert read_headers(hops(HOP.format(sender="mail.contoso.com", tls=stamp))).tls == version


def test_a_hop_without_tls_says_none():
    assert read_headers(hops(HOP.format(sender="mail.contoso.com", tls="no encryption"))).tls is None


def test_a_hop_from_inside_microsoft_is_not_the_hop_into_exchange_online():
    # Received lines are newest first: the hop from Microsoft's own servers is older, and skipped.
    text = hops(HOP.format(sender="mail.contoso.com", tls="version=TLS1_2"),
                HOP.format(sender="AM0PR01.eurprd01.prod.OUTLOOK.COM", tls="version=TLS1_3"))
    assert read_headers(text).tls == "TLS1_2"


def test_headers_exactly_at_the_size_limit_are_read():
    text = NDR + "X-Padding: " + "a" * (MAX_TEXT - len(NDR) - len("X-Padding: "))
    assert len(text) == MAX_TEXT and read_headers(text, TENANT, ["contoso.com"]).proven
    with pytest.raises(HeaderInputError):
        read_headers(text + "a", TENANT, ["contoso.com"])


def test_an_empty_header_block_is_refused():
    with pytest.raises(HeaderInputError):
        read_headers("Subject\n\nbody")
    assert read_headers("X-Other: 1\n").verdict == UNKNOWN


def stamped(*headers: str) -> str:
    return "Received: from mail.contoso.com by x.mail.protection.outlook.com\n" + "".join(
        h + "\n" for h in headers) + "Return-Path: <>\n\n"


TENANT_ID = "X-MS-Exchange-CrossTenant-Id: " + TENANT


@pytest.mark.parametrize("headers", [
    ("X-MS-Exchange-CrossTenant-FromEntityHeader: HybridOnPrem", TENANT_ID),
    ("X-MS-Exchange-CrossTenant-FromEntityHeader: hybridonprem", TENANT_ID),
    ("X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp: TenantId=" + TENANT + ";Ip=[203.0.113.25]",),
])
def test_either_stamp_of_the_onpremises_connector_is_attribution(headers):
    assert read_headers(stamped(*headers), TENANT).verdict == ATTRIBUTED


@pytest.mark.parametrize("headers", [("X-MS-Exchange-CrossTenant-FromEntityHeader: Internet", TENANT_ID),
                                     (TENANT_ID,)])
def test_without_the_connectors_stamp_it_is_not_attribution(headers):
    assert read_headers(stamped(*headers), TENANT).verdict == NOT_ATTRIBUTED


@pytest.mark.parametrize("header", ["X-MS-Exchange-Organization-AuthAs: Anonymous",
                                    "X-MS-Exchange-Organization-MessageDirectionality: Incoming",
                                    "X-MS-Exchange-CrossTenant-AuthSource: DB5PEPF00014B8F.eurprd02.prod.outlook.com"])
def test_any_exchange_online_stamp_is_a_sign_of_it(header):
    assert read_headers(stamped(header)).verdict == NOT_ATTRIBUTED


def test_a_hop_through_exchange_online_without_its_stamps_is_no_attribution():
    # A Received line by *.protection.outlook.com is an Exchange Online hop (facts section 11).
    assert read_headers(stamped("X-OriginatorOrg: contoso.com")).verdict == NOT_ATTRIBUTED


def test_an_originator_org_and_a_return_path_are_no_sign_of_exchange_online():
    text = "Received: from ex01.contoso.local by ex02.contoso.local\nX-OriginatorOrg: contoso.com\nReturn-Path: <>\n\n"
    assert read_headers(text).verdict == UNKNOWN


def test_on_premises_exchange_stamps_alone_are_no_sign_of_exchange_online():
    text = ("Received: from EX01.contoso.local (10.0.0.5) by EX02.contoso.local (10.0.0.6) with Microsoft SMTP Server\n"
            "X-MS-Exchange-Organization-AuthAs: Internal\nX-MS-Exchange-Organization-AuthSource: EX01.contoso.local\n"
            "X-MS-Exchange-Organization-MessageDirectionality: Originating\n\n")
    reading = read_headers(text)
    assert (reading.verdict, reading.auth_as) == (UNKNOWN, "Internal")
