"""A new user walks the whole wizard in Chromium, with axe-core on every page."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.certfactory import make_hierarchy, to_pem

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
AXE = Axe()


def assert_accessible(page: Page) -> None:
    results = AXE.run(page, options=WCAG)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def test_a_new_user_walks_the_wizard_changes_an_answer_and_resumes(page: Page, live_server, tmp_path, browser):
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    cert_file = tmp_path / "server.pem"
    cert_file.write_bytes(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))

    page.goto(live_server + "/")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()

    # An error first, as people make them: the summary links to the field.
    assert_accessible(page)
    continue_(page)
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".error-summary")).to_contain_text("Enter the organization's name")
    assert_accessible(page)
    page.get_by_label("A help-desk agent, working for a customer").check()
    page.get_by_label("Organization name").fill("Contoso Ltd")
    page.get_by_label("Ticket number (optional)").fill("INC-4711")
    continue_(page)

    expect(page.locator(".caption")).to_contain_text("Step 2 of")
    assert_accessible(page)
    page.get_by_label("The customer's server forwards messages to external addresses").check()
    continue_(page)

    assert_accessible(page)
    page.get_by_label("What are the customer's accepted domains?").fill("contoso.com\nfabrikam.com")
    continue_(page)

    assert_accessible(page)
    page.get_by_label("Yes, one that identifies the customer's server by its IP address").check()
    continue_(page)

    assert_accessible(page)
    page.get_by_label("What is the existing connector called?").fill("Legacy relay")
    continue_(page)

    assert_accessible(page)
    page.get_by_label("Exchange Server 2019").check()
    continue_(page)

    assert_accessible(page)
    page.get_by_label("No, the connectors were set up by hand").check()
    page.get_by_label("The Mailbox servers themselves (FrontendProxyEnabled False)").check()
    continue_(page)

    assert_accessible(page)
    page.get_by_label("Sending server's fully qualified domain name").fill("mail.contoso.com")
    page.get_by_label("The customer's MX endpoint").fill("contoso-com.mail.protection.outlook.com")
    continue_(page)

    assert_accessible(page)
    page.get_by_label("Upload the certificate file").set_input_files(str(cert_file))
    continue_(page)

    expect(page.locator("h1")).to_have_text("Check the certificate")
    assert_accessible(page)
    expect(page.get_by_label(re.compile(r"^contoso\.com:"))).to_be_checked()
    continue_(page)

    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Change Which mail server")).click()
    page.get_by_label("Postfix").check()
    continue_(page)
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator(".summary-list")).to_contain_text("Postfix")
    page.get_by_role("button", name="Show the remediation plan").click()

    expect(page.locator("h1")).to_have_text("Your remediation plan")
    assert_accessible(page)
    expect(page.locator(".checklist")).to_contain_text("relayhost = [contoso-com.mail.protection.outlook.com]:25")
    reference = page.locator(".caption").inner_text().split()[-1]
    resume_link = next(text for text in page.locator("pre code").all_inner_texts() if "/resume/" in text)

    # The browser is closed; a fresh one opens the case from its link.
    fresh = browser.new_context()
    other = fresh.new_page()
    other.goto(live_server + f"/cases/{reference}")
    expect(other.locator("h1")).to_have_text("This case is not open in this browser")
    other.goto(resume_link)
    other.get_by_role("button", name=f"Open case {reference}").click()  # a link asks before it opens a case
    expect(other.locator("h1")).to_have_text("Your remediation plan")
    expect(other.locator(".caption")).to_contain_text(reference)
    fresh.close()


def test_result_page_prints_and_copies(page: Page, live_server, tmp_path, browser):
    """The printed result page hides navigation and buttons; copy buttons appear with JavaScript."""
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    page.goto(live_server + "/wizard/start")
    page.get_by_label("The customer's own administrator").check()
    page.get_by_label("Organization name").fill("Fabrikam")
    continue_(page)
    page.get_by_label("None of these").check()
    continue_(page)
    expect(page.locator("h1")).to_have_text("You don't need to change anything")
    assert_accessible(page)
    page.get_by_role("button", name="Continue to set one up").click()
    page.get_by_label("What are your organization's accepted domains?").fill("contoso.com")
    continue_(page)
    page.get_by_label("No, there is no connector from our server yet").check()
    continue_(page)
    page.get_by_label("Exchange Server Subscription Edition (SE)").check()
    continue_(page)
    page.get_by_label("No, the connectors were set up by hand").check()  # "Yes" with no connector is questioned
    page.get_by_label("An Edge Transport server").check()
    continue_(page)
    page.get_by_label("Sending server's fully qualified domain name").fill("mail.contoso.com")
    page.get_by_role("button", name=re.compile(r"^Use ")).click()
    expect(page.locator(".inset-warning[role=status]")).to_contain_text("It is only a guess")  # filled in, not saved
    continue_(page)
    page.get_by_label("Or paste the certificate (PEM)").fill(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode())
    continue_(page)
    continue_(page)
    page.get_by_role("button", name="Show the remediation plan").click()
    expect(page.locator("[data-copy]").first).to_be_visible()

    pdf = tmp_path / "printed.pdf"
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".copy-button").first).to_be_hidden()
    page.pdf(path=str(pdf), format="A4")
    page.screenshot(path=str(tmp_path / "printed.png"), full_page=True)
    assert pdf.stat().st_size > 10_000
