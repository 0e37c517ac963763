"""POST /api/v1/certificate-request-check (issue 25, item 2)."""
from __future__ import annotations

import io

from tests.certfactory import make_hierarchy, make_key, make_request, request_der, request_pem, to_pem

URL = "/api/v1/certificate-request-check"


def test_json_request_gives_the_connector_domain_it_would_give(client):
    pem = request_pem(make_request("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])).decode()
    response = client.post(URL, json={"request_pem": pem, "domains": ["contoso.com"]})
    assert response.status_code == 200
    data = response.json
    assert data["request"]["dns_names"] == ["mail.contoso.com", "contoso.com"]
    assert data["working_connector_domain"] == "contoso.com"
    assert data["verdict"] == "ready"
    assert any(f["code"] == "client_auth_eku_unconfirmed" for f in data["findings"])


def test_multipart_der_with_a_weak_key_is_blocked(client):
    der = request_der(make_request("contoso.com", key=make_key("rsa", 1024)))
    response = client.post(URL, data={"request": (io.BytesIO(der), "relay.req"), "domains": "contoso.com"},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.json["verdict"] == "blocked"
    assert "weak_key" in [f["code"] for f in response.json["findings"]]


def test_a_look_alike_name_is_blocked(client):
    pem = request_pem(make_request("notcontoso.com")).decode()
    data = client.post(URL, json={"request_pem": pem, "domains": ["contoso.com"]}).json
    assert data["verdict"] == "blocked" and data["working_connector_domain"] is None


def test_a_certificate_sent_as_a_request_answers_400_with_a_code(client):
    pem = to_pem(make_hierarchy().leaf.cert).decode()
    response = client.post(URL, json={"request_pem": pem, "domains": ["contoso.com"]})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "not_a_request"
    assert client.post(URL, json={"domains": ["contoso.com"]}).json["error"]["code"] == "no_request"


def test_the_endpoint_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    assert URL in spec["paths"]
    assert "not_a_request" in spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"][
        "enum"] if "components" in spec else True
