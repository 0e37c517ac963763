"""What the audit says about the inbound connector's TlsSenderCertificateName, word for word, and which
findings carry a fix command for the connector (issue 16)."""
from __future__ import annotations

from app.audit.history import finding_key
from tests.audit.blocks import certificate_object, tls_name
from tests.audit.test_rules import DUPLICATE, H, paste
from tests.certfactory import make_leaf

CONNECTOR = "From on-premises by certificate"


def found(result, code):
    (finding,) = [f for f in result.findings if f.code == code]
    return finding


def test_a_value_the_certificate_does_not_name(audit):
    result = audit(paste({"connector_value": "relay.contoso.com", "domains": ("contoso.com", "relay.contoso.com")}))
    finding = found(result, "tls_sender_name_not_on_certificate")
    assert (finding.message, finding.fix) == (
        f"The connector {CONNECTOR} expects relay.contoso.com, but the certificate the send connector uses names "
        "mail.contoso.com, contoso.com. Exchange Online will not match the connector (550 5.7.64 TenantAttribution).",
        "Set TlsSenderCertificateName to contoso.com.")


def test_a_value_that_is_no_accepted_domain_names_the_domain_to_add_and_the_value_to_set(audit):
    finding = found(audit(paste({"connector_value": "mail.contoso.com", "domains": ("contoso.com",)})),
                    "tls_sender_name_not_accepted")
    assert (finding.message, finding.fix) == (
        f"The connector {CONNECTOR} expects mail.contoso.com, which is not an accepted domain of your tenant "
        "(contoso.com). Exchange Online attributes the relay only when the connector's value is an accepted domain.",
        "Add mail.contoso.com as an accepted domain (Microsoft 365 admin center > Settings > Domains), which "
        "Microsoft recommends, or set TlsSenderCertificateName to contoso.com.")
    assert finding_key(finding) == f"tls_sender_name_not_accepted|connector={CONNECTOR}"


def test_a_wildcard_value_that_is_no_accepted_domain_names_its_domain_without_the_star(audit):
    finding = found(audit(paste({"connector_value": "*.contoso.com", "domains": ("fabrikam.com", "fabrikam.net")})),
                    "tls_sender_name_not_accepted")
    assert "(fabrikam.com, fabrikam.net)" in finding.message
    assert finding.fix.startswith("Add contoso.com as an accepted domain (")


def test_a_wildcard_value_names_the_host_to_set_instead(audit):
    result = audit(paste({"connector_value": "*.contoso.com"}))
    finding = found(result, "tls_sender_name_wildcard")
    assert (finding.message, finding.fix) == (
        f"The connector {CONNECTOR} expects *.contoso.com for a certificate that names mail.contoso.com, contoso.com. "
        "It works, but any other certificate under contoso.com, for example one a server uses to send to another "
        "tenant, also matches this connector.",
        "Add mail.contoso.com as an accepted domain and set TlsSenderCertificateName to mail.contoso.com.")


def test_connectors_expecting_the_same_value_are_found_without_a_certificate_too(audit):
    finding = found(audit(paste({"extra_connectors": (DUPLICATE,)}, only="online")), "duplicate_onpremises_connectors")
    assert finding.message.startswith(f"The connectors {CONNECTOR}, Relay (old) all expect a name on the same "
                                      "certificate (mail.contoso.com).")


def test_without_accepted_domains_no_value_is_proposed_for_a_connector_by_ip(audit):
    result = audit(paste({"connector_value": "", "domains": ()}))
    (step,) = [s for s in result.plan.steps if s.code == "inbound_connector_by_ip_only"]
    assert (step.shell, step.commands) == ("manual", [])


def test_connectors_expecting_a_name_of_the_certificate_list_its_names(audit):
    finding = found(audit(paste({"extra_connectors": (DUPLICATE,)})), "duplicate_onpremises_connectors")
    assert finding.message.startswith(f"The connectors {CONNECTOR}, Relay (old) all expect a name on the same "
                                      "certificate (mail.contoso.com, contoso.com).")


def test_an_internal_name_that_is_no_accepted_domain_gets_no_value_to_set(audit):
    internal = make_leaf(H.intermediate, "ex01.contoso.local")
    result = audit(paste({"connector_value": "ex01.contoso.local"},
                         {"certificate_name": tls_name(internal.cert),
                          "certificates": certificate_object(H, leaf=internal.cert)}))
    finding = found(result, "tls_sender_name_not_accepted")
    assert finding_key(finding) == "tls_sender_name_not_accepted"
    assert "inbound_connector_by_ip_only" not in [s.code for s in result.plan.steps]


def test_a_wildcard_value_for_a_certificate_that_names_the_wildcard_raises_no_warning(audit):
    wildcard = make_leaf(H.intermediate, "mail.contoso.com", sans=["*.contoso.com", "mail.contoso.com"])
    result = audit(paste({"connector_value": "*.contoso.com"},
                         {"certificate_name": tls_name(wildcard.cert),
                          "certificates": certificate_object(H, leaf=wildcard.cert)}))
    assert "tls_sender_name_wildcard" not in [f.code for f in result.findings]


def test_connectors_expecting_different_values_are_not_duplicates(audit):
    other = {**DUPLICATE, "TlsSenderCertificateName": "relay.contoso.com"}
    result = audit(paste({"extra_connectors": (other,)}, only="online"))
    assert "duplicate_onpremises_connectors" not in [f.code for f in result.findings]


def test_a_disabled_connector_beside_an_enabled_one_is_not_reported(audit):
    spare = {**DUPLICATE, "Enabled": "False", "TlsSenderCertificateName": "relay.contoso.com"}
    assert "inbound_connector_disabled" not in [f.code for f in audit(paste({"extra_connectors": (spare,)})).findings]


def test_a_connector_by_ip_shows_its_empty_name_and_its_addresses(audit):
    finding = found(audit(paste({"connector_value": ""})), "inbound_connector_by_ip_only")
    assert [e.text.split(":")[0].strip() for e in finding.evidence] == ["TlsSenderCertificateName", "SenderIPAddresses"]


def test_when_no_name_of_the_certificate_is_accepted_no_value_to_set_is_proposed(audit):
    """Setting the connector to mail.contoso.com would fail as the value it replaces: no command, no such value."""
    result = audit(paste({"connector_value": "*.contoso.com", "domains": ("fabrikam.com", "fabrikam.net")}))
    finding = found(result, "tls_sender_name_not_accepted")
    assert finding.fix == ("Add contoso.com as an accepted domain (Microsoft 365 admin center > Settings > Domains), "
                           "which Microsoft recommends, or set TlsSenderCertificateName to a name on the certificate "
                           "that is an accepted domain.")
    assert not [command for step in result.plan.steps for command in step.commands
                if "-TlsSenderCertificateName 'mail.contoso.com'" in command or "'contoso.com'" in command]
