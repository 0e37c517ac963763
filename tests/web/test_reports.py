"""The plan's faces for a saved case: page, PDF, PowerShell, JSON, and who may open them."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest
from babel.dates import format_date

from tests.conftest import page, submit
from tests.web.test_wizard import walk_to


@pytest.fixture
def result_url(client, hierarchy):
    walk_to(client, hierarchy)
    response = submit(client, "/wizard/check", {})
    assert response.status_code == 302
    return response.headers["Location"]


def test_result_page_shows_reference_checklist_and_commands(client, result_url):
    soup = page(client.get(result_url))
    reference = result_url.rsplit("/", 1)[1]
    assert reference in soup.select_one(".caption").get_text()
    items = soup.select(".checklist > li")
    assert len(items) >= 4
    code = "\n".join(pre.get_text() for pre in soup.select("pre"))
    assert "New-InboundConnector" in code and "-TlsSenderCertificateName 'contoso.com'" in code
    # The IP-based connector stays as a fallback until the clean-up step disables it.
    assert "Set-InboundConnector -Identity 'From on-prem' -Enabled $false" in code
    assert not any("Set-InboundConnector" in line and "TlsSenderCertificateName" in line for line in code.splitlines())
    assert soup.select("[data-copy]")  # copy buttons, shown by the script only
    assert any("/resume/" in c.get_text() for c in soup.select("pre code"))  # the link to come back


def test_result_page_is_not_cached_and_has_security_headers(client, result_url):
    response = client.get(result_url)
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_pdf_names_the_case_on_every_page(client, result_url, tmp_path):
    response = client.get(result_url + "/report.pdf")
    assert response.mimetype == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    reference = result_url.rsplit("/", 1)[1]
    assert len(pages) >= 2
    assert all(reference in p and "Contoso Ltd" in p and "ruleset" in p for p in pages)
    assert "New-InboundConnector" in text and "Get-MessageTraceV2" in text


def test_powershell_download_is_utf8_with_bom_and_crlf(client, result_url):
    response = client.get(result_url + "/remediation.ps1")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.data and b"\n" not in response.data.replace(b"\r\n", b"")
    text = response.data.decode("utf-8-sig")
    assert "Connect-ExchangeOnline" in text and "Enable-ExchangeCertificate" in text
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_json_says_the_same_as_the_page(client, result_url):
    data = client.get(result_url + "/plan.json").json
    soup = page(client.get(result_url))
    titles = [" ".join(h.get_text(" ", strip=True).split()) for h in soup.select(".checklist > li > h3")]
    assert len(titles) == len(data["checklist"])
    for item, title in zip(data["checklist"], titles):
        assert title.startswith(" ".join(item["title"].split()))
    assert data["exchange_online"]["tls_sender_certificate_name"] == "contoso.com"
    assert data["ruleset_version"]


def commands(script: str) -> list[str]:
    return [line for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_report_language_never_changes_the_commands(client, result_url):
    english = client.get(result_url + "/plan.json").json
    swedish = client.get(result_url + "/plan.json?lang=sv").json
    assert commands(swedish["exchange_online"]["powershell"]) == commands(english["exchange_online"]["powershell"])
    assert commands(swedish["on_premises"]["powershell"]) == commands(english["on_premises"]["powershell"])


def test_another_browser_cannot_open_the_case(app, result_url):
    stranger = app.test_client()
    for suffix in ("", "/report.pdf", "/remediation.ps1", "/plan.json"):
        assert stranger.get(result_url + suffix).status_code == 404


def test_a_changed_answer_shows_at_once_on_every_face(client, result_url):
    """Plans are cached per case version: a change must never serve the old plan."""
    assert "New-SendConnector" in client.get(result_url + "/plan.json").json["on_premises"]["powershell"]
    submit(client, "/wizard/server?return=check", {"kind": "postfix"})
    submit(client, "/wizard/check", {})
    plan = client.get(result_url + "/plan.json").json
    assert plan["on_premises"]["kind"] == "postfix" and "relayhost" in plan["on_premises"]["config"]
    assert "relayhost" in page(client.get(result_url)).get_text()


def test_dates_follow_the_report_language(client, result_url):
    today = date.today()
    english = page(client.get(result_url)).select_one(".plan-facts").get_text(" ")
    swedish = page(client.get(result_url + "?lang=sv")).select_one(".plan-facts").get_text(" ")
    assert format_date(today, locale="en") in english
    assert format_date(today, locale="sv") in swedish and format_date(today, locale="sv") != format_date(today, locale="en")
