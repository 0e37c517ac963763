"""What the second-factor tests share: enrolling through the pages, codes of a chosen period, the audit."""
from __future__ import annotations

import time

import pyotp
from sqlalchemy import select

from app.extensions import db
from app.staff import mfa
from app.staff.models import AuditEvent, User, find_user
from tests.conftest import page, submit
from tests.staff.conftest import PASSWORD

SET_UP, CODE, ACCOUNT = "/staff/sign-in/set-up", "/staff/sign-in/code", "/staff/account/two-step"


def password_step(client, email: str, password: str = PASSWORD):
    return submit(client, "/staff/sign-in", {"email": email, "password": password})


def shown_secret(response) -> str:
    """The key the enrolment page shows for typing into an app (groups of four)."""
    return page(response).select_one("#secret-key").get_text().replace(" ", "")


def settled() -> float:
    """Now, with at least 10 seconds left in the 30-second period (waiting for the next one if not):
    a code made for a period around now is judged against the same period by the server."""
    left = 30 - time.time() % 30
    if left < 10:
        time.sleep(left + 0.2)
    return time.time()


def code_at(secret: str, periods: int = 0) -> str:
    """The code an authenticator app shows ``periods`` 30-second periods from now."""
    return pyotp.TOTP(secret).at(settled() + 30 * periods)


def enrol(client, email: str, url: str = SET_UP) -> tuple[str, list[str]]:
    """Enrol through the page as a person would, with the key it shows: (secret, recovery codes)."""
    secret = shown_secret(client.get(url))
    response = submit(client, url, {"code": code_at(secret)})
    assert response.status_code == 200, response.status_code
    codes = [item.get_text(strip=True) for item in page(response).select(".recovery-codes code")]
    return secret, codes


def sign_out(client) -> None:
    token = page(client.get("/staff/cases")).find("form", action="/staff/sign-out").find("input")["value"]
    assert client.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302


def actions(app, email: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_email == email)
                                       .order_by(AuditEvent.id)))


def audit_text(app) -> str:
    with app.app_context():
        return " ".join(f"{e.user_email} {e.action} {e.case_reference}" for e in db.session.scalars(select(AuditEvent)))


def forget_spent_step(app, email: str) -> None:
    """As if the account last signed in long ago (another sign-in in the same period is a test's doing)."""
    with app.app_context():
        mfa.factor_of(find_user(email)).last_step = -1
        db.session.commit()


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))
