"""The JSON API and the CLI: the same report as the wizard for the same input."""
from __future__ import annotations

import io
import json

import pytest

from tests.certfactory import make_hierarchy, to_pem, to_pkcs12
from tests.conftest import page, submit
from tests.web.test_wizard import walk_to

CHECK = "/api/v1/certificate-check"


@pytest.fixture
def chain_pem(hierarchy) -> str:
    return to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()


def test_json_request_answers_the_documented_report(client, chain_pem):
    response = client.post(CHECK, json={"certificate_pem": chain_pem, "domains": ["contoso.com"]})
    assert response.status_code == 200
    data = response.json
    assert set(data) >= {"certificate", "chain", "exchange_tls_certificate_name", "recommended_connector_domain",
                         "candidates", "findings", "verdict"}
    assert data["certificate"]["common_name"] == "mail.contoso.com"
    assert data["certificate"]["not_after"].endswith(("Z", "+00:00"))
    assert data["recommended_connector_domain"] == "contoso.com"
    assert data["exchange_tls_certificate_name"].startswith("<I>CN=Test Issuing CA")
    assert data["verdict"] == "ready"


def test_multipart_with_pfx_password_and_split_domains(client, hierarchy):
    pfx = to_pkcs12(hierarchy.leaf, hierarchy.intermediate.cert, password="pw")
    response = client.post(CHECK, data={"certificate": (io.BytesIO(pfx), "server.pfx"), "password": "pw",
                                        "domains": "fabrikam.com, contoso.com"},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    assert [c["accepted_domain"] for c in response.json["candidates"]][0] == "contoso.com"


@pytest.mark.parametrize("body, code", [
    ({"certificate_pem": "", "domains": ["contoso.com"]}, "no_certificate"),
    ({"certificate_pem": "hello", "domains": ["contoso.com"]}, "not_a_certificate"),
    ({"certificate_pem": "x", "domains": ["not a domain!"]}, "invalid_domain"),
])
def test_unusable_input_answers_400_with_a_code(client, body, code):
    response = client.post(CHECK, json=body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == code and response.json["error"]["message"]


def test_pfx_without_password_says_so(client, hierarchy):
    pfx = to_pkcs12(hierarchy.leaf, password="pw")
    response = client.post(CHECK, data={"certificate": (io.BytesIO(pfx), "a.pfx"), "domains": "contoso.com"},
                           content_type="multipart/form-data")
    assert response.json["error"]["code"] == "password_required"


def test_oversize_upload_answers_413_in_json(client):
    response = client.post(CHECK, data={"certificate": (io.BytesIO(b"0" * (2 * 1024 * 1024)), "big.pem")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_openapi_documents_both_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/certificate-check", "/api/v1/plan"} <= set(spec["paths"])


def test_plan_api_builds_the_plan(client, chain_pem):
    response = client.post("/api/v1/plan", json={
        "accepted_domains": ["contoso.com"],
        "existing_connector": {"kind": "certificate", "name": "Old connector"},
        "server": {"kind": "exchange-2016", "fqdn": "mail.contoso.com", "hybrid_wizard": False},
        "mx_endpoint": "contoso-com.mail.protection.outlook.com",
        "certificate_pem": chain_pem,
        "scenarios": ["ndr"],
    })
    assert response.status_code == 200, response.json
    plan = response.json
    assert plan["exchange_online"]["tls_sender_certificate_name"] == "contoso.com"
    assert "Set-InboundConnector -Identity 'Old connector'" in plan["exchange_online"]["powershell"]
    assert "New-SendConnector" in plan["on_premises"]["powershell"]
    assert plan["ruleset_version"] and plan["checklist"]
    spec = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/plan"]["post"]["responses"]["200"]
    documented = spec["content"]["application/json"]["schema"]["properties"]["checklist"]
    assert {key for item in plan["checklist"] for key in item} - {"reason", "sources"} \
        <= set(documented["items"]["properties"])
    assert plan["checklist"][1]["steps"][0].startswith("Open the Exchange admin center")


def test_plan_api_refuses_unknown_server_kinds(client):
    response = client.post("/api/v1/plan", json={"accepted_domains": ["contoso.com"], "server": {"kind": "lotus"}})
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_answers"


def test_api_needs_no_csrf_token_but_forms_do(client, chain_pem):
    assert client.post(CHECK, json={"certificate_pem": chain_pem, "domains": ["contoso.com"]}).status_code == 200
    assert client.post("/wizard/start", data={"role": "admin", "organization": "X"}).status_code == 400


def test_api_cli_and_wizard_agree(app, client, tmp_path):
    """Same certificate, same domains: same verdict, candidates and findings everywhere."""
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com"], ekus=None)
    pem = to_pem(hierarchy.leaf.cert)  # no intermediate: a finding to agree on
    api = client.post(CHECK, json={"certificate_pem": pem.decode(), "domains": ["contoso.com", "fabrikam.com"]}).json

    path = tmp_path / "leaf.pem"
    path.write_bytes(pem)
    result = app.test_cli_runner().invoke(args=["check-cert", str(path), "--domain", "contoso.com",
                                                "--domain", "fabrikam.com", "--json"])
    cli = json.loads(result.output)
    assert result.exit_code == {"ready": 0, "needs_attention": 1, "blocked": 2}[api["verdict"]]

    walk_to(client, hierarchy, stop="certificate")
    submit(client, "/wizard/certificate", {"certificate_text": pem.decode()})
    soup = page(client.get("/wizard/connector-domain"))
    wizard_codes = [finding["data-code"] for finding in soup.select(".finding[data-code]")]
    wizard_candidates = [i["value"] for i in soup.select("input[name=connector_domain]")]

    for report in (cli,):
        assert report["verdict"] == api["verdict"]
        assert report["candidates"] == api["candidates"]
        assert report["findings"] == api["findings"]
    assert wizard_codes == [f["code"] for f in api["findings"]]
    assert wizard_candidates == [c["connector_domain"] for c in api["candidates"]]
    assert api["verdict"] != "ready"  # the missing intermediate shows up in all three


def test_cli_says_why_a_file_is_unusable(app, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some text")
    result = app.test_cli_runner().invoke(args=["check-cert", str(path), "--domain", "contoso.com"])
    assert result.exit_code == 2
    assert "Cannot use this file" in result.output


def test_api_errors_follow_accept_language(client):
    body = {"certificate_pem": "hello", "domains": ["contoso.com"]}
    english = client.post(CHECK, json=body).json["error"]
    swedish = client.post(CHECK, json=body, headers={"Accept-Language": "sv-SE"}).json["error"]
    assert english["code"] == swedish["code"] == "not_a_certificate"
    assert "certificate" in english["message"] and "certifikat" in swedish["message"]
    assert english["message"] != swedish["message"]


def test_cli_reads_the_pfx_password_from_stdin_only(app, hierarchy, tmp_path):
    path = tmp_path / "server.pfx"
    path.write_bytes(to_pkcs12(hierarchy.leaf, hierarchy.intermediate.cert, password="s3cret"))
    runner = app.test_cli_runner()
    args = ["check-cert", str(path), "--domain", "contoso.com"]
    opened = runner.invoke(args=[*args, "--password-stdin"], input="s3cret\n")
    assert opened.exit_code == 0, opened.output
    assert "Verdict: ready" in opened.output and "s3cret" not in opened.output
    refused = runner.invoke(args=args)
    assert refused.exit_code == 2 and "password" in refused.output.lower()


def test_plan_api_asks_which_server_connects(client, chain_pem):
    """Issue 21 item 5: server.egress puts the certificate steps on the Edge server (or the front end)."""
    body = {"accepted_domains": ["contoso.com"], "mx_endpoint": "contoso-com.mail.protection.outlook.com",
            "server": {"kind": "exchange-2019", "fqdn": "mail.contoso.com", "egress": "edge"},
            "certificate_pem": chain_pem}
    plan = client.post("/api/v1/plan", json=body).json
    assert plan["on_premises"]["blocks"][0]["label"].startswith("On each Edge Transport server")
    body["server"]["egress"] = "dmz"
    response = client.post("/api/v1/plan", json=body)
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_answers"
