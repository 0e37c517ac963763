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


def test_the_case_list_shows_every_column_at_1280_pixels(page: Page, live_server, live_app, shots_dir):
    """Issue 24, item 6: "Last change" hid in a sideways box with no visible scrollbar."""
    from app.extensions import db
    from tests.staff.conftest import make_case
    page.set_viewport_size({"width": 1280, "height": 800})
    site = Site(page, live_server, live_app, seed(live_app))
    with live_app.app_context():
        case = make_case("Northwind Traders International Holdings Ltd",
                         ["northwindtraders.com", "northwind-international.com", "mail.northwindtraders.co.uk"])
        case.owner_id = 1
        db.session.commit()
        db.session.remove()
    site.sign_in(ADMIN_EMAIL)
    site.goto("/staff/cases")
    page.screenshot(path=str(shots_dir / "staff-cases-1280.png"), full_page=True)
    box = page.locator(".table-scroll")
    assert box.evaluate("e => e.scrollWidth - e.clientWidth") <= 0, "the table scrolls sideways"
    last = page.locator(".case-table thead th").last
    assert last.inner_text() == "Last change" and last.bounding_box()["x"] + last.bounding_box()["width"] <= 1280


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_header_links_sit_beside_the_site_name_at_1280_pixels(page: Page, live_server, live_app, language):
    """Issue 24, cosmetic: the header's links stacked under the site name (the e-mail made the row too long)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    site = Site(page, live_server, live_app, seed(live_app))
    site.sign_in(ADMIN_EMAIL)
    site.goto("/staff/cases" + ("?lang=sv" if language == "sv" else ""))
    name = page.locator(".site-name").evaluate(BOX)
    links = page.locator(".header-nav").evaluate(BOX)
    assert links["top"] < name["bottom"] and links["left"] >= name["right"], (name, links)
    assert ADMIN_EMAIL in page.locator(".signed-in-as").inner_text()
    assert ADMIN_EMAIL in page.locator(".sign-out button").text_content()  # said to a screen reader


def test_the_case_filters_line_up_at_1280_pixels(page: Page, live_server, live_app):
    """Issue 24, cosmetic: the filter fields were misaligned, of four widths on two rows."""
    page.set_viewport_size({"width": 1280, "height": 800})
    site = Site(page, live_server, live_app, seed(live_app))
    site.sign_in(ADMIN_EMAIL)
    site.goto("/staff/cases")
    fields = [page.locator(f".search-form #{name}").evaluate(BOX) for name in ("q", "verdict", "server", "resolved")]
    button = page.locator(".search-form button").evaluate(BOX)
    assert len({round(box["bottom"]) for box in fields}) == 1, fields
    assert abs(button["bottom"] - fields[0]["bottom"]) <= 4, (button, fields[0])
    widths = [round(box["right"] - box["left"]) for box in fields[1:]]
    assert max(widths) - min(widths) <= 2, widths
