"""Markup in a certificate's CN, O or SAN is shown as text on every face, never run."""
from __future__ import annotations

import json
import subprocess  # nosec B404
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

from tests.hostile.conftest import HOSTILE_SANS, IMG_O, SCRIPT_CN, walk


def assert_shown_as_text(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert SCRIPT_CN in text and IMG_O in text, "the names are shown, as text"
    # Escaped in the markup: no element came out of the certificate.
    assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")]
    assert not soup.find_all("img", src="x") and not soup.find_all(attrs={"onerror": True})
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_connector_domain_page_shows_the_names_escaped(client, hostile_pem):
    walk(client, hostile_pem, stop="/wizard/connector-domain")
    response = client.get("/wizard/connector-domain")
    assert response.status_code == 200
    assert_shown_as_text(response.get_data(as_text=True))


def test_the_result_page_shows_the_names_escaped(client, hostile_pem):
    location = walk(client, hostile_pem).headers["Location"]
    response = client.get(location)
    assert response.status_code == 200
    assert_shown_as_text(response.get_data(as_text=True))


def test_the_api_returns_valid_json_with_the_values_intact(client, hostile_pem):
    response = client.post("/api/v1/certificate-check", json={"certificate_pem": hostile_pem, "domains": ["contoso.com"]})
    assert response.status_code == 200 and response.mimetype == "application/json"
    report = json.loads(response.get_data(as_text=True))
    assert report["certificate"]["common_name"] == SCRIPT_CN
    assert set(HOSTILE_SANS) <= set(report["certificate"]["dns_names"])
    assert IMG_O.replace('"', '""') in report["certificate"]["subject"]
    # JSON served to a browser must not be sniffable as HTML.
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_the_pdf_prints_the_names_as_text(client, hostile_pem):
    location = walk(client, hostile_pem).headers["Location"]
    response = client.get(location + "/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        pdf.write_bytes(response.data)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,  # nosec B603 B607
                              check=True, timeout=30).stdout
    flat = " ".join(text.split())
    assert SCRIPT_CN in flat
    assert "&lt;" not in text, "escaped once, not twice"
