"""Issue 28, items 4 and 5 in Chromium: the agent mails the link from the case page (to aiosmtpd on
loopback) and copies the ticket text with its Copy button; screenshots of each state."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.test_accessibility import AXE, AXE_RULES
from tests.certfactory import make_hierarchy, to_pem
from tests.staff.conftest import AGENT_EMAIL, PASSWORD, add_user, make_case
from tests.staff.mail_server import start_mail_server

pytestmark = pytest.mark.browser


@pytest.fixture
def mailbox(tmp_path):
    folder = tmp_path / "smtp"
    folder.mkdir()
    mailbox, controller = start_mail_server(folder)
    yield mailbox
    controller.stop()


@pytest.fixture
def live_app_config(live_app_config, mailbox) -> dict:
    return {**live_app_config, **mailbox.app_settings()}


@pytest.fixture
def reference(live_app) -> str:
    with live_app.app_context():
        add_user(AGENT_EMAIL)
        hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
        reference = make_case("Contoso Ltd", ["contoso.com"],
                              pem=to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert)).reference
        db.session.remove()
    return reference


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A and AA, best practices) finds nothing, as for every page in tests/browser."""
    violations = AXE.run(page, options=AXE_RULES).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_mail_the_link_and_copy_the_ticket_text(page, context, live_server, reference, mailbox, shots_dir):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(f"{live_server}/staff/cases/{reference}")
    page.get_by_label("Email address").fill(AGENT_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/staff/cases/{reference}#send-link")

    # A mistyped address is refused on the form, with the summary at the top.
    page.get_by_label("The customer's e-mail address").fill("it@contoso")
    page.get_by_label("Svenska").check()
    page.get_by_role("button", name="Send the link").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Svenska").is_checked()  # what the agent chose is kept
    page.locator("#send-link").scroll_into_view_if_needed()
    page.screenshot(path=str(shots_dir / "mail-form-error.png"))
    assert_accessible(page)

    page.get_by_label("The customer's e-mail address").fill("it@contoso.com")
    page.locator("#send-link").scroll_into_view_if_needed()
    page.screenshot(path=str(shots_dir / "mail-form.png"))
    page.get_by_role("button", name="Send the link").click()
    assert page.locator("#mail-sent").inner_text() == (
        "Sent the customer's link by e-mail to it@contoso.com in Svenska, with the plan as PDF.")
    mailbox.wait_for(1)
    assert mailbox.messages[0][1]["Subject"].startswith(f"Ditt ärende {reference}")
    page.screenshot(path=str(shots_dir / "mail-sent.png"))
    assert_accessible(page)
    assert "it@contoso.com" in page.locator(".notes").inner_text()

    ticket = page.locator("#ticket-text .code-block")
    ticket.scroll_into_view_if_needed()
    text = ticket.locator("pre").inner_text()
    assert text.startswith(f"Case {reference}: Contoso Ltd") and "/resume/" not in text
    ticket.get_by_role("button", name="Copy").click()
    expect(ticket.get_by_role("button")).to_contain_text("Copied", timeout=15000)  # once the clipboard took it
    assert page.evaluate("navigator.clipboard.readText()") == text
    page.screenshot(path=str(shots_dir / "ticket-text.png"))
    assert not [e for e in errors if "Content Security Policy" in e]
