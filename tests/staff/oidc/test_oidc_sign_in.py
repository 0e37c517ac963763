"""Staff sign-in through a real OpenID provider (tests/oidc/provider.mjs): accounts, roles, sign-out, the audit log."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import select

from app.extensions import db
from app.staff.models import AuditEvent, User
from app.staff.oidc_accounts import OidcIdentity
from tests.conftest import page
from tests.staff.oidc.conftest import AGENT_SUB, ACCOUNTS, local, sign_in_with_provider, through_provider, to_provider


def test_first_sign_in_makes_the_account_with_the_mapped_role(oidc_app, provider):
    client = oidc_app.test_client()
    response = sign_in_with_provider(client)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/cases"
    cases = client.get("/staff/cases")
    assert cases.status_code == 200
    assert "Sign out maria.agent@helpdesk.example" in page(cases).get_text()
    assert client.get("/staff/audit").status_code == 403  # an agent
    with oidc_app.app_context():
        identity = db.session.scalar(select(OidcIdentity))
        assert (identity.issuer, identity.subject) == (provider.issuer, AGENT_SUB)
        assert identity.user.role == "agent" and identity.user.email == ACCOUNTS[AGENT_SUB]["email"]
        assert db.session.scalars(select(AuditEvent.action)).all() == ["sign_in_oidc"]


def test_a_later_sign_in_finds_the_account_by_subject_and_follows_the_role(oidc_app, provider):
    assert sign_in_with_provider(oidc_app.test_client()).status_code == 302
    promoted = {**ACCOUNTS, AGENT_SUB: {**ACCOUNTS[AGENT_SUB], "roles": ["Wizard.Admin"], "email": "maria@new.example"}}
    provider.setup(accounts=promoted)
    client = oidc_app.test_client()
    assert sign_in_with_provider(client).headers["Location"] == "/staff/cases"
    assert client.get("/staff/audit").status_code == 200  # an admin now
    with oidc_app.app_context():
        users = db.session.scalars(select(User)).all()
        assert [(u.email, u.role) for u in users] == [(ACCOUNTS[AGENT_SUB]["email"], "admin")]


def test_the_app_picks_up_the_providers_new_signing_key(oidc_app, provider):
    assert sign_in_with_provider(oidc_app.test_client()).status_code == 302  # the app now holds the old key set
    old_kids = provider.jwks_kids()
    new_kids = provider.rotate()
    assert not set(old_kids) & set(new_kids)  # the old key is gone from the provider's JWKS
    client = oidc_app.test_client()
    assert sign_in_with_provider(client).headers["Location"] == "/staff/cases"
    assert client.get("/staff/cases").status_code == 200


def test_sign_out_ends_every_session_and_offers_the_providers_sign_out(oidc_app, provider):
    client = oidc_app.test_client()
    sign_in_with_provider(client)
    other_tab = client.get_cookie("session").value  # a copy of the session, as another tab or a thief has it
    token = page(client.get("/staff/cases")).find("form", action="/staff/sign-out").find("input")["value"]
    response = client.post("/staff/sign-out", data={"csrf_token": token})
    assert response.headers["Location"] == "/staff/oidc/signed-out"
    signed_out = page(client.get("/staff/oidc/signed-out"))
    assert signed_out.h1.get_text(strip=True) == "You have signed out"
    link = signed_out.find("a", string="Sign out at Microsoft")["href"]
    query = dict(parse_qsl(urlsplit(link).query))
    assert link.startswith(provider.issuer + "/session/end?")
    assert query["client_id"] == "kb-wizard" and query["post_logout_redirect_uri"] == "http://localhost/staff/sign-in"
    copy = oidc_app.test_client()
    copy.set_cookie("session", other_tab, domain="localhost")
    assert copy.get("/staff/cases").status_code == 302


def test_the_sign_in_page_offers_the_provider_only_when_configured(oidc_app, provider, client):
    assert page(oidc_app.test_client().get("/staff/sign-in")).find("a", string="Sign in with Microsoft")["href"] \
        == "/staff/oidc/start"
    assert "Sign in with Microsoft" not in client.get("/staff/sign-in").get_data(as_text=True)
    assert client.get("/staff/oidc/start").status_code == 404
    swedish = page(oidc_app.test_client().get("/staff/sign-in?lang=sv"))
    assert swedish.find("a", href="/staff/oidc/start").get_text(strip=True) == "Logga in med Microsoft"


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(oidc_app, provider):
    client = oidc_app.test_client()
    start = page(client.get("/staff/audit", follow_redirects=True)).find("a", string="Sign in with Microsoft")["href"]
    assert start == "/staff/oidc/start?next=/staff/audit"
    assert client.get(local(through_provider(to_provider(client, start)))).headers["Location"] == "/staff/audit"
    assert client.get("/staff/oidc/start").headers["Location"] == "/staff/cases"  # signed in already
    other = oidc_app.test_client()
    callback = local(through_provider(to_provider(other, "/staff/oidc/start?next=//evil.example/")))
    assert other.get(callback).headers["Location"] == "/"
