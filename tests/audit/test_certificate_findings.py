"""Each finding about the relay certificate names the certificate, its server and the connector, in its words
and in the key that follows it from one audit to the next (issue 16)."""
from __future__ import annotations

import pytest

from app.audit import run_audit
from app.audit.history import finding_key
from app.certs.model import WARNING
from tests.audit.blocks import certificate_object, thumbprint
from tests.audit.test_rules import CASES, H, paste
from tests.certs.conftest import store_knowing

CONNECTOR = "To Office 365 (certificate)"
# certificate_none_public is about every pasted certificate, without a connector: tests/field covers it.
CERTIFICATE_CASES = [c for c in CASES if c[0].startswith("certificate_") and c[0] != "certificate_none_public"]


@pytest.mark.parametrize("code,broken,domains", [c[:3] for c in CERTIFICATE_CASES], ids=[c[0] for c in CERTIFICATE_CASES])
def test_a_certificate_finding_names_the_certificate_its_server_and_the_connector(audit, code, broken, domains):
    (finding,) = [f for f in audit(broken, domains).findings if f.code == code]
    key = finding_key(finding)
    assert key.startswith(f"{code}|connector={CONNECTOR}|server=EX01|thumbprint=")
    shown = key.rsplit("=", 1)[1]
    assert len(shown) == 40
    if code != "certificate_finding":  # that one repeats the certificate check's own words
        assert shown in finding.message and " EX01" in finding.message


def test_a_certificate_without_any_service_is_said_to_have_none_and_several_are_listed(audit):
    for services, said in (("None", "None"), ("IIS, POP", "IIS, POP")):
        result = audit(paste(server={"certificates": certificate_object(H, services=services)}))
        (finding,) = [f for f in result.findings if f.code == "certificate_not_smtp"]
        assert finding.message.endswith(f"but its services are {said}.")


def test_the_certificate_checks_own_finding_keeps_its_severity():
    leaf_only = paste(server={"certificates": certificate_object(H, chain=False)})
    result = run_audit(leaf_only, trust_store=store_knowing(H.intermediate.cert))
    (finding,) = [f for f in result.findings if f.code == "certificate_finding"]
    assert finding.severity == WARNING and "intermediate" in finding.message
    assert finding_key(finding) == (f"certificate_finding|connector={CONNECTOR}|server=EX01|"
                                    f"thumbprint={thumbprint(H.leaf.cert)}")
