"""The audit, the header reader and the probe in Chromium, in English and Swedish, with screenshots
under $SHOTS_DIR/audit/ (looked at by hand; the assertions check what a user reads and does)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.audit.blocks import TENANT, certificate_object
from tests.audit.conftest import fixture
from tests.audit.test_rules import H, HEALTHY, paste
from tests.certfactory import to_pem
from tests.staff.conftest import make_case

pytestmark = pytest.mark.browser

BROKEN = paste(server={"require_tls": "False", "certificates": certificate_object(H, services="IIS")})
# Interface words that must not show on a Swedish page (outside code, where cmdlets and values stay English).
ENGLISH = re.compile(r"(?<![\w-])(Continue|There is a problem|Must fix|Good to know|What we found|Evidence|Fix only"
                     r"|Download|Check what|Paste the|Result|Source|Proven|line \d)(?![\w-])")


@pytest.fixture(autouse=True)
def _screenshots_folder(shots_dir):
    global SHOTS
    SHOTS = shots_dir / "audit"
    SHOTS.mkdir(exist_ok=True)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visible_text(page: Page) -> str:
    return page.evaluate("""() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('pre, code, cite, script').forEach(e => e.remove()); return document.title + ' ' + b.textContent; }""")


@pytest.fixture
def reference(live_app) -> str:
    with live_app.app_context():
        case = make_case("Contoso Ltd", ["contoso.com", "mail.contoso.com"],
                         pem=to_pem(H.leaf.cert, H.intermediate.cert))
        reference, token = case.reference, case.secret_token
        db.session.remove()
    return reference, token


def test_an_admin_pastes_forum_output_and_gets_the_fixes(page: Page, live_server):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(live_server + "/")
    page.get_by_role("link", name="My relay stopped working: check what is configured now").click()
    expect(page.locator("h1")).to_have_text("Check what is configured now")
    page.get_by_role("button", name="Check the configuration").click()
    expect(page.locator(".error-summary")).to_contain_text("Paste the output of the collection script")
    shot(page, "en-audit-error-empty")
    page.get_by_label("Paste the output").fill("hello\nthis is not Get- output")
    page.get_by_role("button", name="Check the configuration").click()
    expect(page.locator(".error-summary")).to_contain_text("We could not read line 1 (hello)")
    page.locator(".error-summary a").first.click()
    expect(page.get_by_label("Paste the output")).to_be_focused()
    page.get_by_label("Paste the output").fill(fixture("exchange_online_hybrid.txt")
                                               + fixture("exchange_server_2016_hybrid.txt"))
    page.get_by_role("button", name="Check the configuration").click()
    expect(page.locator("#audit-result h2").first).to_contain_text("Blocked")
    expect(page.locator(".audit-findings")).to_contain_text("The smart host is the sign-in endpoint")
    expect(page.locator(".audit-findings")).to_contain_text("line 127")
    expect(page.locator("#audit-result .checklist")).to_contain_text("-RequireTLS $true -WhatIf")
    shot(page, "en-audit-result")
    assert [e for e in errors if "Failed to load resource" not in e] == []


def test_the_collection_script_downloads(page: Page, live_server):
    page.goto(live_server + "/audit")
    page.get_by_label("Exchange Server 2010").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the collection script").click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"\xef\xbb\xbf") and download.value.suggested_filename == "collect.ps1"


def test_a_case_is_audited_fixed_audited_again_and_proven(page: Page, live_server, reference):
    ref, token = reference
    page.goto(f"{live_server}/resume/{token}")
    page.locator("main form button").click()  # a link asks before it opens a case
    page.goto(f"{live_server}/cases/{ref}")
    page.get_by_role("link", name="Check what is configured now").click()
    expect(page.locator("h1")).to_have_text("Check what is configured now")
    shot(page, "en-case-audit-empty")
    page.get_by_label("Paste the output").fill(BROKEN)
    page.get_by_role("button", name="Check the configuration").click()
    expect(page.locator("h1")).to_have_text(f"Check 1 of case {ref}")
    expect(page.locator(".checklist")).to_contain_text("Enable-ExchangeCertificate")
    shot(page, "en-case-audit-1")
    page.get_by_role("link", name="Check again after the fix").click()
    page.get_by_label("Paste the output").fill(HEALTHY)
    page.get_by_role("button", name="Check the configuration").click()
    expect(page.locator("h1")).to_have_text(f"Check 2 of case {ref}")
    expect(page.locator("main")).to_contain_text("2 problems fixed")
    expect(page.locator("main")).to_contain_text("Every rule passed.")
    shot(page, "en-case-audit-2")
    page.goto(f"{live_server}/cases/{ref}/headers")
    page.get_by_label("Paste the message headers").fill(fixture("headers_relayed_ndr.txt"))
    page.get_by_label("Your tenant ID (optional)").fill(TENANT)
    page.get_by_role("button", name="Read the headers").click()
    expect(page.locator("#headers-result h2")).to_have_text(
        "Attributed to your tenant through the certificate connector")
    shot(page, "en-headers-proven")
    page.goto(f"{live_server}/cases/{ref}/audit")
    expect(page.locator("main")).to_contain_text("A test message proved the relay on")
    shot(page, "en-case-audit-history")


def test_a_swedish_admin_sees_swedish(page: Page, live_server, reference):
    ref, token = reference
    page.goto(f"{live_server}/resume/{token}")
    page.locator("main form button").click()  # a link asks before it opens a case
    page.goto(f"{live_server}/language/sv?next=/cases/{ref}/audit")
    expect(page.locator("h1")).to_have_text("Kontrollera det som är konfigurerat nu")
    page.get_by_role("button", name="Kontrollera konfigurationen").click()
    expect(page.locator(".error-summary")).to_contain_text("Klistra in utdata")
    assert not ENGLISH.search(visible_text(page)), ENGLISH.search(visible_text(page))
    shot(page, "sv-case-audit-error")
    page.get_by_label("Klistra in utdata").fill(BROKEN)
    page.get_by_role("button", name="Kontrollera konfigurationen").click()
    expect(page.locator("h1")).to_have_text(f"Kontroll 1 av ärende {ref}")
    text = visible_text(page)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert "TLS krävs inte på sändningskopplingen" in text and "Åtgärda bara det som är fel" in text
    shot(page, "sv-case-audit-1")
    page.goto(f"{live_server}/cases/{ref}/headers")
    page.get_by_label("Klistra in meddelandets rubriker").fill(fixture("headers_hotmail_incoming.txt"))
    page.get_by_role("button", name="Läs rubrikerna").click()
    expect(page.locator("#headers-result h2")).to_have_text("Inte tillskrivet din klientorganisation")
    assert not ENGLISH.search(visible_text(page))
    shot(page, "sv-headers-not-attributed")
    page.goto(f"{live_server}/probe")
    expect(page.locator("h1")).to_have_text("Läs certifikatet som servern presenterar")
    page.get_by_role("button", name="Läs certifikatet").click()
    expect(page.locator(".error-summary")).to_contain_text("Ange serverns värdnamn")
    shot(page, "sv-probe-error")
