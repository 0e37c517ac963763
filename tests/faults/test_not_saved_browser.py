"""In Chromium: a save the database refuses shows the not-saved page, which keeps the answer; once the
database takes writes again, its button saves it and the wizard goes on (issue 26, items 1 and 4)."""
from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.faults.test_half_saved import counts, first_answers_refused

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        "resultTypes": ["violations"]}


@pytest.mark.parametrize(("lang", "heading", "button"), [
    ("en", "Your answer was not saved", "Submit your answer again"),
    ("sv", None, "Skicka ditt svar igen"),
])
def test_the_not_saved_page_keeps_the_answer_and_submits_it_again(page: Page, live_app, live_server, shots_dir,
                                                                   lang, heading, button):
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    page.goto(live_server + "/wizard/start")
    page.locator("input[name=role]").first.check()
    page.locator("input[name=organization]").fill("Kept Answer AB")
    page.locator("input[name=ticket]").fill("INC-503")
    with first_answers_refused(live_app):
        page.locator("main form button[type=submit]").click()
        if heading:
            expect(page.locator("h1")).to_have_text(heading)
        page.screenshot(path=os.path.join(shots_dir, f"not-saved-{lang}.png"), full_page=True)
        results = Axe().run(page, options=WCAG)
        assert results.violations_count == 0, results.generate_report()
        assert counts(live_app) == (0, 0)
    page.get_by_role("button", name=button).click()
    expect(page).to_have_url(live_server + "/wizard/scenarios")
    assert counts(live_app) == (1, 1)
