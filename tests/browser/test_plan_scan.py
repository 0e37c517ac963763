"""Issue 24 in Chromium at 1280 x 800: the plan's first screen is its answer, copies take one thing, paper
shows what the screen folds away, and /audit lands on its result. Screenshots under $SHOTS_DIR/plan/."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.audit.blocks import certificate_object
from tests.audit.test_rules import H, paste
from tests.browser.pages import BLOCKED_PEM, READY_PEM, Site

pytestmark = pytest.mark.browser
SCREEN = {"width": 1280, "height": 800}
FIRST_COMMAND = """() => { for (const pre of document.querySelectorAll('.checklist pre')) {
  const box = pre.getBoundingClientRect(); if (box.height > 0) { return box.top + scrollY; } } return null; }"""


@pytest.fixture
def shots(shots_dir):
    folder = shots_dir / "plan"
    folder.mkdir(exist_ok=True)
    return folder


def test_a_ready_plan_is_at_most_4500_px_with_its_first_command_within_two_screens(page: Page, live_server,
                                                                                      live_app, shots):
    page.set_viewport_size(SCREEN)
    Site(page, live_server, live_app).result(READY_PEM)
    page.screenshot(path=str(shots / "ready-1280.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollHeight") <= 4500
    assert page.evaluate(FIRST_COMMAND) <= 2 * SCREEN["height"]
    expect(page.locator("#plan-verdict")).to_contain_text("Nothing blocks the relay")
    assert page.locator("#plan-verdict").bounding_box()["y"] < SCREEN["height"]


def test_a_blocked_plan_names_its_blocker_on_the_first_screen(page: Page, live_server, live_app, shots):
    page.set_viewport_size(SCREEN)
    Site(page, live_server, live_app).result(BLOCKED_PEM)
    page.screenshot(path=str(shots / "blocked-first-screen.png"))
    verdict = page.locator("#plan-verdict")
    expect(verdict).to_contain_text("Blocked")
    expect(verdict).to_contain_text("The certificate has expired")
    box = page.locator(".plan-answer .blocker-message").bounding_box()
    assert box["y"] + box["height"] <= SCREEN["height"]


def test_no_copy_button_copies_a_dry_run_with_the_change(page: Page, live_server, live_app, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    Site(page, live_server, live_app).result(READY_PEM)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    copied = []
    for button in page.locator(".checklist [data-copy]").all():
        button.click()
        copied.append(page.evaluate("() => navigator.clipboard.readText()"))
    dry_runs = [text for text in copied if "-WhatIf" in text]
    assert len(dry_runs) >= 2  # the inbound and the send connector
    for text in copied:
        commands = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        previewed = {c.removesuffix(" -WhatIf") for c in commands if c.endswith(" -WhatIf")}
        assert not previewed & set(commands), text
        assert not previewed or len(commands) == 1, text


def test_paper_shows_every_folded_step(page: Page, live_server, live_app):
    Site(page, live_server, live_app).result(READY_PEM)
    closed = page.locator("details.step:not([open]) pre").first
    expect(closed).to_be_hidden()
    page.emulate_media(media="print")
    expect(closed).to_be_visible()
    expect(page.locator("details.section:not([open]) .facts-table")).to_be_visible()


def test_checking_the_configuration_lands_on_the_result(page: Page, live_server, shots):
    page.set_viewport_size(SCREEN)
    page.goto(live_server + "/audit")
    page.get_by_label("Paste the output").fill(paste(server={"require_tls": "False",
                                                              "certificates": certificate_object(H, services="IIS")}))
    page.get_by_role("button", name="Check the configuration").click()
    result = page.locator("#audit-result")
    expect(result).to_be_focused()
    expect(result).to_be_in_viewport()
    page.screenshot(path=str(shots / "audit-after-check.png"))


def test_an_audit_with_errors_stays_on_the_error_summary(page: Page, live_server):
    page.goto(live_server + "/audit")
    page.get_by_role("button", name="Check the configuration").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.evaluate("scrollY") < 400


def test_the_file_chooser_button_wears_the_house_style(page: Page, live_server, live_app):
    """Issue 24, cosmetic: an unstyled native file button."""
    Site(page, live_server, live_app).walk("certificate")
    page.goto(live_server + "/wizard/certificate")
    style = page.locator("input[type=file]").first.evaluate(
        "e => { const s = getComputedStyle(e, '::file-selector-button'); return [s.backgroundColor, s.fontWeight]; }")
    assert style == ["rgb(227, 231, 236)", "700"]


BROKEN_WORDS = """(words) => { const hits = []; const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n; while ((n = walker.nextNode())) { for (const w of words) { let i = n.data.indexOf(w); while (i >= 0) {
    const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w.length);
    if (new Set(Array.from(r.getClientRects()).filter(b => b.width > 0).map(b => Math.round(b.top))).size > 1) {
      hits.push(w); }
    i = n.data.indexOf(w, i + 1); } } } return hits; }"""


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_parameter_and_cmdlet_names_never_break_inside(page: Page, live_server, live_app, width):
    """Issue 24, cosmetic: "TlsSenderCertificateNa/me" and "Get-/AcceptedDomain" broke mid-word."""
    page.set_viewport_size({"width": width, "height": 800})
    site = Site(page, live_server, live_app)
    site.result(READY_PEM)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    words = ["TlsSenderCertificateName", "Get-AcceptedDomain"]
    assert page.evaluate(BROKEN_WORDS, words) == []
    site.goto("/wizard/domains")
    assert page.evaluate(BROKEN_WORDS, words) == []
