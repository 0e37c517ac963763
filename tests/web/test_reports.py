"""The plan's faces for a saved case: page, PDF, PowerShell, JSON, and who may open them."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date, datetime, timedelta, timezone

import pytest
from bs4 import BeautifulSoup
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from tests.certfactory import make_hierarchy, to_pem
from tests.conftest import page, submit
from tests.staff.conftest import add_user, sign_in
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
    for number in soup.select(".checklist .step-number"):
        number.decompose()  # "Before step 1:": the page's place for the item the KB does not number
    titles = [" ".join(h.get_text(" ", strip=True).split()) for h in soup.select(".checklist > li summary > h3")]
    assert len(titles) == len(data["checklist"])
    for item, title in zip(data["checklist"], titles):
        assert title.startswith(" ".join(item["title"].split()))
    assert data["exchange_online"]["tls_sender_certificate_name"] == "contoso.com"
    assert data["ruleset_version"]


def commands(script: str) -> list[str]:
    # Read-Host's prompt is words for the admin, in the plan's language, like the comments.
    return [re.sub(r"-Prompt '[^']*'", "-Prompt '?'", line) for line in script.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_report_language_never_changes_the_commands(client, result_url):
    english = client.get(result_url + "/plan.json").json
    swedish = client.get(result_url + "/plan.json?lang=sv").json
    assert commands(swedish["exchange_online"]["powershell"]) == commands(english["exchange_online"]["powershell"])
    assert commands(swedish["on_premises"]["powershell"]) == commands(english["on_premises"]["powershell"])


def test_the_swedish_downloads_cite_the_swedish_kb(client, result_url):
    kb = "https://support.microsoft.com/sv-se/kb/3169958"
    swedish = client.get(result_url + "/plan.json?lang=sv").json
    assert kb in [s["url"] for s in swedish["sources"]]
    assert kb in client.get(result_url + "/remediation.ps1?lang=sv").get_data(as_text=True)
    english = client.get(result_url + "/plan.json?lang=en").json
    assert "https://support.microsoft.com/help/3169958" in [s["url"] for s in english["sources"]]


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


def test_dates_are_iso_8601_in_every_language_like_the_findings_and_the_script(client, result_url):
    """One date style: the findings (app/certs) and the .ps1 write 2026-11-03, so every page does too."""
    today = date.today().isoformat()
    for lang in ("en", "sv"):
        facts = page(client.get(f"{result_url}?lang={lang}")).select_one(".plan-facts").get_text(" ")
        assert today in facts, lang
        evidence = page(client.get(f"{result_url}?lang={lang}")).select_one(".facts-table").get_text(" ")
        assert re.search(r"\d{4}-\d{2}-\d{2} \w+ \d{4}-\d{2}-\d{2}", evidence), evidence
    assert f"Generated on {today}" in client.get(result_url + "/remediation.ps1?lang=en").data.decode("utf-8-sig")


def pdf_text(data: bytes, tmp_path, *options: str) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", *options, str(path), "-"],  # nosec B603 B607
                          capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    """Whitespace as one space, none after a comma (a property list may wrap after one; PowerShell reads on)."""
    return re.sub(r", ", ",", " ".join(text.split()))


def is_comment(line: str) -> bool:
    return line.lstrip().startswith(("#", "dnl "))


@pytest.mark.parametrize("server", ["exchange-2019", "exchange-2010", "postfix", "sendmail", "exim"])
def test_every_command_in_the_pdf_is_whole_and_the_same_as_in_the_script(client, result_url, tmp_path, server):
    """pdftotext once lost the hyphen of a parameter wrapped after it ('$tlsCertificateName CloudServicesMail...')."""
    submit(client, "/wizard/server?return=check", {"kind": server})
    if server.startswith("exchange"):
        submit(client, "/wizard/exchange-setup?return=check", {"hybrid_wizard": "no", "egress": "mailbox"})
    submit(client, "/wizard/check", {})
    plan = client.get(result_url + "/plan.json").json
    script = client.get(result_url + "/remediation.ps1").data.decode("utf-8-sig").splitlines()
    pdf = squeezed(pdf_text(client.get(result_url + "/report.pdf").data, tmp_path))
    blocks = [block for item in plan["checklist"] for block in item["code"]]
    commands = [(block["language"], line.strip()) for block in blocks for line in block["text"].splitlines()
                if line.strip() and not is_comment(line)]
    assert len(commands) > 5
    for language, command in commands:
        assert squeezed(command) in pdf, f"{command!r} is not whole in the PDF"
        if language == "powershell":
            assert command in {line.strip().removeprefix("# ") for line in script}, f"{command!r} not in the .ps1"
    assert any("-CloudServicesMailEnabled" in command for _language, command in commands) or server != "exchange-2019"


def test_the_pdf_holds_the_answers_the_plan_was_made_from(client, result_url, tmp_path):
    text = squeezed(pdf_text(client.get(result_url + "/report.pdf").data, tmp_path))
    for answer in ("contoso.com", "fabrikam.com", "Exchange Server 2019", "mail.contoso.com",
                   "contoso-com.mail.protection.outlook.com", "From on-prem", "Your answers",
                   "Non-delivery reports (NDRs) or out-of-office replies go from the customer's server"):
        assert answer in text, answer
    assert squeezed(page(client.get(result_url)).select_one(".answers").get_text(" ")).count("contoso.com") >= 2


def content_bottoms(pdf: bytes, tmp_path) -> list[tuple[float, float, str]]:
    """Per page: (lowest text in the page body, body bottom, first words), from pdftotext's word boxes."""
    soup = BeautifulSoup(pdf_text(pdf, tmp_path, "-bbox"), "html.parser")
    pages = []
    for sheet in soup.find_all("page"):
        body_bottom = float(sheet["height"]) - 18 / 25.4 * 72  # pdf.css: 18 mm bottom margin
        body_top = 22 / 25.4 * 72  # the running header sits above it
        words = [w for w in sheet.find_all("word") if body_top < float(w["ymin"]) and float(w["ymax"]) < body_bottom]
        pages.append((max(float(w["ymax"]) for w in words), body_bottom, " ".join(w.get_text() for w in words[:3])))
    return pages


