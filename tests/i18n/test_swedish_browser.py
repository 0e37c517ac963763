"""A Swedish admin walks the whole wizard in Chromium and sees Swedish everywhere, down to the PDF.

Every page must say lang="sv", carry the Swedish headings and none of the English
interface phrases (outside code blocks, which hold cmdlets, parameters and values
that stay as they are). The result page must use the Swedish admin-center names,
and its PDF link (lang=sv) must give a Swedish PDF.
"""
from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser_support import browser_type_launch_args, live_app, live_app_config, live_server  # noqa: F401
from tests.certfactory import make_hierarchy, to_pem

pytestmark = pytest.mark.browser

# English interface text that must not show on a Swedish page: button and heading
# texts, and words that only appear in English sentences. Case-sensitive, whole words.
ENGLISH = (
    "Continue", "There is a problem", "Check your answers", "Start now", "Skip to main content", "Back",
    r"Step \d", "Error:", "Your remediation plan", "Remediation plan", "Download", "Change", "Select",
    "Enter", "Upload", "Which", "What", "accepted domains?", "Mail flow", "Connectors", "Add a connector",
    "Organization name", "Before you start", "Must fix", "Good to know", "Needs attention", "To do",
    "Verdict", "Thumbprint", "Issuer", "Certificate details", "Connector certificate wizard",
    "admin center", "Your organization's email server", "Retain internal", "Sign in", "ruleset",
    "is not", "must", "your", "the", "and",
)
ENGLISH_PATTERN = re.compile("|".join(rf"(?<![\w-])(?:{phrase})(?![\w-])" for phrase in ENGLISH))

