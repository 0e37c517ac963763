"""POST /api/v1/certificate-chain: the upload's intermediates as the files the plan installs."""
from __future__ import annotations

import io
import zipfile

from cryptography import x509

from tests.certfactory import to_pem

CHAIN = "/api/v1/certificate-chain"


def test_the_chain_comes_back_as_the_zip_the_result_page_offers(client, hierarchy):
    pem = to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode()
    response = client.post(CHAIN, json={"certificate_pem": pem})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="intermediates.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert x509.load_der_x509_certificate(archive.read("intermediate-1.cer")) == hierarchy.intermediate.cert
    assert "intermediates.p7b" in archive.namelist() and "relay-cert-chain.pem" in archive.namelist()


def test_a_file_upload_works_and_the_same_chain_gives_the_same_bytes(client, hierarchy):
    pem = to_pem(hierarchy.intermediate.cert, hierarchy.leaf.cert)  # any order: the leaf is found
    first = client.post(CHAIN, data={"certificate": (io.BytesIO(pem), "chain.pem")}).data
    second = client.post(CHAIN, data={"certificate": (io.BytesIO(pem), "chain.pem"), "domains": "contoso.com"}).data
    assert first == second and zipfile.ZipFile(io.BytesIO(first)).namelist()


def test_an_upload_without_intermediates_says_so(client, hierarchy):
    response = client.post(CHAIN, json={"certificate_pem": to_pem(hierarchy.leaf.cert).decode()})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "no_intermediates"
    assert "certificate authority" in response.json["error"]["message"]


def test_the_contract_describes_it(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/certificate-chain"]["post"]
    assert "application/zip" in operation["responses"]["200"]["content"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["required"] == ["certificate_pem"]
    error_codes = spec["paths"]["/api/v1/certificate-check"]["post"]["responses"]["400"]["content"][
        "application/json"]["schema"]["properties"]["error"]["properties"]["code"]["enum"]
    assert "no_intermediates" in error_codes
