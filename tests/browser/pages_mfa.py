"""The registry's states of the second-factor pages (tests/browser/pages.py lists them in PAGES): the code
step (plain and refused), enrolment at sign-in (plain and refused), the recovery codes, the account's page,
and the sign-in page with local sign-in turned off."""
from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

import pyotp
from playwright.sync_api import expect

from app.staff import mfa
from app.staff.models import ADMIN
from tests.staff.conftest import ADMIN_EMAIL, PASSWORD, add_user, fresh_code

if TYPE_CHECKING:
    from tests.browser.pages import Site

_NUMBER = itertools.count()


def _password(site: Site, email: str) -> None:
    response = site.submit("/staff/sign-in", {"email": email, "password": PASSWORD})
    assert response.status == 302, "the password step failed"


def _code_step(site: Site) -> None:
    _password(site, ADMIN_EMAIL)
    site.goto("/staff/sign-in/code")


def _code_refused(site: Site) -> None:
    _code_step(site)
    site.page.locator("input[name=code]").fill("000000")
    site.press_main_button()
    site.expect_errors()


def _new_admin(site: Site) -> str:
    """An admin of its own (every visit: the states run in two languages and widths) without an app yet."""
    email = f"admin{next(_NUMBER)}@setup.example"
    with site.app.app_context():
        add_user(email, ADMIN, totp=False)
    _password(site, email)
    return email


def _set_up(site: Site) -> None:
    _new_admin(site)
    site.goto("/staff/sign-in/set-up")


def _set_up_refused(site: Site) -> None:
    _set_up(site)
    site.press_main_button()
    site.expect_errors()


def _recovery_codes(site: Site) -> None:
    _set_up(site)
    secret = site.page.locator("#secret-key").inner_text().replace(" ", "")
    site.page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    site.press_main_button()
    expect(site.page.locator(".recovery-codes li")).to_have_count(mfa.RECOVERY_CODES)


def _account(site: Site) -> None:
    site.sign_in(ADMIN_EMAIL)
    site.goto("/staff/account/two-step")


def _account_refused(site: Site) -> None:
    _account(site)
    site.press_main_button()
    site.expect_errors()


def _local_sign_in_off(site: Site) -> None:
    site.app.config["STAFF_LOCAL_SIGN_IN"] = False
    try:
        site.goto("/staff/sign-in")
    finally:
        site.app.config["STAFF_LOCAL_SIGN_IN"] = True
    expect(site.page.locator("main")).to_contain_text(re.compile("STAFF_LOCAL_SIGN_IN=0"))


def sign_in_with_code(site: Site, email: str) -> None:
    """After the password, the code step of an account with a second factor (tests/staff/conftest.py)."""
    response = site.submit("/staff/sign-in/code", {"code": fresh_code(site.app, email)})
    assert response.status == 302, "the code step failed"


MFA_PAGES = [
    ("staff sign-in: code step", _code_step),
    ("staff sign-in: code step errors", _code_refused),
    ("staff sign-in: set up two-step verification", _set_up),
    ("staff sign-in: set up two-step verification errors", _set_up_refused),
    ("staff recovery codes", _recovery_codes),
    ("staff two-step verification", _account),
    ("staff two-step verification: errors", _account_refused),
    ("staff sign-in: local sign-in off", _local_sign_in_off),
]
