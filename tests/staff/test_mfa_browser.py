"""Two-step verification in Chromium: an admin scans the QR code the page shows (read back from a
screenshot), turns it on with the app's code, keeps the recovery codes, and signs in again with a code."""
from __future__ import annotations

import pyotp
import pytest
import zxingcpp
from PIL import Image

from app.staff import mfa
from app.staff.models import ADMIN
from tests.staff.conftest import PASSWORD, add_user
from tests.staff.mfa_helpers import settled

pytestmark = pytest.mark.browser

EMAIL = "walk.admin@helpdesk.example"


@pytest.fixture
def new_admin(live_app):
    with live_app.app_context():
        add_user(EMAIL, ADMIN, totp=False)


def password(page, base: str) -> None:
    page.goto(f"{base}/staff/cases")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_enrol_by_scanning_the_qr_code_then_sign_in_with_a_code(page, live_server, new_admin, shots_dir):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    password(page, live_server)
    assert page.locator("h1").inner_text() == "Set up two-step verification"
    enrolment = shots_dir / "mfa-enrol.png"
    page.screenshot(path=str(enrolment), full_page=True)

    # What a phone would read off the screen: the QR code in the screenshot holds the key shown beside it.
    scanned = [found.text for found in zxingcpp.read_barcodes(Image.open(enrolment))]
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    assert scanned == [pyotp.TOTP(secret).provisioning_uri(name=EMAIL, issuer_name=mfa.ISSUER)]
    totp = pyotp.parse_uri(scanned[0])

    page.get_by_label("Code from the app").fill(totp.at(settled()))
    page.get_by_role("button", name="Turn on two-step verification").click()
    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert page.locator(".recovery-codes li").count() == 10
    page.screenshot(path=str(shots_dir / "mfa-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="I have kept my codes, continue").click()
    assert page.locator("h1").inner_text() == "Cases"

    page.get_by_role("button", name=f"Sign out {EMAIL}").click()
    password(page, live_server)
    assert page.locator("h1").inner_text() == "Enter your one-time code"
    assert page.locator("body").inner_text().count(EMAIL) == 0  # not signed in yet: no account in the header
    page.screenshot(path=str(shots_dir / "mfa-code.png"), full_page=True)
    page.get_by_label("Code").fill(totp.at(settled(), counter_offset=1))  # the next period's: still good
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Cases"
    page.goto(f"{live_server}/staff/account/two-step?lang=sv")
    assert page.locator("h1").inner_text() == "Tvåstegsverifiering"
    assert "10 oanvända återställningskoder" in page.locator("main").inner_text()
    page.screenshot(path=str(shots_dir / "mfa-account-sv.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]
