"""Sessions that end: sign-out, a new password or a new role revokes the session on the server.

The cookie is signed, not stored: without a per-account session version a
copy of it kept working after sign-out. Also: failed sign-ins from one address
cannot lock a person out from another.
"""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import limiter
from app.staff.models import find_user
from tests.conftest import page
from tests.staff.conftest import ADMIN_EMAIL, AGENT_EMAIL, PASSWORD, admin, agent, sign_in, users  # noqa: F401
from tests.staff.mfa_helpers import enrol
from tests.staff.test_auth import limited_app  # noqa: F401

STAFF_PAGES = ["/staff/cases", "/staff/audit"]


def replay(app, cookie_value: str):
    """A new browser holding a copy of an old session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie_value)
    return client


def goes_to_sign_in(response) -> bool:
    return response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_a_cookie_replayed_after_sign_out_goes_to_sign_in(app, admin):
    copied = admin.get_cookie("session").value
    assert replay(app, copied).get("/staff/audit").status_code == 200
    signed_out = sign_out(admin)
    assert goes_to_sign_in(signed_out)
    for url in STAFF_PAGES:
        assert goes_to_sign_in(replay(app, copied).get(url)), url


def sign_out(client):
    """The sign-out button of the staff pages, with its CSRF token."""
    token = page(client.get("/staff/cases")).find("input", attrs={"name": "csrf_token"})["value"]
    return client.post("/staff/sign-out", data={"csrf_token": token})


@pytest.mark.parametrize("command", [["set-password", AGENT_EMAIL], ["set-role", AGENT_EMAIL, "admin"]])
def test_a_new_password_or_role_ends_the_accounts_sessions(app, agent, command):
    assert agent.get("/staff/cases").status_code == 200
    result = app.test_cli_runner().invoke(args=command, input="a brand new password\n")
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    assert goes_to_sign_in(agent.get("/staff/cases"))
    new_password = "a brand new password" if command[0] == "set-password" else PASSWORD
    fresh = app.test_client()
    response = sign_in(fresh, AGENT_EMAIL, new_password)
    if command[0] == "set-role":  # an admin now: sets up a second factor before any staff page
        assert response.headers["Location"] == "/staff/sign-in/set-up"
        enrol(fresh, AGENT_EMAIL)
    assert fresh.get("/staff/audit").status_code == (200 if command[0] == "set-role" else 403)


def test_set_password_refuses_short_passwords_and_unknown_accounts(app, users):
    runner = app.test_cli_runner()
    assert "at least 12" in runner.invoke(args=["set-password", AGENT_EMAIL], input="short\n").output
    assert "no account" in runner.invoke(args=["set-password", "nobody@example.com"], input="x" * 20 + "\n").output
    with app.app_context():
        assert find_user(AGENT_EMAIL).check_password(PASSWORD)


def test_other_accounts_keep_their_sessions(app, agent, admin):
    assert goes_to_sign_in(sign_out(agent))
    assert admin.get("/staff/cases").status_code == 200


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failures_from_another_address_do_not_lock_the_person_out(limited_app, users):
    attacker = from_address(limited_app, "127.0.0.2")
    statuses = [sign_in(attacker, AGENT_EMAIL, f"guess {n}").status_code for n in range(10)]
    assert statuses == [200] * 5 + [429] * 5  # the guessing address is slowed down
    assert sign_in(from_address(limited_app, "127.0.0.1"), AGENT_EMAIL, PASSWORD).status_code == 302


def test_many_addresses_guessing_one_account_meet_the_account_ceiling(app, users):
    limited = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "TRUSTED_ROOTS_FILE")},
                          "TESTING": True, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                          "STAFF_ACCOUNT_SIGN_IN_LIMIT": "8 per hour"})
    try:
        for number in range(8):
            assert sign_in(from_address(limited, f"10.0.0.{number}"), AGENT_EMAIL, "guess").status_code == 200
        assert sign_in(from_address(limited, "10.0.1.1"), AGENT_EMAIL, "guess").status_code == 429
        assert sign_in(from_address(limited, "10.0.1.1"), ADMIN_EMAIL, PASSWORD).status_code == 302
    finally:
        limiter.reset()
