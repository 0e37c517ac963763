"""The wizard from the start page to the plan with the keyboard alone, and with JavaScript off.

Keyboard: Tab, Space, Enter and the arrow keys only (and typing). After a submit
with errors, focus lands on the error summary; its link takes focus to the field.
Without JavaScript: every page works, and nothing is shown that needs the script
(a Copy button, a link to "#").
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import ANSWERS, PAGES, READY_PEM, Site, seed

pytestmark = pytest.mark.browser

MAX_TABS = 80
STATES = dict(PAGES)
OTHER_PAGES_WITH_CODE = ("renewal: results", "staff case: link shown", "read-only report", "audit: results",
                         "case audit: result", "probe: result", "staff expiring: calendar address shown",
                         "staff case: calendar address shown")

FOCUSED = """() => { const e = document.activeElement;
  return e ? {tag: e.tagName.toLowerCase(), name: e.name || "", value: e.value || "", type: e.type || "",
              cls: e.className || "", text: (e.innerText || "").trim().slice(0, 60)} : null; }"""


def tab_to(page: Page, matches) -> dict:
    """Press Tab until the focused element satisfies ``matches(focused)``; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the control on {page.url}")


def focused_on_error_summary(page: Page) -> bool:
    return page.evaluate("() => document.activeElement.classList.contains('error-summary')")


def key_in(page: Page, fields: dict) -> None:
    """Answer a question page with the keyboard: arrows in radio groups, Space on check boxes, typing in boxes."""
    for name, value in fields.items():
        if isinstance(value, list):
            for wanted in value:
                tab_to(page, lambda f, n=name, w=wanted: f["name"] == n and f["value"] == w)
                page.keyboard.press("Space")
            continue
        focused = tab_to(page, lambda f, n=name: f["name"] == n)
        if focused["type"] == "radio":
            page.keyboard.press("Space")
            for _ in range(12):
                if page.evaluate(FOCUSED)["value"] == value:
                    break
                page.keyboard.press("ArrowDown")
            assert page.evaluate(FOCUSED)["value"] == value, f"no option {value} for {name}"
        else:
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(value)


def press_continue(page: Page) -> None:
    tab_to(page, lambda f: f["tag"] == "button" and f["type"] == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def not_found(page: Page) -> list[str]:
    """Addresses the browser asked for on its own (an icon, a stylesheet) that answered 404, from now on."""
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    return missing


def test_keyboard_only_from_start_to_plan(page: Page, live_server, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    missing = not_found(page)
    page.goto(live_server + "/")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Start now")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Continue with nothing answered: focus lands on the summary, its first link leads to the field.
    press_continue(page)
    expect(page.locator(".error-summary")).to_be_visible()
    assert focused_on_error_summary(page)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["tag"] == "a"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["name"] == "role"

    answered_wrongly = False
    for _ in range(2 * len(ANSWERS)):
        step = page.url.rsplit("/wizard/", 1)[-1].split("?")[0]
        if step == "check":
            break
        if step == "domains" and not answered_wrongly:
            # A refused line: the summary takes focus again.
            key_in(page, {"accepted_domains": "contoso"})
            press_continue(page)
            assert focused_on_error_summary(page)
            answered_wrongly = True
        fields = {"certificate_text": READY_PEM} if step == "certificate" else ANSWERS[step]
        key_in(page, fields)
        press_continue(page)
    expect(page.locator("h1")).to_have_text("Check your answers")
    press_continue(page)

    expect(page.locator("h1")).to_have_text("Your remediation plan")
    assert answered_wrongly
    tab_to(page, lambda f: f["tag"] == "button" and f["text"].startswith("Copy"))
    page.keyboard.press("Enter")
    expect(page.locator("#live-status")).to_have_text("Copied")
    # The first Copy on the plan is the first step's first command block: one thing, never a dry run with its change.
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Connect-ExchangeOnline" in copied and "-WhatIf" not in copied
    assert not missing


def dead_controls(page: Page) -> list[str]:
    """Shown controls that cannot do anything without JavaScript."""
    return page.evaluate("""() => [...document.querySelectorAll("button, a, [role=button], [tabindex]")]
      .filter(e => e.offsetParent !== null || e.getClientRects().length)
      .filter(e => (e.tagName === "BUTTON" && (e.type !== "submit" || !e.form))
                   || (e.tagName === "A" && /^(#|javascript:)?$/i.test((e.getAttribute("href") || "").trim()))
                   || e.hasAttribute("data-copy"))
      .map(e => e.outerHTML.slice(0, 120))""")


def test_without_javascript_every_page_works_and_shows_no_dead_control(browser, live_server, live_app):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    missing = not_found(page)
    seen = []

    def look() -> None:
        assert not dead_controls(page), f"{page.url} shows controls that need JavaScript: {dead_controls(page)}"
        seen.append(page.url)

    page.goto(live_server + "/")
    look()
    page.get_by_role("button", name="Start now").click()
    look()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_be_visible()
    look()
    for _ in range(2 * len(ANSWERS)):
        step = page.url.rsplit("/wizard/", 1)[-1].split("?")[0]
        if step == "check":
            break
        for name, value in ANSWERS[step].items():
            fill(page, name, value)
        page.get_by_role("button", name="Continue").click()
        look()
    page.get_by_role("button", name="Show the remediation plan").click()
    expect(page.locator("h1")).to_have_text("Your remediation plan")
    look()
    site = Site(page, live_server, live_app)
    assert page.locator("[data-copy]").count() > 0 and not page.locator("[data-copy]:visible").count()
    for href in [page.get_by_role("link", name=re.compile("^Download")).nth(i).get_attribute("href")
                 for i in range(page.get_by_role("link", name=re.compile("^Download")).count())]:
        assert page.request.get(live_server + href).ok, href
    site.seeded = seed(live_app)
    for name in OTHER_PAGES_WITH_CODE:
        context.clear_cookies()
        STATES[name](site)
        look()
    assert len(seen) >= 12 + len(OTHER_PAGES_WITH_CODE)
    assert not missing
    context.close()


def fill(page: Page, name: str, value) -> None:
    for wanted in value if isinstance(value, list) else [value]:
        field = page.locator(f"[name='{name}']")
        kind = field.first.get_attribute("type")
        if kind in ("radio", "checkbox"):
            page.locator(f"[name='{name}'][value='{wanted}']").check()
        else:
            field.fill(wanted)
