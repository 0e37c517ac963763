"""Which certificate the send connector names, and which connector relays: what the audit says when the
name is missing, matches several certificates, or was read without a server (issue 16)."""
from __future__ import annotations

from app.audit import derive
from app.audit.history import finding_key
from app.audit.model import SEND_CONNECTOR, Configuration, Field, PastedObject
from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.test_rules import CASES, H, OLD, OTHER_NAME, paste
from tests.certfactory import make_leaf

CONNECTOR = "To Office 365 (certificate)"


def found(result, code):
    (finding,) = [f for f in result.findings if f.code == code]
    return finding


def test_a_name_that_matches_no_installed_certificate_names_the_server(audit):
    finding = found(audit(paste(server={"certificate_name": OTHER_NAME})), "tls_certificate_not_found")
    assert (finding.message, finding.fix) == (
        f"{CONNECTOR} names {OTHER_NAME}, but no certificate with that issuer and subject is installed on EX01 "
        "(454 4.7.5).",
        "Point TlsCertificateName at the installed certificate, or install that certificate on EX01.")
    assert finding_key(finding) == f"tls_certificate_not_found|connector={CONNECTOR}|server=EX01"


def test_certificates_read_without_a_server_are_looked_for_without_one(audit):
    finding = found(audit(paste(server={"certificate_name": OTHER_NAME,
                                        "certificates": certificate_object(H, server="")})),
                    "tls_certificate_not_found")
    assert finding.message.endswith("is installed on - (454 4.7.5).")
    assert finding_key(finding) == f"tls_certificate_not_found|connector={CONNECTOR}|server="


def test_several_certificates_with_the_same_name_are_listed_and_the_newest_is_said_to_be_used(audit):
    broken = next(c[1] for c in CASES if c[0] == "tls_certificate_ambiguous")
    finding = found(audit(broken), "tls_certificate_ambiguous")
    old, new = thumbprint(OLD.cert), thumbprint(H.leaf.cert)
    assert finding.message == (
        f"On EX01, 2 certificates match {CONNECTOR}'s TlsCertificateName ({old}, {new}). Exchange uses the one that "
        f"expires last, {new}, without checking that it is enabled for SMTP.")


def connector(name: str, space: str, smart_hosts: str = "") -> PastedObject:
    fields = {"Name": name, "AddressSpaces": "{" + space + "}", "SmartHosts": smart_hosts}
    return PastedObject(SEND_CONNECTOR, 1, {k.lower(): Field(k, v, 1, "") for k, v in fields.items()})


def test_among_routing_domain_connectors_the_one_that_reaches_exchange_online_relays():
    elsewhere = connector("Via a filter", "smtp:contoso.mail.onmicrosoft.com;1", "{filter.example.net}")
    direct = connector("Hybrid", "smtp:contoso.mail.onmicrosoft.com;1")
    assert derive.relay_order(Configuration([elsewhere, direct], [], [], set())) == [direct, elsewhere]



def test_each_source_server_is_searched_for_the_named_certificate_on_its_own(audit):
    other = make_leaf(H.intermediate, "relay.contoso.com")
    installed = certificate_object(H, leaf=other.cert, server="EX01") + certificate_object(H, server="EX02")
    text = paste(server={"certificates": installed}).replace("SourceTransportServers   : EX01",
                                                             "SourceTransportServers   : {EX01, EX02}")
    keys = [finding_key(f) for f in audit(text).findings if f.code == "tls_certificate_not_found"]
    assert keys == [f"tls_certificate_not_found|connector={CONNECTOR}|server=EX01"]
