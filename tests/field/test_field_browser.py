"""The plan's proof step walked in Chromium with a real header set from the corpus."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.field.corpus import SAMPLES
from tests.staff.conftest import make_case

pytestmark = pytest.mark.browser


@pytest.fixture
def axis_case(live_app) -> tuple[str, str]:
    with live_app.app_context():
        case = make_case("Axis Communications", ["axis.com"])
        reference, token = case.reference, case.secret_token
        db.session.remove()
    return reference, token


def test_the_proof_step_reads_a_real_relayed_message(page: Page, live_server, axis_case, shots_dir):
    ref, token = axis_case
    page.goto(f"{live_server}/resume/{token}")
    page.get_by_role("button", name=f"Open case {ref}").click()  # a secret link asks before it opens a case
    page.goto(f"{live_server}/cases/{ref}")
    # The plan folds each step but the first open one (issue 24): open the verify step as a reader would.
    page.locator("li.checklist-item:has(.audit-test-step) > details > summary").click()
    step = page.locator(".audit-test-step")
    expect(step).to_be_visible()
    step.scroll_into_view_if_needed()
    page.screenshot(path=str(shots_dir / "field-plan-proof-step.png"), full_page=False)
    step.locator(f"a[href$='/cases/{ref}/headers']").click()
    headers = (SAMPLES / "headers" / "relay-axis-pci.txt").read_text(encoding="utf-8")
    page.get_by_label("Paste the message headers").fill(headers)
    page.get_by_role("button", name="Read the headers").click()
    result = page.locator("#headers-result")
    expect(result.locator("h2")).to_have_text("Attributed to your tenant, but not proven to be by the certificate")
    expect(result).to_contain_text("78703d3c-b907-432f-b066-88f7af9ca3af")
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(shots_dir / "field-headers-axis.png"), full_page=True)


def test_the_audit_page_reads_a_real_certificate_list(page: Page, live_server, shots_dir):
    paste = (SAMPLES / "config" / "blog-allford-certificate-fl-rootcatype-registry.txt").read_text(encoding="utf-8")
    page.goto(f"{live_server}/audit")
    page.get_by_label("Paste the output").fill(paste)
    page.get_by_role("button", name="Check the configuration").click()
    main = page.locator("main")
    expect(main).to_contain_text("QuoVadis")
    expect(main).to_contain_text("Registry")
    page.screenshot(path=str(shots_dir / "field-audit-allford.png"), full_page=True)
