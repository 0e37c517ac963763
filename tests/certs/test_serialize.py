"""report_to_dict: the published JSON schema, and the stored-chain round trip."""
from __future__ import annotations

import json

from app.certs.analysis import analyze
from app.certs.reading import read_certificates
from app.certs.serialize import report_to_dict
from tests.certfactory import NOW, SERVER_AUTH, key_pem, make_hierarchy, to_pem

CERTIFICATE_KEYS = {
    "subject", "issuer", "common_name", "dns_names", "not_before", "not_after", "days_remaining",
    "serial_number", "thumbprint_sha1", "fingerprint_sha256", "key_type", "key_size",
    "signature_hash", "extended_key_usages", "self_signed", "is_ca"}


def report_dict(store, data: bytes, accepted=("contoso.com",)) -> dict:
    upload = read_certificates(data)
    report = analyze(upload.certificates, list(accepted), now=NOW, trust_store=store,
                     private_key_dropped=upload.private_key_dropped)
    return report_to_dict(report)


def test_schema(store):
    h = make_hierarchy(ekus=[SERVER_AUTH])
    data = report_dict(store, to_pem(h.leaf.cert, h.intermediate.cert) + key_pem(h.leaf.key))
    assert set(data) == {"certificate", "chain", "exchange_tls_certificate_name",
                         "recommended_connector_domain", "candidates", "findings", "verdict", "notices"}
    assert set(data["certificate"]) == CERTIFICATE_KEYS
    assert data["certificate"]["not_after"] == h.leaf.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [set(c) for c in data["chain"]] == [{"subject", "issuer", "thumbprint_sha1"}] * 2
    assert data["exchange_tls_certificate_name"] == "<I>CN=Test Issuing CA, O=Test PKI, C=US<S>CN=mail.contoso.com"
    # Microsoft's preferred way first (add the host name), the wildcard as the fallback.
    assert data["recommended_connector_domain"] == "mail.contoso.com"
    assert data["candidates"] == [
        {"connector_domain": "mail.contoso.com", "certificate_name": "mail.contoso.com",
         "accepted_domain": "mail.contoso.com", "kind": "add_accepted_domain"},
        {"connector_domain": "*.contoso.com", "certificate_name": "mail.contoso.com",
         "accepted_domain": "contoso.com", "kind": "wildcard_connector"}]
    assert {f["code"] for f in data["findings"]} == {"host_name_not_accepted_domain", "client_auth_eku_missing"}
    assert all(set(f) == {"code", "severity", "message"} for f in data["findings"])
    assert data["verdict"] == "needs_attention"
    assert len(data["notices"]) == 1
    json.dumps(data)  # plain JSON types only


def test_no_candidate_serialises_as_null(store):
    h = make_hierarchy("mail.contoso.local")
    data = report_dict(store, to_pem(h.leaf.cert, h.intermediate.cert), accepted=["contoso.com"])
    assert data["recommended_connector_domain"] is None and data["candidates"] == []
    assert data["verdict"] == "blocked"


def test_stored_chain_gives_the_same_report(store, hierarchy):
    h = hierarchy
    upload = read_certificates(to_pem(h.intermediate.cert, h.leaf.cert))
    report = analyze(upload.certificates, ["contoso.com"], now=NOW, trust_store=store)
    stored = "".join(facts.pem for facts in report.chain).encode()
    again = read_certificates(stored)
    assert again.certificates == upload.certificates
    second = analyze(again.certificates, ["contoso.com"], now=NOW, trust_store=store)
    assert report_to_dict(second) == report_to_dict(report)