# The interface text of the page: visible and screen-reader-only text, the title and
# the labels, without code blocks.
PAGE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("pre, code, script").forEach((element) => element.remove());
  const labels = [...document.querySelectorAll("[aria-label], [title], [placeholder]")]
    .map((element) => [element.getAttribute("aria-label"), element.getAttribute("title"),
                       element.getAttribute("placeholder")].filter(Boolean).join(" "));
  return [document.title, body.textContent, ...labels].join(" ");
}"""


def assert_swedish(page: Page) -> str:
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    text = " ".join(page.evaluate(PAGE_TEXT).split())
    english = sorted({match.group(0) for match in ENGLISH_PATTERN.finditer(text)})
    assert not english, f"{page.url} shows English {english}:\n{text}"
    return text


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Fortsätt", exact=True).click()


def pdf_text(page: Page, url: str, tmp_path, name: str) -> str:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    path = tmp_path / name
    path.write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"],  # nosec B603 B607
                          capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_a_swedish_admin_walks_the_wizard_in_swedish(page: Page, live_server, tmp_path):
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    cert_file = tmp_path / "server.pem"
    cert_file.write_bytes(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))

    page.goto(live_server + "/language/sv?next=/")
    expect(page.locator("h1")).to_have_text("E-postrelä via Office 365 med en certifikatkoppling")
    assert_swedish(page)
    page.get_by_role("button", name="Börja nu").click()

    # An error first: the summary, the title prefix and the messages are Swedish.
    expect(page.locator("h1")).to_have_text("Om ärendet")
    assert_swedish(page)
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Fel: Om ärendet"))
    expect(page.locator(".error-summary")).to_contain_text("Det finns ett problem")
    expect(page.locator(".error-summary")).to_contain_text("Ange organisationens namn")
    assert_swedish(page)

    # WTForms' own messages are Swedish too (Flask-WTF's i18n): an answer that is not a choice.
    page.get_by_label("Kundens egen administratör").evaluate("radio => { radio.value = 'bogus'; radio.checked = true; }")
    page.get_by_label("Organisationsnamn").fill("Contoso AB")
    continue_(page)
    expect(page.locator(".error-summary")).to_contain_text("giltigt val")
    assert_swedish(page)

    page.get_by_label("En supporttekniker som arbetar åt en kund").check()
    page.get_by_label("Organisationsnamn").fill("Contoso AB")
    page.get_by_label("Supportärendenummer (valfritt)").fill("INC-4711")
    continue_(page)

    expect(page.locator(".caption")).to_contain_text("Steg 2 av")
    expect(page.locator("h1")).to_have_text("Vilket av följande händer i kundens organisation?")
    assert_swedish(page)
    page.get_by_label("Kundens server vidarebefordrar meddelanden till externa adresser").check()
    continue_(page)

    expect(page.locator("h1")).to_have_text("Vilka är kundens godkända domäner?")
    assert_swedish(page)
    page.get_by_label("Vilka är kundens godkända domäner?").fill("contoso.com\nfabrikam.com")
    continue_(page)

    expect(page.locator("h1")).to_have_text("Finns det redan en koppling i Exchange Online för e-post från kundens egen server?")
    text = assert_swedish(page)
    assert "E-postflöde > Kopplingar" in text and "”Organisationens e-postserver”" in text
    page.get_by_label("Ja, en som identifierar kundens server på IP-adressen").check()
    continue_(page)

    expect(page.locator("h1")).to_have_text("Vad heter den befintliga kopplingen?")
    assert_swedish(page)
    page.get_by_label("Vad heter den befintliga kopplingen?").fill("Gammalt relä")
    continue_(page)

    expect(page.locator("h1")).to_have_text("Vilken e-postserver skickar från kundens organisation till Office 365?")
    assert_swedish(page)
    page.get_by_label("Exchange Server 2019").check()
    continue_(page)

    # Two questions on this page since issue 21 item 5 (which server connects): the step's title is the h1.
    expect(page.locator("h1")).to_have_text("Hur Exchange är anslutet")
    text = assert_swedish(page)
    assert "Konfigurerades anslutningen till Office 365 med hybridkonfigurationsguiden (HCW)?" in text
    assert "Vilken Exchange-server ansluter till Office 365?" in text
    page.get_by_label("Nej, kopplingarna konfigurerades manuellt").check()
    page.get_by_label("Postlådeservrarna själva (FrontendProxyEnabled False)").check()
    continue_(page)

    expect(page.locator("h1")).to_have_text("Servernamn och MX-slutpunkt")
    text = assert_swedish(page)
    assert "administrationscentret för Microsoft 365: Inställningar > Domäner" in text
    page.get_by_label("Den sändande serverns fullständiga domännamn (FQDN)").fill("mail.contoso.com")
    page.get_by_label("Kundens MX-slutpunkt").fill("contoso-com.mail.protection.outlook.com")
    continue_(page)

    expect(page.locator("h1")).to_have_text("Ladda upp serverns certifikat")
    assert_swedish(page)
    page.get_by_label("Ladda upp certifikatfilen").set_input_files(str(cert_file))
    continue_(page)

    expect(page.locator("h1")).to_have_text("Kontrollera certifikatet")
    assert_swedish(page)
    expect(page.get_by_label(re.compile(r"^contoso\.com:"))).to_be_checked()
    continue_(page)

    expect(page.locator("h1")).to_have_text("Kontrollera dina svar")
    assert_swedish(page)
    page.get_by_role("button", name="Visa åtgärdsplanen").click()

    expect(page.locator("h1")).to_have_text("Din åtgärdsplan")
    text = assert_swedish(page)
    for term in ("Det här gör du", "I det nya administrationscentret för Exchange:",
                 "Gå till E-postflöde > Kopplingar och välj ”Lägg till en koppling”.",
                 "Anslutning från: Organisationens e-postserver. Anslutning till: Office 365.",
                 "Markera ”Behåll interna Exchange-e-postrubriker (rekommenderas)”.",
                 "Steg 3: Testa reläet", "Steg 4: Avveckla den IP-baserade kopplingen ”Gammalt relä”"):
        assert term in text, term
    # Code keeps cmdlets and parameters; only its comments are Swedish.
    code = "\n".join(page.locator(".checklist pre").all_inner_texts())
    assert "New-InboundConnector" in code and "-TlsSenderCertificateName 'contoso.com'" in code
    assert "# Själva ändringen." in code
    reference = page.locator(".caption").inner_text().split()[-1]

    # The PDF link of a Swedish page asks for lang=sv and gives a Swedish PDF.
    swedish_pdf = page.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    assert "lang=sv" in swedish_pdf
    text = pdf_text(page, live_server + swedish_pdf, tmp_path, "sv.pdf")
    for term in (f"Ärende {reference}", "Åtgärdsplan för relä via Office 365 med ett certifikat",
                 "regeluppsättning", "Det här gör du", "Behåll interna Exchange-e-postrubriker (rekommenderas)",
                 "E-postflöde > Kopplingar"):
        assert term in text, term
    for english in ("Remediation plan", "ruleset", "What to do", "Mail flow > Connectors", "Check your answers"):
        assert english not in text, english

    # The other language's link gives the English PDF: the language follows the link, not the cookie.
    english_pdf = page.get_by_role("link", name="PDF in English", exact=True).get_attribute("href")
    assert "lang=en" in english_pdf
    text = pdf_text(page, live_server + english_pdf, tmp_path, "en.pdf")
    assert "Remediation plan" in text and "Åtgärdsplan" not in text

    # The PowerShell download follows the page's language in its comments.
    script = page.request.get(live_server + page.get_by_role("link", name="PowerShell-skript", exact=True)
                              .get_attribute("href")).text()
    assert "# Steg 1: " in script and "New-InboundConnector" in script
