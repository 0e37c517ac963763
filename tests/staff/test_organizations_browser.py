"""An admin in Chromium finds an organization, downloads its data, is stopped by a wrong confirmation, then erases it."""
from __future__ import annotations

import json

import pytest

from app.extensions import db
from tests.browser_support import signed_in_page
from tests.staff.conftest import ADMIN_EMAIL, PASSWORD, add_user, make_case

pytestmark = pytest.mark.browser


@pytest.fixture
def references(live_app) -> list[str]:
    with live_app.app_context():
        add_user(ADMIN_EMAIL, "admin")
        make_case("Fabrikam", ["fabrikam.com"], completed=False)
        found = [make_case("Contoso Ltd", ["contoso.com"]).reference, make_case("contoso ltd", ["contoso.net"]).reference]
        db.session.remove()
    return found


def test_an_admin_downloads_then_erases_an_organization(page, live_server, live_app, references, shots_dir):
    errors = signed_in_page(page, live_server, ADMIN_EMAIL, PASSWORD, live_app)
    page.get_by_role("link", name="An organization's data").click()
    page.get_by_label("Organization").fill("CONTOSO LTD")
    page.get_by_role("button", name="Find its cases").click()
    assert "2 cases have this organization." in page.locator("main").inner_text()
    page.screenshot(path=str(shots_dir / "organization-found.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download all of it as JSON").click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert sorted(case["reference"] for case in document["cases"]) == sorted(references)

    page.get_by_label("Type the organization's name to confirm").fill("Contoso")
    page.get_by_role("button", name="Erase this organization's data").click()
    assert page.title().startswith("Error: ")
    assert "Type the organization's name as shown above" in page.locator(".error-summary").inner_text()
    page.screenshot(path=str(shots_dir / "organization-erase-error.png"), full_page=True)

    page.get_by_label("Type the organization's name to confirm").fill("Contoso Ltd")
    page.get_by_role("button", name="Erase this organization's data").click()
    assert "Erased 2 cases and everything about them." in page.locator(".status").inner_text()
    page.screenshot(path=str(shots_dir / "organization-erased.png"), full_page=True)
    page.get_by_role("link", name="Audit log").click()
    assert "Erased an organization's data" in page.locator("tbody tr").first.inner_text()
    page.screenshot(path=str(shots_dir / "organization-audit-log.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]
