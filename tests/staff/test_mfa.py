"""TOTP for local staff accounts: enrolment, the code step, periods, reuse, recovery codes, lockout, reset."""
from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff import mfa
from app.staff.models import ADMIN, AGENT, SecondFactor
from tests.conftest import page, submit
from tests.staff.conftest import ADMIN_EMAIL, AGENT_EMAIL, TOTP_SECRET, add_user
from tests.staff.test_auth import limited_app  # noqa: F401  (a fixture: the limiter on)
from tests.staff.mfa_helpers import (
    ACCOUNT, CODE, SET_UP, actions, audit_text, code_at, enrol, forget_spent_step, password_step, shown_secret, sign_out,
    user_id,
)

NEW_ADMIN = "new.admin@helpdesk.example"


@pytest.fixture
def new_admin(app):
    """An admin who has never set up an authenticator app."""
    with app.app_context():
        add_user(NEW_ADMIN, ADMIN, totp=False)


@pytest.fixture
def admin_user(app):
    with app.app_context():
        add_user(ADMIN_EMAIL, ADMIN)


def error_text(response) -> str:
    return page(response).select_one(".error-summary-list").get_text(" ", strip=True)


def test_an_admin_without_totp_sets_it_up_before_reaching_any_staff_page(app, new_admin, client):
    response = password_step(client, NEW_ADMIN)
    assert response.headers["Location"] == SET_UP
    for url in ("/staff/cases", "/staff/audit", "/staff/account/two-step"):  # half signed in: nothing opens
        assert client.get(url).headers["Location"].startswith("/staff/sign-in?next=")
    enrolment = client.get(SET_UP)
    soup = page(enrolment)
    secret = shown_secret(enrolment)
    assert soup.h1.get_text() == "Set up two-step verification"
    # The QR code is made on the server and holds the otpauth URI of the key shown beside it.
    uri = pyotp.TOTP(secret).provisioning_uri(name=NEW_ADMIN, issuer_name=mfa.ISSUER)
    with app.app_context():
        assert soup.select_one("img.qr-code")["src"] == mfa.qr_data_uri(uri)
    assert enrolment.headers["Cache-Control"] == "no-store"

    refused = submit(client, SET_UP, {"code": code_at(secret, 5)})
    assert "The code is not right" in error_text(refused)
    assert shown_secret(refused) == secret  # the same key until confirmed: the app already holds it
    response = submit(client, SET_UP, {"code": code_at(secret)})
    codes = [item.get_text(strip=True) for item in page(response).select(".recovery-codes code")]
    assert len(codes) == 10 == len(set(codes))
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/staff/cases").status_code == 200
    assert actions(app, NEW_ADMIN) == ["refused:wrong-code", "mfa-enrolled", "sign-in:password+totp"]
    log = page(client.get("/staff/audit")).get_text(" ")
    assert "Set up two-step verification" in log and "Signed in with a password and an authenticator code" in log

    sign_out(client)
    assert password_step(client, NEW_ADMIN).headers["Location"] == CODE  # from now on, the code step


def test_the_secret_is_stored_encrypted_and_recovery_codes_hashed(app, new_admin, client):
    password_step(client, NEW_ADMIN)
    secret, codes = enrol(client, NEW_ADMIN)
    with app.app_context():
        stored = db.session.get(SecondFactor, user_id(app, NEW_ADMIN)).secret
        hashes = " ".join(db.session.scalars(select(mfa.RecoveryCode.code_hash)))
    assert secret not in stored
    assert hashes.count("scrypt:") == 10 and not any(code.replace("-", "") in hashes for code in codes)
    other_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another key"
    with app.app_context():
        assert mfa._open(stored) is None  # the database alone does not give the secret away
    app.config["SECRET_KEY"] = other_key


@pytest.mark.parametrize("periods,accepted", [(-1, True), (1, True), (-2, False), (2, False)])
def test_a_code_of_the_previous_or_next_period_passes_two_away_does_not(app, admin_user, client, periods, accepted):
    assert password_step(client, ADMIN_EMAIL).headers["Location"] == CODE
    response = submit(client, CODE, {"code": code_at(TOTP_SECRET, periods)})
    if accepted:
        assert response.headers["Location"] == "/staff/cases"
        assert client.get("/staff/cases").status_code == 200
    else:
        assert response.status_code == 200 and "The code is not right" in error_text(response)
        assert client.get("/staff/cases").status_code == 302


