"""The plan API without a confirmed MX endpoint: the commands hold the placeholder, never the guess."""
from __future__ import annotations

import pytest

from app.remediation.rules import MX_PLACEHOLDER
from tests.certfactory import to_pem

GUESS = "contoso-com.mail.protection.outlook.com"


@pytest.mark.parametrize("mx", [None, "", "smtp.office365.com"])
@pytest.mark.parametrize("kind", ["exchange-se", "postfix"])
def test_an_unconfirmed_mx_endpoint_never_reaches_a_command(client, hierarchy, mx, kind):
    body = {"accepted_domains": ["contoso.com"], "server": {"kind": kind, "fqdn": "mail.contoso.com"},
            "certificate_pem": to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()}
    if mx is not None:
        body["mx_endpoint"] = mx
    plan = client.post("/api/v1/plan", json=body).get_json()
    assert plan["smart_host"] == MX_PLACEHOLDER and plan["mx_endpoint_confirmed"] is False
    assert plan["mx_endpoint"] == GUESS  # shown as the guess it is
    commands = plan["on_premises"]["powershell"] + plan["on_premises"]["config"] + plan["on_premises"]["checks"]
    assert MX_PLACEHOLDER in commands and GUESS not in commands
    warning = next(w for w in plan["warnings"] if w["code"] == "mx_endpoint_unconfirmed")
    assert GUESS in warning["message"] and MX_PLACEHOLDER in warning["message"]


def test_a_confirmed_endpoint_is_used(client, hierarchy):
    body = {"accepted_domains": ["contoso.com"], "server": {"kind": "postfix"},
            "mx_endpoint": "contoso-com.e-v1.mx.microsoft",
            "certificate_pem": to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()}
    plan = client.post("/api/v1/plan", json=body).get_json()
    assert plan["smart_host"] == "contoso-com.e-v1.mx.microsoft"
    assert "relayhost = [contoso-com.e-v1.mx.microsoft]:25" in plan["on_premises"]["config"]
