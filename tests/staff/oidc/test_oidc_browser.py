"""In Chromium: sign in through the real provider's own pages, land on the case list with the mapped role,
sign out here and there; a refusal; axe-core on the new pages in English and Swedish."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE_RULES
from tests.staff.oidc.conftest import ACCOUNTS, ADMIN_SUB, NO_ROLE_SUB

pytestmark = pytest.mark.browser
AXE = Axe()
WAIT_MS = 30_000


def no_axe_violations(page, what: str) -> None:
    results = AXE.run(page, options=AXE_RULES)
    assert results.violations_count == 0, f"{what} at {page.url}:\n{results.generate_report()}"


@pytest.fixture
def interactive_provider(provider, live_server):
    """The provider knows the live server's address and shows its sign-in page (no automatic sign-in)."""
    provider.reset([live_server])
    provider.setup(auto_login=None)
    return provider


def sign_in_at_provider(page, live_server: str, sub: str, button: str = "Sign in with Microsoft") -> None:
    page.goto(f"{live_server}/staff/cases")
    page.get_by_role("link", name=button).click()
    expect(page.locator("h1")).to_have_text("Test provider: sign in", timeout=WAIT_MS)
    page.get_by_label("Account").select_option(sub)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_sign_in_through_the_provider_lands_on_the_case_list_with_the_mapped_role(
        page, live_server, interactive_provider, shots_dir):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/staff/cases")
    expect(page.locator("h1")).to_have_text("Sign in to the staff workspace")
    page.screenshot(path=str(shots_dir / "oidc-sign-in-page.png"), full_page=True)
    no_axe_violations(page, "the sign-in page with the provider's button")

    sign_in_at_provider(page, live_server, ADMIN_SUB)
    expect(page.locator("h1")).to_have_text("Cases", timeout=WAIT_MS)
    assert page.url == f"{live_server}/staff/cases"
    email = ACCOUNTS[ADMIN_SUB]["email"]
    expect(page.get_by_role("button", name=f"Sign out {email}")).to_be_visible()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()  # Wizard.Admin maps to the admin role
    page.screenshot(path=str(shots_dir / "oidc-landing-case-list.png"), full_page=True)

    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("tbody tr").first).to_contain_text("Signed in with the identity provider")

    page.get_by_role("button", name=f"Sign out {email}").click()
    expect(page.locator("h1")).to_have_text("You have signed out", timeout=WAIT_MS)
    no_axe_violations(page, "the signed-out page")
    page.screenshot(path=str(shots_dir / "oidc-signed-out.png"), full_page=True)
    page.get_by_role("link", name="Sign out at Microsoft").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page
    expect(page.locator("h1")).to_have_text("Sign in to the staff workspace", timeout=WAIT_MS)
    page.goto(f"{live_server}/staff/cases")
    expect(page.locator("h1")).to_have_text("Sign in to the staff workspace")
    assert not [e for e in errors if "Content Security Policy" in e]


@pytest.mark.parametrize("lang, button, heading", [
    ("en", "Sign in with Microsoft", "You could not be signed in"),
    ("sv", "Logga in med Microsoft", "Det gick inte att logga in dig"),
])
def test_a_person_without_a_role_sees_a_clear_refusal(page, live_server, interactive_provider, shots_dir,
                                                       lang, button, heading):
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    sign_in_at_provider(page, live_server, NO_ROLE_SUB, button)
    expect(page.locator("h1")).to_have_text(heading, timeout=WAIT_MS)
    expect(page.get_by_role("alert")).to_be_visible()
    page.screenshot(path=str(shots_dir / f"oidc-refused-{lang}.png"), full_page=True)
    no_axe_violations(page, f"the refusal page ({lang})")
    page.goto(f"{live_server}/staff/cases")
    assert "/staff/sign-in" in page.url
