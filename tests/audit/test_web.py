"""The audit pages, the header reader and the probe as a user meets them; the API and the CLI."""
from __future__ import annotations

import subprocess

import pytest

from app.extensions import db
from app.store import purge_expired, utcnow
from app.tools.records import CaseAudit, CaseHeaderCheck
from tests.audit.blocks import TENANT, certificate_object
from tests.audit.conftest import fixture
from tests.audit.test_rules import H, HEALTHY, paste
from tests.conftest import page, submit

BROKEN = paste(server={"require_tls": "False", "certificates": certificate_object(H, services="IIS")})


def test_the_start_page_offers_the_audit(client):
    links = [a["href"] for a in page(client.get("/")).find_all("a")]
    assert "/audit" in links


def test_a_pasted_configuration_shows_findings_with_their_lines_and_the_fixes(client):
    response = submit(client, "/audit", {"text": fixture("exchange_online_hybrid.txt")
                                         + fixture("exchange_server_2016_hybrid.txt")})
    soup = page(response)
    findings = soup.select(".audit-findings .finding")
    assert len(findings) >= 8
    text = soup.get_text(" ")
    assert "smtp.office365.com" in text and "line 127" in text
    code = "\n".join(pre.get_text() for pre in soup.select("pre"))  # as Copy takes it: the spans add nothing
    assert "Set-SendConnector -Identity 'Internet via Office 365' -RequireTLS $true -WhatIf" in code
    assert not soup.select(".finding-code"), "rule codes are for staff: customers read the words"


def test_staff_see_the_rule_code_of_each_finding(agent, contoso):
    response = submit(agent, f"/cases/{contoso}/audit", {"text": BROKEN}, follow_redirects=True)
    codes = [code.get_text(strip=True) for code in page(response).select(".audit-findings .finding-code")]
    assert codes and all(code.startswith("(") and code.endswith(")") and " " not in code for code in codes)


def test_unreadable_text_names_the_line_in_the_error_summary(client):
    response = submit(client, "/audit", {"text": "hello\nthis is not Get- output"})
    soup = page(response)
    assert soup.title.get_text().startswith("Error:")
    summary = soup.select_one(".error-summary").get_text(" ")
    assert "line 1" in summary and "hello" in summary


def test_the_form_needs_its_csrf_token(client):
    assert client.post("/audit", data={"text": HEALTHY}).status_code == 400


def test_the_collection_script_downloads_for_the_chosen_version(client):
    response = client.get("/audit/collect.ps1?server=exchange-2010")
    assert response.headers["Content-Disposition"] == 'attachment; filename="collect.ps1"'
    assert response.data.startswith(b"\xef\xbb\xbf") and b"Get-TransportServer" in response.data
    assert b"\r\n" in response.data


def test_a_case_keeps_each_audit_and_shows_what_changed(app, agent, contoso):
    first = submit(agent, f"/cases/{contoso}/audit", {"text": BROKEN})
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/cases/{contoso}/audit/1")
    second = submit(agent, f"/cases/{contoso}/audit", {"text": HEALTHY})
    assert second.headers["Location"].endswith("/audit/2")
    result = page(agent.get(f"/cases/{contoso}/audit/2")).get_text(" ")
    assert "2 problems fixed" in result and "0 new problems" in result
    history = page(agent.get(f"/cases/{contoso}/audit")).select(".case-table tbody tr")
    assert len(history) == 2
    with app.app_context():
        assert [a.verdict for a in db.session.query(CaseAudit).order_by(CaseAudit.number)] == ["blocked", "ready"]


def test_the_fixes_download_as_script_pdf_and_json(agent, contoso, tmp_path):
    submit(agent, f"/cases/{contoso}/audit", {"text": BROKEN})
    script = agent.get(f"/cases/{contoso}/audit/1/fix.ps1")
    assert script.data.startswith(b"\xef\xbb\xbf")
    assert b"Set-SendConnector -Identity 'To Office 365 (certificate)' -RequireTLS $true -WhatIf\r\n" in script.data
    assert b"Enable-ExchangeCertificate" in script.data
    assert agent.get(f"/cases/{contoso}/audit/1/fix.json").get_json()["verdict"] == "blocked"
    pdf = agent.get(f"/cases/{contoso}/audit/1/fix.pdf")
    (tmp_path / "fix.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "fix.pdf"), "-"], capture_output=True, text=True,  # nosec
                          check=True).stdout
    assert "Require TLS on the send connector" in text and "RequireTLS" in text


def test_someone_elses_case_is_not_found(client, contoso):
    assert client.get(f"/cases/{contoso}/audit").status_code == 404
    assert client.get(f"/cases/{contoso}/collect.ps1").status_code == 404


def test_the_staff_case_page_and_the_result_page_link_to_the_audit(agent, contoso):
    assert f"/cases/{contoso}/audit" in [a["href"] for a in page(agent.get(f"/staff/cases/{contoso}")).find_all("a")]
    assert f"/cases/{contoso}/audit" in [a["href"] for a in page(agent.get(f"/cases/{contoso}")).find_all("a")]


