"""A database that stops taking writes: /healthz says so, and a failed save says the answer was NOT saved.

The database is opened read-only (SQLite's mode=ro): chmod 0444 would not stop
root, who runs the tests in CI.
"""
from __future__ import annotations

from app import create_app
from app.extensions import db
from tests.conftest import page, submit
from tests.web.test_wizard import walk_to


def read_only_twin(app):
    """The same app and database file, opened read-only."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    twin = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "TRUSTED_ROOTS_FILE")}, "TESTING": True,
                       "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{path}?mode=ro&uri=true"})
    twin.test_client_class = app.test_client_class
    return twin


def test_healthz_answers_503_when_the_database_cannot_write(app):
    assert app.test_client().get("/healthz").status_code == 200
    response = read_only_twin(app).test_client().get("/healthz")
    assert response.status_code == 503 and response.json == {"status": "database unavailable"}


def test_a_failed_save_says_the_answer_was_not_saved(app, client, hierarchy):
    walk_to(client, hierarchy, stop="/wizard/server")
    cookie = client.get_cookie("session")
    reader = read_only_twin(app).test_client()
    reader.set_cookie("session", cookie.value)
    assert reader.get("/wizard/server").status_code == 200  # reading still works
    response = submit(reader, "/wizard/server", {"kind": "exchange-2019"})
    assert response.status_code == 503
    soup = page(response)
    assert soup.h1.get_text() == "Your answer was not saved"
    text = soup.main.get_text(" ", strip=True)
    assert "NOT saved" in text and "submit it again" in text
    assert "answers are kept" not in text
    with app.app_context():
        assert db.session.execute(db.text("select count(*) from case_steps where step = 'server'")).scalar() == 0