def test_no_pdf_page_is_left_half_empty_before_a_long_code_block(client, result_url, tmp_path):
    """Long code blocks may break across pages; only the last page may end early (the appendix follows on)."""
    pages = content_bottoms(client.get(result_url + "/report.pdf").data, tmp_path)
    for number, (lowest, bottom, _words) in enumerate(pages[:-1], start=1):
        assert lowest > 0.8 * bottom, f"page {number} ends at {lowest:.0f} of {bottom:.0f} pt"


def test_the_certificate_table_repeats_its_header_on_every_page_it_spans(client, tmp_path):
    many = make_hierarchy("mail.contoso.com", sans=["contoso.com"] + [f"host{n:03}.contoso.com" for n in range(140)])
    walk_to(client, many)
    result = submit(client, "/wizard/check", {}).headers["Location"]
    pages = pdf_text(client.get(result + "/report.pdf").data, tmp_path).split("\f")
    spanned = [text for text in pages if re.search(r"host\d{3}\.contoso\.com", text)]
    assert len(spanned) >= 2
    caption = next(n for n, text in enumerate(pages) if "The server's certificate" in text)
    assert re.search(r"^Subject\s*$", pages[caption], re.M), "the table's caption was left behind on its own"
    for text in spanned:
        assert re.search(r"^Field\s*$", text, re.M) and re.search(r"^Value\s*$", text, re.M), text[:300]


def test_the_intermediates_are_in_the_json_the_pdf_and_a_zip_named_as_the_plan_imports_them(client, result_url,
                                                                                             hierarchy, tmp_path):
    intermediate_pem = to_pem(hierarchy.intermediate.cert).decode()
    data = client.get(result_url + "/plan.json").json
    assert [i["pem"] for i in data["intermediates"]] == [intermediate_pem]
    assert data["intermediates"][0]["file"] == "intermediate-1.cer"
    assert "intermediate-1.cer" in data["on_premises"]["powershell"]
    text = pdf_text(client.get(result_url + "/report.pdf").data, tmp_path, "-raw")  # no joining at a "-" line end
    assert "Appendix: the intermediate certificates" in text
    assert squeezed(intermediate_pem) in squeezed(text)
    response = client.get(result_url + "/intermediates.zip")
    reference = result_url.rsplit("/", 1)[1]
    assert response.headers["Content-Disposition"] == f'attachment; filename="{reference}-intermediates.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["intermediate-1.cer", "intermediates.p7b", "relay-cert-chain.pem"]
    assert x509.load_der_x509_certificate(archive.read("intermediate-1.cer")) == hierarchy.intermediate.cert
    assert pkcs7.load_der_pkcs7_certificates(archive.read("intermediates.p7b")) == [hierarchy.intermediate.cert]
    assert archive.read("relay-cert-chain.pem") == to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert)
    # Dated when the certificate became valid (issue 24: every entry said 1980-01-01).
    assert {info.date_time[:3] for info in archive.infolist()} == {hierarchy.leaf.cert.not_valid_before_utc.timetuple()[:3]}
    soup = page(client.get(result_url))
    assert soup.find("a", href=result_url + "/intermediates.zip")


def test_without_intermediates_the_page_says_where_to_get_them_and_offers_no_zip(client, hierarchy):
    walk_to(client, hierarchy)
    submit(client, "/wizard/certificate?return=check", {"certificate_text": to_pem(hierarchy.leaf.cert).decode()})
    submit(client, "/wizard/connector-domain?return=check", {"connector_domain": "contoso.com"})
    result = submit(client, "/wizard/check", {}).headers["Location"]
    soup = page(client.get(result))
    assert not soup.select("a[href$='intermediates.zip']")
    assert "held no intermediate certificates" in soup.get_text()
    assert client.get(result + "/intermediates.zip").status_code == 404
    assert client.get(result + "/plan.json").json["intermediates"] == []