def test_a_code_used_once_is_refused_the_second_time(app, admin_user, client):
    code = code_at(TOTP_SECRET)
    password_step(client, ADMIN_EMAIL)
    assert submit(client, CODE, {"code": code}).headers["Location"] == "/staff/cases"
    sign_out(client)
    password_step(client, ADMIN_EMAIL)
    refused = submit(client, CODE, {"code": code})
    assert "has been used already" in error_text(refused)
    # An earlier period's code, though within the window, is spent too once a later one was used.
    assert "used already" in error_text(submit(client, CODE, {"code": code_at(TOTP_SECRET, -1)}))
    assert client.get("/staff/cases").status_code == 302
    assert actions(app, ADMIN_EMAIL)[-2:] == ["refused:reused-code", "refused:reused-code"]


def test_each_recovery_code_signs_in_once_and_new_ones_replace_them(app, new_admin, client):
    password_step(client, NEW_ADMIN)
    secret, codes = enrol(client, NEW_ADMIN)
    sign_out(client)
    password_step(client, NEW_ADMIN)
    assert submit(client, CODE, {"code": codes[0].upper().replace("-", " ")}).headers["Location"] == "/staff/cases"
    assert "9 unused recovery codes" in page(client.get("/staff/account/two-step")).get_text()
    sign_out(client)
    password_step(client, NEW_ADMIN)
    assert "The code is not right" in error_text(submit(client, CODE, {"code": codes[0]}))
    assert submit(client, CODE, {"code": codes[1]}).headers["Location"] == "/staff/cases"
    assert actions(app, NEW_ADMIN)[-3:] == ["sign-in:recovery-code", "refused:wrong-code", "sign-in:recovery-code"]

    token = page(client.get(ACCOUNT)).find("form", action="/staff/account/recovery-codes").find("input")["value"]
    refused = client.post("/staff/account/recovery-codes", data={"csrf_token": token, "code": "000000"})
    assert "The code is not right" in error_text(refused)  # new codes only for a code from the app
    assert not page(refused).select(".recovery-codes code")
    renewed = client.post("/staff/account/recovery-codes", data={"csrf_token": token, "code": code_at(secret, 1)})
    new_codes = [item.get_text(strip=True) for item in page(renewed).select(".recovery-codes code")]
    assert len(new_codes) == 10 and "earlier recovery codes no longer work" in page(renewed).get_text()
    sign_out(client)
    password_step(client, NEW_ADMIN)
    assert "The code is not right" in error_text(submit(client, CODE, {"code": codes[2]}))
    assert submit(client, CODE, {"code": new_codes[2]}).headers["Location"] == "/staff/cases"
    assert "recovery-codes-new" in actions(app, NEW_ADMIN)


def test_wrong_codes_lock_the_code_step_until_reset_mfa(app, admin_user, client):
    password_step(client, ADMIN_EMAIL)
    for _attempt in range(mfa.MAX_FAILURES - 1):
        assert "The code is not right" in error_text(submit(client, CODE, {"code": "000000"}))
    assert "Too many wrong codes" in error_text(submit(client, CODE, {"code": "000000"}))
    forget_spent_step(app, ADMIN_EMAIL)
    locked = submit(client, CODE, {"code": code_at(TOTP_SECRET)})  # even the right code, for now
    assert "Too many wrong codes" in error_text(locked)
    assert client.get("/staff/cases").status_code == 302

    result = app.test_cli_runner().invoke(args=["reset-mfa", ADMIN_EMAIL])
    assert result.exit_code == 0 and "reset" in result.output and TOTP_SECRET not in result.output
    assert client.get(CODE).status_code == 302  # the half-signed-in session ended with the reset
    assert password_step(client, ADMIN_EMAIL).headers["Location"] == SET_UP
    secret, _codes = enrol(client, ADMIN_EMAIL)
    assert secret != TOTP_SECRET and client.get("/staff/cases").status_code == 200
    assert actions(app, ADMIN_EMAIL) == ["refused:wrong-code"] * 4 + [
        "refused:locked", "refused:locked", "mfa-reset", "mfa-enrolled", "sign-in:password+totp"]


def test_reset_mfa_names_an_unknown_account(app):
    result = app.test_cli_runner().invoke(args=["reset-mfa", "nobody@helpdesk.example"])
    assert result.exit_code != 0 and "no account" in result.output


@pytest.mark.parametrize("setting", [False, True])
def test_agents_need_a_second_factor_only_when_the_setting_says_so(app, client, setting):
    app.config["STAFF_MFA_AGENTS"] = setting
    with app.app_context():
        add_user(AGENT_EMAIL, AGENT)
    response = password_step(client, AGENT_EMAIL)
    assert response.headers["Location"] == (SET_UP if setting else "/staff/cases")
    assert actions(app, AGENT_EMAIL) == ([] if setting else ["sign-in:password"])


