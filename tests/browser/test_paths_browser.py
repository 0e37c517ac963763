"""Chromium walks of the paths that used to dead-end (issue 10, items 1 and 4).

Screenshots go to $SHOTS_DIR when it is set (for a person to look at), else to
the test's temporary folder.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_wizard_browser import assert_accessible, continue_
from tests.certfactory import make_hierarchy, make_leaf, to_pem

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(shots_dir) -> Path:
    return shots_dir


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def answer_up_to_the_certificate(page: Page, live_server: str) -> None:
    page.goto(live_server + "/wizard/start")
    page.get_by_label("The customer's own administrator").check()
    page.get_by_label("Organization name").fill("Contoso Ltd")
    continue_(page)
    page.get_by_label("Non-delivery reports (NDRs) or out-of-office replies").check()
    continue_(page)
    page.get_by_label("What are your organization's accepted domains?").fill("contoso.com\nfabrikam.com")
    continue_(page)
    page.get_by_label("No, there is no connector from our server yet").check()
    continue_(page)
    page.get_by_label("Exchange Server 2019").check()
    continue_(page)
    page.get_by_label("No, the connectors were set up by hand").check()
    page.get_by_label("The Mailbox servers themselves (FrontendProxyEnabled False)").check()
    continue_(page)
    page.get_by_label("Sending server's fully qualified domain name").fill("mail.contoso.com")
    page.get_by_label("Your tenant's MX endpoint").fill("contoso-com.mail.protection.outlook.com")
    continue_(page)


def finish_and_collect(page: Page, folder: Path, prefix: str, live_server: str) -> str:
    """From the check page to the plan; screenshots of both, the printed page and the PDF's pages."""
    expect(page.locator("h1")).to_have_text("Check your answers")
    shoot(page, folder, f"{prefix}-4-check")
    page.get_by_role("button", name="Show the remediation plan").click()
    expect(page.locator("h1")).to_have_text("Your remediation plan")
    assert_accessible(page)
    shoot(page, folder, f"{prefix}-5-plan")
    reference = page.locator(".caption").inner_text().split()[-1]
    pdf = page.request.get(f"{live_server}/cases/{reference}/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    (folder / f"{prefix}-plan.pdf").write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(folder / f"{prefix}-plan.pdf"), str(folder / f"{prefix}-7-pdf")],
                   check=True)
    page.emulate_media(media="print")
    shoot(page, folder, f"{prefix}-6-printed")
    page.emulate_media(media="screen")
    return page.locator(".checklist").inner_text()


def test_no_name_fits_walks_to_a_plan_that_leads_with_the_fix(page: Page, live_server, tmp_path, shots):
    h = make_hierarchy()
    cert = tmp_path / "fabrikam-net.pem"
    cert.write_bytes(to_pem(make_leaf(h.intermediate, "mail.fabrikam.net").cert, h.intermediate.cert))
    answer_up_to_the_certificate(page, live_server)
    expect(page.locator(".caption")).to_have_text("Step 9 of 10")  # no connector: its name's step is passed over
    shoot(page, shots, "no-fit-1-certificate")
    page.get_by_label("Upload the certificate file").set_input_files(str(cert))
    continue_(page)

    expect(page.locator("h1")).to_have_text("Check the certificate")
    expect(page.locator(".caption")).to_have_text("Step 10 of 10")
    expect(page.get_by_role("heading", name="No name on this certificate works yet")).to_be_visible()
    radio = page.get_by_label(re.compile(r"^mail\.fabrikam\.net: after you add mail\.fabrikam\.net"))
    expect(radio).to_be_checked()
    assert_accessible(page)
    shoot(page, shots, "no-fit-2-connector-domain")
    continue_(page)
    shoot(page, shots, "no-fit-3-after-continue")

    checklist = finish_and_collect(page, shots, "no-fit", live_server)
    assert checklist.index("Add mail.fabrikam.net to Microsoft 365 as a domain") < checklist.index("Step 1:")
    assert "Or get a certificate whose CN or SAN holds one of your accepted domains" in checklist
    expect(page.locator("#plan-verdict")).to_contain_text("No name on the certificate is one of your accepted domains")
    expect(page.locator(".plan-answer .first-step")).to_contain_text("First: Add mail.fabrikam.net")


def test_internal_name_walks_to_a_plan_that_asks_for_a_public_name(page: Page, live_server, tmp_path, shots):
    h = make_hierarchy()
    cert = tmp_path / "contoso-local.pem"
    cert.write_bytes(to_pem(make_leaf(h.intermediate, "mail.contoso.local").cert, h.intermediate.cert))
    answer_up_to_the_certificate(page, live_server)
    page.get_by_label("Upload the certificate file").set_input_files(str(cert))
    continue_(page)

    expect(page.locator("h1")).to_have_text("Check the certificate")
    expect(page.get_by_role("heading", name="No name on this certificate can be used")).to_be_visible()
    expect(page.locator(".findings")).to_contain_text("No public CA issues a certificate for them")
    expect(page.get_by_role("radio")).to_have_count(0)
    assert_accessible(page)
    shoot(page, shots, "internal-2-connector-domain")
    continue_(page)

    checklist = finish_and_collect(page, shots, "internal", live_server)
    assert checklist.startswith("Before step 1: Get a certificate whose name is one of your accepted domains")
    for advice in ("Add mail.contoso.local", "enter mail.contoso.local", "contoso.local as"):
        assert advice not in checklist


def test_not_affected_is_an_end_that_offers_to_go_on(page: Page, live_server, shots):
    page.goto(live_server + "/wizard/start")
    page.get_by_label("A help-desk agent, working for a customer").check()
    page.get_by_label("Organization name").fill("Fabrikam")
    continue_(page)
    page.get_by_label("None of these").check()
    continue_(page)
    expect(page.locator("h1")).to_have_text("You don't need to change anything")
    expect(page.locator(".caption")).to_have_text(re.compile(r"^Case KB-"))
    assert_accessible(page)
    shoot(page, shots, "not-affected")
    page.get_by_role("button", name="Continue to set one up").click()
    expect(page.locator(".caption")).to_have_text("Step 3 of 10")
