"""The per-request hooks, trimmed to the requests that need them, still do their work where they apply."""
from __future__ import annotations

import pytest
from flask import Blueprint

from app import create_app
from app.extensions import RouteLimiter, db
from tests.conftest import submit


@pytest.fixture
def limited_app(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE_URI": "memory://",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite3'}"})
    with app.app_context():
        db.create_all()
    return app


def test_a_limited_route_still_answers_429_past_its_limit(limited_app):
    client = limited_app.test_client()
    guess = {"reference": "KB-0000-0000", "organization": "Contoso"}
    statuses = [submit(client, "/resume", guess).status_code for _ in range(12)]
    assert statuses[-1] == 429 and statuses.count(429) == 2  # 10 POSTs a minute
    assert client.get("/resume").status_code == 200  # the limit counts POSTs only


def test_routes_without_a_limit_are_never_limited(limited_app):
    client = limited_app.test_client()
    assert {client.get("/").status_code for _ in range(120)} == {200}


def test_limits_that_would_need_the_skipped_hook_are_refused():
    with pytest.raises(ValueError):
        RouteLimiter(key_func=lambda: "x", default_limits=["1 per day"])
    with pytest.raises(TypeError):
        RouteLimiter(key_func=lambda: "x").limit("1 per day")(Blueprint("b", __name__))


def test_forms_still_need_their_csrf_token(client):
    assert client.post("/wizard/start", data={"organization": "Contoso", "role": "admin"}).status_code == 400
    assert submit(client, "/wizard/start", {"organization": "Contoso", "role": "admin", "ticket": ""}).status_code == 302


def test_csrf_can_still_be_switched_off_for_tests(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'csrf.sqlite3'}"})
    with app.app_context():
        db.create_all()
    response = app.test_client().post("/wizard/start", data={"organization": "Contoso", "role": "admin", "ticket": ""})
    assert response.status_code == 302


def test_every_response_carries_the_same_security_policy(client):
    policies = {client.get(path).headers["Content-Security-Policy"] for path in ("/", "/healthz", "/resume", "/nowhere")}
    assert len(policies) == 1
    assert "default-src 'self'" in policies.pop()
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_a_new_secret_key_signs_new_sessions(app):
    client = app.test_client()
    submit(client, "/wizard/start", {"organization": "Contoso", "role": "admin", "ticket": ""})
    assert "Contoso" in client.get("/").get_data(as_text=True)
    app.secret_key = "another secret"
    assert "Contoso" not in client.get("/").get_data(as_text=True)  # the old cookie no longer opens the case


def test_a_security_header_a_view_set_is_replaced_not_doubled(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'headers.sqlite3'}"})
    app.add_url_rule("/framed", "framed", lambda: ("framed", 200, {"X-Frame-Options": "SAMEORIGIN"}))
    client = app.test_client()
    plain, framed = client.get("/healthz"), client.get("/framed")
    assert framed.headers.getlist("X-Frame-Options") == ["DENY"]
    assert sorted(framed.headers.keys()) == sorted(plain.headers.keys())
