"""The API's candidates say which values need an accepted domain added first, as its contract documents."""
from __future__ import annotations

from tests.certfactory import make_hierarchy, make_leaf, to_pem


def test_certificate_check_kinds_are_the_documented_ones(client):
    kinds = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/certificate-check"]["post"]["responses"][
        "200"]["content"]["application/json"]["schema"]["properties"]["candidates"]["items"]["properties"]["kind"]["enum"]
    h = make_hierarchy("mail.contoso.com")
    response = client.post("/api/v1/certificate-check", json={
        "certificate_pem": to_pem(h.leaf.cert, h.intermediate.cert).decode(), "domains": ["contoso.com"]})
    data = response.get_json()
    assert [(c["connector_domain"], c["kind"]) for c in data["candidates"]] == [
        ("mail.contoso.com", "add_accepted_domain"), ("*.contoso.com", "wildcard_connector")]
    assert {c["kind"] for c in data["candidates"]} <= set(kinds)
    assert data["recommended_connector_domain"] == "mail.contoso.com" and data["verdict"] == "needs_attention"


def test_internal_name_has_no_candidate_and_its_own_finding(client):
    h = make_hierarchy()
    leaf = make_leaf(h.intermediate, "mail.contoso.local")
    data = client.post("/api/v1/certificate-check", json={
        "certificate_pem": to_pem(leaf.cert, h.intermediate.cert).decode(), "domains": ["contoso.com"]}).get_json()
    assert data["candidates"] == [] and data["recommended_connector_domain"] is None
    assert [f["code"] for f in data["findings"]] == ["internal_name"]
