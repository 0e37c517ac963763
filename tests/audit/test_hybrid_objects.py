"""The Hybrid Configuration Wizard's objects against several receive and inbound connectors (issue 16)."""
from __future__ import annotations

from app.audit.history import finding_key
from tests.audit.blocks import format_list, tls_name
from tests.audit.test_rules import H, paste

HYBRID = tls_name(H.leaf.cert)
ISSUER = HYBRID.split("<S>")[0]


def receive(identity: str, server: str, name: str) -> dict:
    return {"Identity": identity, "Server": server, "TransportRole": "FrontendTransport", "TlsCertificateName": name}


def with_receive_connectors(*connectors: dict) -> str:
    text = paste(server={"hybrid": HYBRID, "frontend": HYBRID})
    marker = "#### Get-ReceiveConnector\r\n"
    return text.replace(marker, marker + format_list(*connectors).replace("\n", "\r\n"))


def frontend_findings(result):
    return [f for f in result.findings if f.code == "frontend_certificate_mismatch"]


def test_only_the_default_frontend_connectors_that_name_another_certificate_are_reported(audit):
    result = audit(with_receive_connectors(
        receive("EX02\\Client Frontend EX02", "EX02", "<I>CN=EX02<S>CN=EX02"),
        receive("EX03\\Default Frontend EX03", "EX03", HYBRID),
        receive("EX02\\Default Frontend EX02", "EX02", ISSUER + "<S>CN=ex02.contoso.local")))
    assert [finding_key(f) for f in frontend_findings(result)] == [
        "frontend_certificate_mismatch|receive_connector=EX02\\Default Frontend EX02|server=EX02"]


def test_a_frontend_connector_that_names_no_certificate_is_said_to_name_none(audit):
    (finding,) = frontend_findings(audit(with_receive_connectors(receive("EX02\\Default Frontend EX02", "EX02", ""))))
    assert finding.message.startswith("The receive connector EX02\\Default Frontend EX02 names -, but the hybrid "
                                      f"configuration names {HYBRID}.")


def edited(audit, *connectors: dict):
    result = audit(paste({"connector_value": "contoso.com", "extra_connectors": connectors},
                         {"hybrid": HYBRID, "frontend": HYBRID}))
    return [f for f in result.findings if f.code == "hybrid_connector_edited"]


def inbound(name: str, source: str, value: str) -> dict:
    return {"Name": name, "Enabled": "True", "ConnectorType": "OnPremises", "ConnectorSource": source,
            "TlsSenderCertificateName": value}


def test_only_connectors_the_wizard_made_are_said_to_be_edited_and_the_lines_show_it(audit):
    (finding,) = edited(audit, inbound("Inbound from hybrid", "HybridWizard", "contoso.com"))
    assert finding.message.startswith("The connector Inbound from hybrid was made by the Hybrid Configuration Wizard")
    assert f"expects contoso.com while the hybrid configuration names {HYBRID}." in finding.message
    assert [e.text.split(":")[0].strip() for e in finding.evidence] == [
        "ConnectorSource", "TlsSenderCertificateName", "TlsCertificateName"]


def test_a_wizard_connector_without_a_value_is_not_called_edited(audit):
    assert edited(audit, inbound("Inbound from hybrid", "HybridWizard", "")) == []


def test_a_hybrid_certificate_without_a_common_name_leaves_the_wizards_connectors_alone(audit):
    result = audit(paste({"source": "HybridWizard", "connector_value": "contoso.com"},
                         {"hybrid": ISSUER + "<S>O=Contoso, C=US", "frontend": ISSUER + "<S>O=Contoso, C=US"}))
    assert "hybrid_connector_edited" not in [f.code for f in result.findings]