def test_an_agent_signed_in_by_password_is_sent_to_enrol_once_agents_need_it(app, client):
    with app.app_context():
        add_user(AGENT_EMAIL, AGENT)
    password_step(client, AGENT_EMAIL)
    assert client.get("/staff/cases").status_code == 200
    app.config["STAFF_MFA_AGENTS"] = True
    assert client.get("/staff/cases").headers["Location"] == "/staff/account/two-step"
    _secret, codes = enrol(client, AGENT_EMAIL, "/staff/account/two-step")
    assert len(codes) == 10 and client.get("/staff/cases").status_code == 200


def test_an_agent_may_turn_it_on_without_being_required(app, client):
    with app.app_context():
        add_user(AGENT_EMAIL, AGENT)
    password_step(client, AGENT_EMAIL)
    enrol(client, AGENT_EMAIL, "/staff/account/two-step")
    sign_out(client)
    assert password_step(client, AGENT_EMAIL).headers["Location"] == CODE


def test_the_code_page_without_a_password_first_goes_to_sign_in(client):
    assert client.get(CODE).headers["Location"].startswith("/staff/sign-in?next=")
    assert client.get(SET_UP).headers["Location"].startswith("/staff/sign-in?next=")


def test_no_code_or_secret_reaches_the_audit_log(app, new_admin, client):
    password_step(client, NEW_ADMIN)
    secret, codes = enrol(client, NEW_ADMIN)
    text = audit_text(app)
    assert "mfa-enrolled" in text and secret not in text
    assert not any(code in text for code in codes)


@pytest.mark.parametrize("other", [None, "https://login.microsoftonline.com/tenant/v2.0"])
def test_local_sign_in_turned_off_shows_no_password_form_and_refuses_its_post(app, client, other):
    with app.app_context():
        add_user(AGENT_EMAIL, AGENT)
    app.config.update(STAFF_LOCAL_SIGN_IN=False, OIDC_ISSUER=other)
    soup = page(client.get("/staff/sign-in"))
    assert soup.find("input", attrs={"type": "password"}) is None
    said = "No way to sign in is set up" in soup.get_text()
    assert said == (other is None)  # with another sign-in configured, its button is the way in
    token = page(client.get("/wizard/start")).find("input", attrs={"name": "csrf_token"})["value"]  # a valid one
    refused = client.post("/staff/sign-in", data={"email": AGENT_EMAIL, "password": "correct horse battery",
                                                  "csrf_token": token})
    assert refused.status_code == 403
    assert client.get("/staff/cases").status_code == 302
    assert actions(app, AGENT_EMAIL) == []


def test_wrong_codes_from_one_address_make_it_wait(limited_app):
    with limited_app.app_context():
        add_user(ADMIN_EMAIL, ADMIN)
    client = limited_app.test_client()
    password_step(client, ADMIN_EMAIL)
    for _attempt in range(mfa.MAX_FAILURES):
        assert submit(client, CODE, {"code": "000000"}).status_code == 200
    response = submit(client, CODE, {"code": code_at(TOTP_SECRET)})
    assert response.status_code == 429 and page(response).h1.get_text() == "Too many sign-in attempts"


def test_the_code_pages_speak_swedish(app, new_admin, admin_user, client):
    password_step(client, NEW_ADMIN)
    soup = page(client.get(SET_UP + "?lang=sv"))
    assert soup.h1.get_text() == "Konfigurera tvåstegsverifiering"
    assert soup.select_one("img.qr-code")["alt"].startswith("QR-kod för din autentiseringsapp")
    other = app.test_client()
    other.set_cookie("lang", "sv")
    password_step(other, ADMIN_EMAIL)
    refused = submit(other, CODE, {"code": "000000"})
    assert page(refused).h1.get_text() == "Ange din engångskod"
    assert "Koden stämmer inte" in error_text(refused)


def test_a_half_signed_in_session_lapses_after_ten_minutes(app, admin_user, client):
    password_step(client, ADMIN_EMAIL)
    with client.session_transaction() as session:
        session["staff_pending"] = {**session["staff_pending"], "at": session["staff_pending"]["at"] - 601}
    assert client.get(CODE).headers["Location"].startswith("/staff/sign-in?next=")
    forget_spent_step(app, ADMIN_EMAIL)
    token = page(client.get("/wizard/start")).find("input", attrs={"name": "csrf_token"})["value"]
    late = client.post(CODE, data={"csrf_token": token, "code": code_at(TOTP_SECRET)})
    assert late.headers["Location"].startswith("/staff/sign-in?next=")
    assert client.get("/staff/cases").status_code == 302  # the right code, too late, signs nobody in
