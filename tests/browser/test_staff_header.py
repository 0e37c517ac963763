"""The staff header in Chromium: the sign-out button sits in the header's own row beside the language
link, on one line, and never slides under the navigation (issue 10, item 14)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.pages import ADMIN_EMAIL, Site, seed

pytestmark = pytest.mark.browser

BOX = "e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"


@pytest.mark.parametrize("width", [1280, 1024, 768])
def test_sign_out_sits_in_the_header_row_on_one_line(page: Page, live_server, live_app, width):
    page.set_viewport_size({"width": width, "height": 800})
    site = Site(page, live_server, live_app, seed(live_app))
    site.sign_in(ADMIN_EMAIL)  # the longest address of the seeded accounts
    site.goto("/staff/cases")
    button = page.locator(".sign-out button")
    header_row = page.locator(".site-header .header-row")
    box, row = button.evaluate(BOX), header_row.evaluate(BOX)
    assert row["top"] <= box["top"] and box["bottom"] <= row["bottom"], (box, row)
    line_height = float(button.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 0")) or 24
    padding = button.evaluate("e => parseFloat(getComputedStyle(e).paddingTop) + parseFloat(getComputedStyle(e).paddingBottom)")
    assert box["bottom"] - box["top"] - padding < 1.6 * line_height, "the button's text wrapped"
    nav = page.locator(".staff-nav").evaluate(BOX)
    assert box["bottom"] <= nav["top"] or box["top"] >= nav["bottom"] or box["right"] <= nav["left"], \
        "the button overlaps the workspace navigation"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
