"""The devices chooser and the renewal check in Chromium, with axe-core on every page."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_wizard_browser import assert_accessible
from tests.certfactory import DAY, NOW, make_hierarchy, make_intermediate, make_leaf, to_pem

pytestmark = pytest.mark.browser


def test_the_devices_chooser_walks_to_a_recommendation(page: Page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Compare the ways such devices can send mail").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_contain_text("Select who the device sends mail to")
    assert_accessible(page)
    for answer in ("Also people outside my organization", "No", "No"):
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue").click()
        assert_accessible(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Recommended: Relay through an IP-based connector")
    steps = page.locator("main ol").first  # issue 24, item 15: the steps read as numbered
    assert steps.evaluate("e => getComputedStyle(e).listStyleType") == "decimal"
    assert steps.locator("li").count() >= 3
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    expect(page.locator("h1")).to_have_text("Does the device send from a public IP address that only your "
                                            "organization uses?")
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()


def test_the_renewal_check_for_a_hybrid_exchange_server(page: Page, live_server):
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    other = make_intermediate(hierarchy.root, "Other Issuing CA")
    new = make_leaf(other, "mail.contoso.com", sans=["mail.contoso.com"], not_after=NOW + 400 * DAY)
    page.goto(live_server + "/renewal")
    page.get_by_label("Exchange Server 2019").check()
    page.get_by_label("Yes, by the Hybrid Configuration Wizard").check()
    page.get_by_label("Or paste the certificate in use now (PEM)").fill(
        to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert).decode())
    page.get_by_label("Or paste the replacement certificate (PEM)").fill(to_pem(new.cert, other.cert).decode())
    page.get_by_label("Certificate domain on the Exchange Online connector").fill("mail.contoso.com")
    page.get_by_role("button", name="Compare the certificates").click()
    result = page.locator("#renewal-result")
    expect(result).to_contain_text("Point the hybrid connectors at the new certificate")
    expect(result).to_contain_text("Default Frontend")
    assert_accessible(page)
    # Nothing runs past the page's column: the change list wraps long thumbprints.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
