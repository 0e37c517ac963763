"""The staff pages in Chromium: sign in, find a case by its reference, add a note."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.certfactory import make_hierarchy, to_pem
from tests.staff.conftest import AGENT_EMAIL, PASSWORD, add_user, make_case

pytestmark = pytest.mark.browser


@pytest.fixture
def reference(live_app) -> str:
    with live_app.app_context():
        add_user(AGENT_EMAIL)
        hierarchy = make_hierarchy("mail.contoso.com", sans=["mail.contoso.com", "contoso.com"])
        make_case("Fabrikam", ["fabrikam.com"], completed=False)
        reference = make_case("Contoso Ltd", ["contoso.com"],
                              pem=to_pem(hierarchy.leaf.cert, hierarchy.intermediate.cert)).reference
        db.session.remove()
    return reference


def test_sign_in_find_a_case_and_add_a_note(page, live_server, reference):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/staff/cases")
    assert page.locator("h1").inner_text() == "Sign in to the staff workspace"

    page.get_by_label("Email address").fill(AGENT_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Cases"
    assert page.locator("tbody tr").count() == 2

    page.get_by_label("Reference, organization or domain").fill(reference.lower().replace("-", " "))
    page.get_by_role("button", name="Search").click()
    assert page.locator("tbody tr").count() == 1
    assert "Ready" in page.locator("tbody tr").text_content()
    page.get_by_role("link", name=reference).click()
    assert page.locator("h1").inner_text() == f"Case {reference}"

    page.get_by_label("Add an internal note").fill("Called the customer; waiting for the new certificate.")
    page.get_by_role("button", name="Add note").click()
    assert page.locator(".status").inner_text() == "Note added."
    assert "waiting for the new certificate" in page.locator(".notes").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e]  # no inline script or style
