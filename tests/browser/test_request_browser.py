"""Chromium walks of issue 25: a signing request on the certificate step, and blocked plans that lead with
the request (English and Swedish). Screenshots go to $SHOTS_DIR when it is set."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_paths_browser import answer_up_to_the_certificate, shoot
from tests.browser.test_wizard_browser import assert_accessible, continue_
from tests.certfactory import make_hierarchy, make_key, make_leaf, make_request, make_root, request_pem, to_pem

pytestmark = pytest.mark.browser


def test_a_signing_request_is_checked_on_the_certificate_step(page: Page, live_server, tmp_path, shots_dir):
    request = tmp_path / "relay.req"
    request.write_bytes(request_pem(make_request("mail.contoso.com", key=make_key("rsa", 1024))))
    answer_up_to_the_certificate(page, live_server)
    page.get_by_label("Upload the certificate file").set_input_files(str(request))
    continue_(page)
    section = page.locator("#request-check")
    expect(section).to_contain_text("This is a signing request, not a certificate")
    expect(section.locator('[data-code="weak_key"]')).to_contain_text("Make a new request")
    expect(section).to_contain_text("mail.contoso.com")
    expect(page.locator("h1")).to_have_text("Upload the server's certificate")  # still the same step: nothing saved
    assert_accessible(page)
    shoot(page, shots_dir, "request-1-csr-checked")


@pytest.mark.parametrize("name,cn", [("internal", "exchange01.contoso.local"), ("private-ca", None)])
def test_blocked_plans_lead_with_the_request_in_english_and_swedish(page: Page, live_server, tmp_path, shots_dir,
                                                                    name, cn):
    h = make_hierarchy()
    if cn:
        pem = to_pem(make_leaf(h.intermediate, cn).cert, h.intermediate.cert)
    else:  # a certificate from the organization's own CA: a root Microsoft's program does not hold
        own_root = make_root("Contoso Internal Root CA")
        pem = to_pem(make_leaf(own_root, "mail.contoso.com", sans=["mail.contoso.com"]).cert, own_root.cert)
    cert = tmp_path / "server.pem"
    cert.write_bytes(pem)
    answer_up_to_the_certificate(page, live_server)
    page.get_by_label("Upload the certificate file").set_input_files(str(cert))
    continue_(page)
    if page.locator("h1").inner_text() == "Check the certificate":
        continue_(page)
    page.get_by_role("button", name="Show the remediation plan").click()
    expect(page.locator("h1")).to_have_text("Your remediation plan")
    first = page.locator(".checklist-item").first
    expect(first).to_contain_text("Request the certificate (Exchange Management Shell)")
    expect(first).to_contain_text("New-ExchangeCertificate -GenerateRequest")
    expect(first).to_contain_text("As of 2026-12-06")
    assert_accessible(page)
    shoot(page, shots_dir, f"request-2-{name}-plan-en")

    plan_url = page.url.removeprefix(live_server)
    page.goto(f"{live_server}/language/sv?next={plan_url}")
    first = page.locator(".checklist-item").first
    expect(first).to_contain_text("Begär certifikatet (Exchange Management Shell)")
    expect(first).to_contain_text("New-ExchangeCertificate -GenerateRequest")
    shoot(page, shots_dir, f"request-3-{name}-plan-sv")


def test_the_renewal_check_takes_a_signing_request(page: Page, live_server, tmp_path, shots_dir):
    h = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    current, request = tmp_path / "current.pem", tmp_path / "renewal.req"
    current.write_bytes(to_pem(h.leaf.cert, h.intermediate.cert))
    request.write_bytes(request_pem(make_request("smtp.contoso.com")))
    page.goto(live_server + "/renewal")
    page.get_by_label("Postfix").check()
    page.locator("#current_file").set_input_files(str(current))
    page.locator("#new_file").set_input_files(str(request))
    page.get_by_label("Certificate domain on the Exchange Online connector").fill("mail.contoso.com")
    page.get_by_label("Accepted domains (optional)").fill("contoso.com")
    page.get_by_role("button", name="Compare the certificates").click()
    section = page.locator("#renewal-request")
    expect(section).to_contain_text("The replacement is a signing request")
    expect(section).to_contain_text("The connector needs *.contoso.com")
    assert_accessible(page)
    section.scroll_into_view_if_needed()
    shoot(page, shots_dir, "request-4-renewal-csr")
