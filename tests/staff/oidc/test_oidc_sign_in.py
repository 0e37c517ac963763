"""Staff sign-in through a real OpenID provider (tests/oidc/provider.mjs): accounts, roles, sign-out, the audit log."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.staff.models import AuditEvent, User
from app.staff.oidc_accounts import OidcIdentity
from tests.conftest import page
from tests.staff.oidc.conftest import ADMIN_SUB, AGENT_SUB, ACCOUNTS, sign_in_with_provider


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
