"""The OpenID Connect settings: what the role map accepts, and set-ups that cannot work stop the start."""
from __future__ import annotations

import pytest

from app import create_app
from app.staff.oidc_settings import expected_issuer, issuer_accepted, load_settings, parse_role_map

ENTRA = "https://login.microsoftonline.com/{tenantid}/v2.0"
BASE = {"OIDC_ISSUER": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
        "OIDC_CLIENT_ID": "app", "OIDC_CLIENT_SECRET": "s", "OIDC_ROLE_MAP": "Wizard.Agent=agent"}


def test_the_role_map_reads_pairs_or_json_and_the_highest_role_wins():
    assert parse_role_map(" Wizard.Agent = agent , Help Desk Admins=ADMIN ") == {
        "Wizard.Agent": "agent", "Help Desk Admins": "admin"}
    assert parse_role_map('{"0b6d6f59-8f3a-4c1e-9d43-2f3e1a7c5b10": "admin"}') == {
        "0b6d6f59-8f3a-4c1e-9d43-2f3e1a7c5b10": "admin"}
    settings = load_settings({**BASE, "OIDC_ROLE_MAP": "A=agent,B=admin", "OIDC_ROLE_CLAIM": "groups"})
    assert settings.role_for({"groups": ["x", "A", "B"]}) == "admin"
    assert settings.role_for({"groups": "A"}) == "agent"
    assert settings.role_for({"roles": ["B"]}) is None  # another claim than the one configured


@pytest.mark.parametrize("role_map", ["Wizard.Agent=owner", "Wizard.Agent", "=agent", "[1, 2]"])
def test_a_role_map_that_names_no_staff_role_stops_the_start(role_map):
    with pytest.raises(RuntimeError, match="OIDC_ROLE_MAP"):
        load_settings({**BASE, "OIDC_ROLE_MAP": role_map})


def test_settings_that_cannot_work_stop_the_start(tmp_path):
    assert load_settings({}) is None
    with pytest.raises(RuntimeError, match="OIDC_CLIENT_SECRET"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                    **BASE, "OIDC_CLIENT_SECRET": ""})
    with pytest.raises(RuntimeError, match="OIDC_ALLOWED_TENANTS"):
        load_settings({**BASE, "OIDC_ISSUER": "https://login.microsoftonline.com/organizations/v2.0"})


def test_entra_multi_tenant_tokens_carry_their_own_tenant_in_the_issuer():
    settings = load_settings({**BASE, "OIDC_ISSUER": "https://login.microsoftonline.com/common/v2.0",
                              "OIDC_ALLOWED_TENANTS": "72F988BF-86F1-41AF-91AB-2D7CD011DB47"})
    claims = {"tid": "72f988bf-86f1-41af-91ab-2d7cd011db47"}
    assert settings.tenant_allowed(claims) and not settings.tenant_allowed({"tid": "another"})
    assert not settings.tenant_allowed({})
    assert expected_issuer(ENTRA, claims) == "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"
    assert expected_issuer(ENTRA, {}) == ""


def test_the_metadata_must_name_the_configured_issuer():
    own = "https://idp.example/realms/staff"
    assert issuer_accepted(own, own + "/", {"iss": own + "/"})
    assert not issuer_accepted(own, "https://elsewhere.example", {"iss": "https://elsewhere.example"})
    tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    entra = f"https://login.microsoftonline.com/{tenant}/v2.0"
    assert issuer_accepted("https://login.microsoftonline.com/organizations/v2.0", ENTRA, {"tid": tenant, "iss": entra})
    assert not issuer_accepted("https://login.microsoftonline.com/organizations/v2.0", ENTRA,
                               {"tid": "another", "iss": entra})
