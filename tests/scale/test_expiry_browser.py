"""The expiry watch in Chromium: from the staff navigation to the 60-day list, a case, a calendar address."""
from __future__ import annotations

import pytest
from icalendar import Calendar

from app.extensions import db
from app.store import Case
from tests.browser_support import signed_in_page
from tests.scale.test_expiry import with_certificate
from tests.staff.conftest import AGENT_EMAIL, PASSWORD, add_user

pytestmark = pytest.mark.browser


@pytest.fixture
def expiring(live_app) -> dict[int, str]:
    with live_app.app_context():
        user = add_user(AGENT_EMAIL)
        made = {days: with_certificate(f"Org {days}", f"org{days}.com", days) for days in (12, 50, 150)}
        made[50].owner_id = user.id
        db.session.commit()
        references = {days: case.reference for days, case in made.items()}
        db.session.remove()
    return references


def test_an_agent_finds_expiring_certificates_and_subscribes_a_calendar(page, live_server, live_app, expiring):
    errors = signed_in_page(page, live_server, AGENT_EMAIL, PASSWORD)

    page.get_by_role("link", name="Expiring certificates").click()
    assert page.locator("h1").inner_text() == "Certificates expiring within 30 days"
    assert page.locator("tbody th").all_inner_texts() == [expiring[12]]
    page.get_by_role("link", name="60 days").click()
    assert page.locator("tbody th").all_inner_texts() == [expiring[12], expiring[50]]
    assert page.locator("tbody tr").nth(1).get_by_role("link", name="Check the replacement").get_attribute(
        "href") == "/renewal?accepted_domains=org50.com&server_kind=exchange-2019"

    page.get_by_role("button", name="Make a new calendar address").click()
    address = page.get_by_role("figure", name="Your calendar address").locator("pre").inner_text()
    calendar = page.request.get(address.replace("http://localhost", live_server))
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(calendar.body()).walk("VEVENT")]
    assert calendar.ok and summaries == [f"Certificate mail.org50.com expires (Org 50, {expiring[50]})"]

    page.get_by_role("link", name=expiring[50], exact=True).click()
    assert page.locator("h1").inner_text() == f"Case {expiring[50]}"
    with live_app.app_context():
        expires = db.session.scalar(db.select(Case.certificate_expires_at).where(Case.reference == expiring[50]))
    assert expires.strftime("%Y") in page.locator("#calendar + p").inner_text()

    # The case's renewal check opens with what the case knows; the certificates are the agent's to add.
    page.go_back()
    page.locator("tbody tr").nth(1).get_by_role("link", name="Check the replacement").click()
    assert page.get_by_label("Accepted domains (optional)").input_value() == "org50.com"
    assert page.get_by_label("Exchange Server 2019").is_checked()
    assert page.locator("input[type=file]").evaluate_all("inputs => inputs.map(i => i.files.length)") == [0, 0]
    assert not [e for e in errors if "Content Security Policy" in e]
