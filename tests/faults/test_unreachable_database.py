"""Every kind of page while the database cannot be reached at all: 503 with a page that says so, never a 500.

The same app and cookies as a working one, but its database URL names a port where nothing listens (the
database host is down): a signed-in staff member's pages too, whose account is looked up in the database
while the error page itself is drawn.
"""
from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from bench.server import free_port
from tests.conftest import page, submit
from tests.staff.conftest import sign_in, users  # noqa: F401  (a fixture)


@pytest.fixture
def unreachable(app):
    """The app's twin on a PostgreSQL port where nothing listens."""
    twin = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "TRUSTED_ROOTS_FILE")}, "TESTING": True,
                       "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://nobody:x@127.0.0.1:{free_port()}/gone"})
    twin.test_client_class = app.test_client_class
    return twin


@pytest.mark.parametrize("path", ["/staff/cases", "/staff/cases/new", "/"])
def test_a_signed_in_staff_member_gets_503_not_500(app, users, unreachable, path):
    staff = app.test_client()
    assert sign_in(staff).status_code == 302
    client = unreachable.test_client()
    client.set_cookie("session", staff.get_cookie("session").value)
    response = client.get(path)
    assert response.status_code == 503, response.status_code
    assert page(response).h1.get_text() == "Sorry, the service is unavailable"


def test_a_json_download_answers_in_json(app, client, unreachable):
    answer = {"role": "admin", "organization": "Json Ltd", "ticket": ""}
    assert submit(client, "/wizard/start", answer).status_code == 302
    with app.app_context():
        reference = db.session.execute(text("SELECT reference FROM cases")).scalar()
    reader = unreachable.test_client()
    reader.set_cookie("session", client.get_cookie("session").value)
    response = reader.get(f"/cases/{reference}/plan.json")
    assert response.status_code == 503 and response.json["error"]["code"] == "database_unavailable"


def test_a_database_that_never_answers_holds_a_request_no_longer_than_the_connect_timeout(app):
    """A socket that takes connections and never says a word, as a hung database host does: the request gives up
    after DATABASE_CONNECT_TIMEOUT (2 s, libpq's shortest) with a 503, rather than wait for ever."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        twin = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "TRUSTED_ROOTS_FILE")}, "TESTING": True,
                           "SQLALCHEMY_DATABASE_URI":
                               f"postgresql+psycopg://nobody:x@127.0.0.1:{silent.getsockname()[1]}/hung"})
        answers = []
        started = time.monotonic()
        asking = threading.Thread(target=lambda: answers.append(twin.test_client().get("/healthz").status_code),
                                  daemon=True)
        asking.start()
        asking.join(15)
        seconds = time.monotonic() - started
    assert answers == [503], f"no answer after {seconds:.1f} s"
    assert seconds < 5


def test_a_refused_sign_in_never_writes_the_password_into_the_page(unreachable):
    client = unreachable.test_client()
    response = submit(client, "/staff/sign-in", {"email": "agent@helpdesk.example", "password": "Correct horse 42"})
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Correct horse 42" not in body and "Submit your answer again" not in body
