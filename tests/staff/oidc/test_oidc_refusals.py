"""Sign-ins the app refuses, each against the real provider: a clear page, no session, a line in the audit log.

Token-level cases make the provider misbehave (tests/oidc/provider.mjs, ``tamper``): it signs the
changed ID token with its own published key, or with a key it never published.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.staff.models import AuditEvent, User
from tests.conftest import page
from tests.staff.conftest import add_user
from tests.staff.oidc.conftest import (ACCOUNTS, AGENT_SUB, FOREIGN_SUB, NO_ROLE_SUB, local, sign_in_with_provider,
                                       through_provider, to_provider)

REFUSED = "You could not be signed in"


def assert_refused(app, client, response, reason: str, says: str) -> None:
    """The refusal page with its explanation; no one signed in; the reason in the audit log, without an address."""
    assert response.status_code == 403
    shown = page(response)
    assert shown.h1.get_text(strip=True) == REFUSED
    assert says in shown.find(role="alert").get_text(" ", strip=True)
    assert client.get("/staff/cases").status_code == 302  # still sent to sign in
    with app.app_context():
        events = db.session.execute(select(AuditEvent.action, AuditEvent.user_email)).all()
        assert events == [(f"oidc_refused_{reason}", "")]
        assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize("tamper, reason, says", [
    ({"aud": "another-app"}, "audience", "issued for another application"),
    ({"expired": True}, "expired", "had expired"),
    ({"nonce": "a-nonce-from-another-sign-in"}, "nonce", "belongs to another sign-in"),
    ({"iss": "http://127.0.0.1:9/"}, "issuer", "came from another identity provider"),
    ({"foreign_key": True}, "signature", "not signed by the identity provider"),
], ids=["another-audience", "expired", "wrong-nonce", "another-issuer", "signed-by-another-key"])
def test_a_token_that_fails_a_check_is_refused(oidc_app, provider, tamper, reason, says):
    provider.setup(tamper=tamper)
    client = oidc_app.test_client()
    assert_refused(oidc_app, client, sign_in_with_provider(client), reason, says)


def test_a_replayed_code_is_refused(oidc_app, provider):
    """The callback address and the browser's cookie as they were, sent again after the sign-in used them."""
    first = oidc_app.test_client()
    callback = local(through_provider(to_provider(first)))
    cookie = first.get_cookie("session").value
    assert first.get(callback).headers["Location"] == "/staff/cases"
    with oidc_app.app_context():
        db.session.execute(AuditEvent.__table__.delete())
        db.session.execute(User.__table__.delete())
        db.session.commit()
    replay = oidc_app.test_client()
    replay.set_cookie("session", cookie, domain="localhost")
    response = replay.get(callback)
    assert_refused(oidc_app, replay, response, "code", "had been used already")


@pytest.mark.parametrize("change", ["missing", "changed"])
def test_a_callback_without_its_state_is_refused(oidc_app, provider, change):
    client = oidc_app.test_client()
    callback = urlsplit(through_provider(to_provider(client)))
    query = dict(parse_qsl(callback.query))
    if change == "missing":
        del query["state"]
    else:
        query["state"] = query["state"][:-2] + ("xx" if not query["state"].endswith("xx") else "yy")
    response = client.get(f"{callback.path}?{urlencode(query)}")
    assert_refused(oidc_app, client, response, "state", "did not start here")


def test_a_tenant_not_allowed_is_refused(oidc_app, provider):
    provider.setup(auto_login=FOREIGN_SUB)
    client = oidc_app.test_client()
    assert_refused(oidc_app, client, sign_in_with_provider(client), "tenant", "may not sign in to this workspace")


def test_claims_that_map_to_no_role_are_refused(oidc_app, provider):
    provider.setup(auto_login=NO_ROLE_SUB)
    client = oidc_app.test_client()
    assert_refused(oidc_app, client, sign_in_with_provider(client), "no_role", "has no role in this workspace")


def test_a_local_account_with_the_same_address_is_not_taken_over(oidc_app, provider):
    with oidc_app.app_context():
        local_account = add_user(ACCOUNTS[AGENT_SUB]["email"])
        password_hash, version = local_account.password_hash, local_account.session_version
    client = oidc_app.test_client()
    response = sign_in_with_provider(client)
    assert response.status_code == 403
    assert "A local account already uses your e-mail address" in page(response).get_text()
    assert client.get("/staff/cases").status_code == 302
    with oidc_app.app_context():
        account = db.session.scalar(select(User))
        assert (account.password_hash, account.session_version, account.role) == (password_hash, version, "agent")
        assert db.session.scalars(select(AuditEvent.action)).all() == ["oidc_refused_email_taken"]


def test_a_person_who_cancels_at_the_provider_is_told_so(oidc_app, provider):
    provider.setup(deny=True)
    client = oidc_app.test_client()
    assert_refused(oidc_app, client, sign_in_with_provider(client), "provider", "did not sign you in")


def test_a_turned_off_account_is_refused(oidc_app, provider):
    assert sign_in_with_provider(oidc_app.test_client()).status_code == 302
    with oidc_app.app_context():
        db.session.scalar(select(User)).active = False
        db.session.execute(AuditEvent.__table__.delete())
        db.session.commit()
    client = oidc_app.test_client()
    response = sign_in_with_provider(client)
    assert response.status_code == 403 and "Your staff account is turned off." in page(response).get_text()
    assert client.get("/staff/cases").status_code == 302
    with oidc_app.app_context():
        assert db.session.scalars(select(AuditEvent.action)).all() == ["oidc_refused_inactive"]