def test_headers_that_prove_attribution_mark_the_case_proven(app, agent, contoso):
    response = submit(agent, f"/cases/{contoso}/headers", {"text": fixture("headers_relayed_ndr.txt"),
                                                          "tenant_id": TENANT.upper()})
    soup = page(response)
    assert "Attributed to your tenant through the certificate connector" in soup.select_one("#headers-result").get_text()
    audit_page = page(agent.get(f"/cases/{contoso}/audit")).get_text(" ")
    assert "Proven" in audit_page and "A test message proved the relay on" in audit_page
    assert submit(agent, f"/cases/{contoso}/headers", {"text": "x"}).status_code == 200
    form = page(agent.get(f"/cases/{contoso}/headers")).find("input", attrs={"name": "tenant_id"})
    assert form["value"] == TENANT


def test_a_wrong_tenant_id_is_explained(client):
    response = submit(client, "/diagnose/headers", {"text": fixture("headers_relayed_ndr.txt"), "tenant_id": "nope"})
    assert "Enter the tenant ID as 32 hexadecimal digits" in page(response).select_one(".error-summary").get_text()


def test_purging_a_case_purges_its_audits_and_proofs(app, agent, contoso):
    submit(agent, f"/cases/{contoso}/audit", {"text": HEALTHY})
    submit(agent, f"/cases/{contoso}/headers", {"text": fixture("headers_relayed_ndr.txt")})
    with app.app_context():
        purge_expired(0, now=utcnow().replace(year=utcnow().year + 1))
        assert db.session.query(CaseAudit).count() == 0 and db.session.query(CaseHeaderCheck).count() == 0


# ---- API ----

def test_the_api_audits_text(client):
    data = client.post("/api/v1/config-audit", json={"text": BROKEN, "accepted_domains": ["contoso.com"]}).get_json()
    assert data["verdict"] == "blocked"
    finding = next(f for f in data["findings"] if f["code"] == "require_tls_off")
    assert set(finding) >= {"code", "severity", "title", "evidence", "fix"}
    assert finding["evidence"][0]["text"].startswith("RequireTLS")
    assert data["plan"]["steps"][0]["rule"] == "certificate_not_smtp" and "WhatIf" in data["plan"]["powershell"]


@pytest.mark.parametrize("body,status,code", [
    ({"text": "nothing here"}, 400, "unreadable"),
    ({"text": ""}, 400, "invalid_text"),
    ({"text": 5}, 400, "invalid_text"),
    ({"text": HEALTHY, "accepted_domains": ["not a domain"]}, 400, "invalid_domain"),
    ({"text": "x" * 400_001}, 413, "too_large"),
])
def test_the_api_refuses_what_it_cannot_read(client, body, status, code):
    response = client.post("/api/v1/config-audit", json=body)
    assert response.status_code == status and response.get_json()["error"]["code"] == code


def test_the_api_reads_headers(client):
    data = client.post("/api/v1/headers", json={"text": fixture("headers_relayed_ndr.txt"), "tenant_id": TENANT,
                                                "accepted_domains": ["contoso.com"]}).get_json()
    assert (data["verdict"], data["tenant_id"], data["tls"], data["proven"]) == ("attributed", TENANT, "TLS1_2", True)
    assert data["auth_as"] == "Anonymous" and data["directionality"] is None and data["evidence"]
    bad = client.post("/api/v1/headers", json={"text": "x", "tenant_id": "nope"})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_tenant"


def test_the_api_probe_refuses_loopback_by_default(client):
    response = client.post("/api/v1/probe", json={"host": "127.0.0.1", "port": 25})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "refused_address"
    assert client.post("/api/v1/probe", json={"host": "mail.contoso.com", "port": 0}).status_code == 400


def test_the_openapi_document_names_the_new_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/config-audit", "/api/v1/headers", "/api/v1/probe"} <= set(paths)


# ---- CLI ----

@pytest.mark.parametrize("text,code", [(HEALTHY, 0), (paste(server={"level": "EncryptionOnly"}), 1), (BROKEN, 2),
                                       ("nothing to read", 2)])
def test_the_cli_exit_code_follows_the_verdict(app, tmp_path, text, code):
    path = tmp_path / "paste.txt"
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["audit-config", str(path), "--json"])
    assert result.exit_code == code, result.output


def test_the_cli_reads_what_windows_powershell_writes(app, tmp_path):
    path = tmp_path / "out.txt"
    path.write_bytes(BROKEN.encode("utf-16"))  # `> out.txt` in Windows PowerShell 5.1: UTF-16 LE with BOM
    result = app.test_cli_runner().invoke(args=["audit-config", str(path)])
    assert result.exit_code == 2 and "[warning] require_tls_off" in result.output