def test_json_downloads_as_a_file_named_like_the_pdf(client, result_url):
    reference = result_url.rsplit("/", 1)[1]
    response = client.get(result_url + "/plan.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{reference}-remediation.json"'
    assert client.get(result_url + "/report.pdf").headers["Content-Disposition"] == \
        f'attachment; filename="{reference}-remediation.pdf"'


def test_no_copy_button_on_a_block_of_comments_only(client, result_url):
    soup = page(client.get(result_url))
    for figure in soup.select("figure.code-block"):
        lines = [line for line in figure.pre.get_text().splitlines() if line.strip()]
        has_button = figure.select_one("[data-copy]") is not None
        assert has_button == any(not is_comment(line) for line in lines), figure.figcaption.get_text()
    assert soup.select("figure.code-block [data-copy]")


def test_code_blocks_are_named_by_a_caption_not_an_aria_label(client, result_url):
    soup = page(client.get(result_url))
    assert not soup.select("pre[aria-label]")
    assert all(figure.figcaption.get_text(strip=True) for figure in soup.select("figure.code-block"))


def test_a_blocked_step_carries_no_status_colour_class(client, hierarchy):
    """The status colour (.status-blocked: red, bold) once sat on the whole item."""
    expired = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                             not_after=datetime.now(timezone.utc) - timedelta(days=1))
    walk_to(client, expired)
    soup = page(client.get(submit(client, "/wizard/check", {}).headers["Location"]))
    blocked = [li for li in soup.select(".checklist > li") if li.select_one(".tag-blocked")]
    assert blocked and all(li["class"] == ["checklist-item"] for li in blocked)


@pytest.mark.parametrize("server, shown", [("exchange-2019", True), ("exchange-2013", True), ("exchange-2010", False),
                                           ("postfix", False), ("other", False)])
def test_tls_certificate_name_is_shown_only_where_exchange_uses_it(client, result_url, tmp_path, server, shown):
    submit(client, "/wizard/server?return=check", {"kind": server})
    if server.startswith("exchange"):
        submit(client, "/wizard/exchange-setup?return=check", {"hybrid_wizard": "no", "egress": "mailbox"})
    submit(client, "/wizard/check", {})
    heading = "TlsCertificateName for the Exchange send connector"
    assert (heading in page(client.get(result_url)).get_text()) == shown
    assert (heading in pdf_text(client.get(result_url + "/report.pdf").data, tmp_path)) == shown


def test_finding_codes_are_for_staff_only(app, client, result_url):
    assert not page(client.get(result_url)).select(".finding-code")
    assert page(client.get(result_url)).select(".finding[data-code]")
    with app.app_context():
        add_user("agent@helpdesk.example")
    staff = app.test_client()
    assert sign_in(staff, "agent@helpdesk.example").status_code == 302
    codes = [code.get_text(strip=True) for code in page(staff.get(result_url)).select(".finding-code")]
    assert codes and all(re.fullmatch(r"\([a-z_]+\)", code) for code in codes)


def test_a_connector_domain_still_to_be_added_says_so_beside_the_value(client):
    """mail.contoso.com on the certificate, contoso.com accepted: the plan's value waits for the first step."""
    host_only = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com"])
    walk_to(client, host_only, stop="connector-domain")
    assert submit(client, "/wizard/connector-domain", {"connector_domain": "mail.contoso.com"}).status_code == 302
    result = submit(client, "/wizard/check", {}).headers["Location"]
    row = next(row for row in page(client.get(result)).select(".plan-facts .summary-row")
               if "Domain for the connector" in row.get_text())
    assert "mail.contoso.com" in row.get_text() and "after you add it as an accepted domain" in row.get_text()


def test_the_admin_center_steps_read_as_a_numbered_list_on_the_page_and_in_the_pdf(client, result_url, tmp_path):
    soup = page(client.get(result_url))
    item = next(li for li in soup.select(".checklist > li") if "in Exchange Online" in li.h3.get_text())
    lead = item.find("p", string="In the new Exchange admin center:")
    steps = [li.get_text(" ", strip=True) for li in lead.find_next_sibling("ol").find_all("li")]
    assert steps[0] == "Open the Exchange admin center at https://admin.exchange.microsoft.com."
    assert steps[1] == "Go to Mail flow > Connectors and choose Add a connector."
    assert len(steps) == 5
    text = squeezed(pdf_text(client.get(result_url + "/report.pdf").data, tmp_path))
    assert "In the new Exchange admin center: 1. Open the Exchange admin center" in text
    assert "2. Go to Mail flow > Connectors and choose Add a connector." in text
    assert "5. Under Authenticating sent email" in text


def test_a_case_this_browser_cannot_open_says_how_to_get_in(app, result_url):
    """Issue 24, item 11: a bare "Page not found" gave no hint about the link or Resume."""
    for url in (result_url, "/cases/KB-0000-0000"):
        response = app.test_client().get(url)
        soup = page(response)
        assert response.status_code == 404
        assert soup.h1.get_text(strip=True) == "This case is not open in this browser"
        assert "Open it with the link you were given" in soup.get_text()
        assert soup.find("a", href="/resume")
