"""Two browsers, the agent's and the customer's: the agent's case page follows the customer's saves live.

The agent makes the case and hands over its link; the customer opens it in another browser
context and walks the wizard, uploading a real certificate. After each save the agent's page
shows the change without a reload (a marker set in the page's window survives), and the
customer's pages say who is following and show the agent's note, escaped.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.certfactory import make_hierarchy, to_pem
from tests.staff.conftest import AGENT_EMAIL, PASSWORD, add_user

pytestmark = pytest.mark.browser

ARRIVES = 15_000  # ms: generous, so a loaded machine never flakes; the poll runs every 2 s
NOTE = "Upload the <b>PFX</b> next, please & <script>alert(1)</script>"


@pytest.fixture
def live_app_config(live_app_config: dict) -> dict:
    return {**live_app_config, "HELP_DESK_NAME": "Contoso IT"}


@pytest.fixture
def agent_account(live_app) -> None:
    with live_app.app_context():
        user = add_user(AGENT_EMAIL)
        user.display_name = "Anna Berg"
        db.session.commit()
        db.session.remove()


def sign_in(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/staff/sign-in")
    page.locator("#email").fill(AGENT_EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def start_case_for(page: Page, live_server: str, organization: str) -> tuple[str, str]:
    """The agent's new case: (its reference, the customer's secret link)."""
    page.goto(f"{live_server}/staff/cases/new")
    page.locator("#organization").fill(organization)
    page.locator("main form button[type=submit]").click()
    link = page.locator("#link ~ figure pre").first.inner_text().strip()
    reference = re.search(r"KB-[0-9A-Z]{4}-[0-9A-Z]{4}", page.locator("h1").inner_text()).group(0)
    return reference, link


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def test_the_agent_follows_the_customer_live(browser, live_server, agent_account, tmp_path, shots_dir):
    hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
    cert_file = tmp_path / "server.pem"
    cert_file.write_bytes(to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert))
    agent_context, customer_context = browser.new_context(), browser.new_context()
    agent, customer = agent_context.new_page(), customer_context.new_page()
    errors: list[str] = []
    agent.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    sign_in(agent, live_server)
    reference, link = start_case_for(agent, live_server, "Contoso Ltd")
    agent.evaluate("window.followMarker = 'not reloaded'")
    live = agent.locator("#live-case")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(agent.locator("#case-expiry")).to_have_text("No certificate yet.")
    expect(agent.locator("#live-refresh")).to_have_text("Updates as the customer saves.")

    customer.goto(link)
    customer.get_by_role("button", name=f"Open case {reference}").click()
    expect(customer.locator(".agent-following")).to_have_text("Anna Berg from Contoso IT is following this case")
    expect(live.locator("#live-position")).to_contain_text("Does this affect you?", timeout=ARRIVES)

    customer.get_by_label("Our server forwards messages to external addresses").check()
    continue_(customer)
    expect(live.locator("#live-answers")).to_contain_text("forwards messages to external addresses", timeout=ARRIVES)
    expect(live.locator("#live-position")).to_contain_text("Accepted domains", timeout=ARRIVES)

    agent.locator("#message").fill(NOTE)
    agent.get_by_role("button", name="Leave the note for the customer").click()
    agent.evaluate("window.followMarker = 'not reloaded'")  # the note's form posted: a new page, marked again

    customer.get_by_label("What are your organization's accepted domains?").fill("contoso.com")
    continue_(customer)
    expect(customer.locator(".agent-note")).to_contain_text(NOTE)  # escaped: shown as text, never run
    expect(live.locator("#live-customer-notes")).to_contain_text("Shown to the customer", timeout=ARRIVES)
    expect(live.locator("#live-answers")).to_contain_text("contoso.com", timeout=ARRIVES)

    customer.get_by_label("No, there is no connector from our server yet").check()
    continue_(customer)
    expect(customer.locator(".agent-note")).to_have_count(0)  # shown once
    customer.get_by_label("Exchange Server 2019").check()
    continue_(customer)
    customer.get_by_label("No, the connectors were set up by hand").check()
    customer.get_by_label("The Mailbox servers themselves (FrontendProxyEnabled False)").check()
    continue_(customer)
    customer.get_by_label("Sending server's fully qualified domain name").fill("mail.contoso.com")
    customer.get_by_label("Your tenant's MX endpoint").fill("contoso-com.mail.protection.outlook.com")
    continue_(customer)
    expect(live.locator("#live-position")).to_contain_text("Certificate", timeout=ARRIVES)

    customer.get_by_label("Upload the certificate file").set_input_files(str(cert_file))
    continue_(customer)
    expect(live.locator("#live-certificate")).to_contain_text("Ready", timeout=ARRIVES)
    expect(live.locator("#live-findings")).to_be_visible()
    expect(live.locator("#live-plan")).to_contain_text("In progress")
    customer.screenshot(path=str(shots_dir / "follow-customer.png"), full_page=True)

    continue_(customer)  # the connector's domain, as recommended
    customer.get_by_role("button", name="Show the remediation plan").click()
    expect(customer.locator("h1")).to_have_text("Your remediation plan")
    expect(live.locator("#live-plan")).to_contain_text("Ready", timeout=ARRIVES)
    expect(live.locator("#live-position")).to_contain_text("The plan", timeout=ARRIVES)
    # The summary above agrees with the live region: the verdict and the domains arrived there too.
    expect(agent.locator("#case-summary #verdict .tag")).to_have_text("Ready", timeout=ARRIVES)
    expect(agent.locator("#case-summary")).to_contain_text("contoso.com")
    # So does the text for the ticket: an agent pasting it now must not paste "In progress".
    ticket = agent.locator("#ticket-text pre")
    expect(ticket).to_contain_text("Verdict: Ready", timeout=ARRIVES)
    expect(ticket).to_contain_text("Accepted domains: contoso.com")
    expect(ticket).not_to_contain_text("the customer answers the wizard's remaining questions")
    # And the expiry reminder's line, which said "No certificate yet." until a reload.
    expect(agent.locator("#case-expiry")).to_have_text(
        f"The certificate expires on {hierarchy.leaf.cert.not_valid_after_utc:%Y-%m-%d}.", timeout=ARRIVES)
    assert agent.evaluate("window.followMarker") == "not reloaded"
    live.scroll_into_view_if_needed()
    agent.screenshot(path=str(shots_dir / "follow-agent.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]
    agent_context.close()
    customer_context.close()


def test_the_customer_reads_the_following_line_and_the_note_in_swedish(browser, live_server, agent_account, live_app,
                                                                      shots_dir):
    agent_context, customer_context = browser.new_context(), browser.new_context()
    agent, customer = agent_context.new_page(), customer_context.new_page()
    sign_in(agent, live_server)
    reference, link = start_case_for(agent, live_server, "Contoso AB")
    agent.goto(f"{live_server}/staff/cases/{reference}?lang=sv")
    agent.locator("#message").fill("Ladda upp certifikatet nu.")
    agent.get_by_role("button", name="Lämna meddelandet till kunden").click()
    expect(agent.locator("#live-refresh")).to_have_text("Uppdateras när kunden sparar.")

    customer.goto(link + "?lang=sv")
    customer.get_by_role("button", name=f"Öppna ärende {reference}").click()
    expect(customer.locator(".agent-following")).to_have_text("Anna Berg från Contoso IT följer det här ärendet")
    expect(customer.locator(".agent-note")).to_contain_text("Ett meddelande från Anna Berg:")
    expect(customer.locator(".agent-note")).to_contain_text("Ladda upp certifikatet nu.")
    customer.screenshot(path=str(shots_dir / "follow-customer-sv.png"), full_page=True)
    expect(agent.locator("#live-position")).to_contain_text("Berörs du?", timeout=ARRIVES)
    agent.screenshot(path=str(shots_dir / "follow-agent-sv.png"), full_page=True)
    agent_context.close()
    customer_context.close()
