"""The result page in Chromium: how blocked steps look on screen and paper, and Copy without the Clipboard API."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import BLOCKED_PEM, READY_PEM, Site

pytestmark = pytest.mark.browser

STYLE = """(element) => { const style = getComputedStyle(element);
  return {color: style.color, weight: Number(style.fontWeight), background: style.backgroundColor}; }"""
ERROR_RED = "rgb(179, 38, 30)"  # --error in app.css
TEXT = "rgb(27, 31, 36)"        # --text


@pytest.mark.parametrize("media", ["screen", "print"])
def test_a_blocked_step_reads_as_text_with_only_its_tag_and_banner_in_colour(page: Page, live_server, live_app, media):
    Site(page, live_server, live_app).result(BLOCKED_PEM)
    page.emulate_media(media=media)
    blocked = page.locator(".checklist-item").filter(has=page.locator(".tag-blocked"))
    expect(blocked.first).to_be_visible()
    assert blocked.count() >= 2
    for item in blocked.all():
        if media == "screen":
            item.locator("summary").click()  # the step's body is behind its title until opened
        for body in item.locator("p:not(.waits-for), pre").all():
            style = body.evaluate(STYLE)
            assert style["color"] != ERROR_RED and style["weight"] < 600, (media, style, body.inner_text()[:60])
        for caption in item.locator("figcaption").all():
            assert caption.evaluate(STYLE)["color"] != ERROR_RED
        assert item.locator("h3").evaluate(STYLE)["color"] == TEXT
        banner = item.locator("p.waits-for")
        expect(banner).to_contain_text("Waits for: The certificate has expired")
        assert banner.evaluate("e => getComputedStyle(e).borderLeftColor") == ERROR_RED
        tag = item.locator(".tag-blocked").evaluate(STYLE)
        assert tag["background"] != "rgba(0, 0, 0, 0)" or media == "print"


def test_copy_without_the_clipboard_api_selects_the_text(page: Page, live_server, live_app):
    """Plain-http intranet hosts have no navigator.clipboard: the button stays and selects the code."""
    page.add_init_script("delete Navigator.prototype.clipboard;")
    Site(page, live_server, live_app).result(READY_PEM)
    button = page.locator(".checklist [data-copy]").first
    expect(button).to_be_visible()
    button.click()
    code = button.locator("xpath=..").locator("pre").inner_text()
    assert page.evaluate("() => window.getSelection().toString()").strip() == code.strip()
    expect(page.locator("#live-status")).to_have_text(
        "Copied" if page.evaluate("() => document.queryCommandSupported('copy')") else
        "Selected: copy it with Ctrl+C (⌘C on a Mac)")


def test_copy_says_copied_where_people_hear_it(page: Page, live_server, live_app, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    Site(page, live_server, live_app).result(READY_PEM)
    button = page.locator(".checklist [data-copy]").first
    button.click()
    expect(button).to_contain_text("Copied")
    expect(page.locator("#live-status")).to_have_text("Copied")
    assert page.locator("#live-status").get_attribute("role") == "status"
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == button.locator("xpath=..").locator("pre").inner_text().strip()
