"""The live poll's 304 answered before Flask (app/staff/live_poll.py): the same answer and the same
checks as the view, for every session the view would refuse, and the bookkeeping the view does."""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import request_started
from sqlalchemy import select, update

from app.extensions import db
from app.staff.direct_sql import DirectConnection
from app.staff.models import User
from app.staff.presence import CaseFollower, live_state, poll_connection
from app.store import Case, utcnow
from tests.staff.conftest import AGENT_EMAIL
from tests.staff.test_follow import customer, leave_note, live_text, poll, save, start_case, steps  # noqa: F401

IGNORED = {"Date", "X-Request-ID", "Content-Length", "Content-Type"}


@pytest.fixture
def followed(agent, customer, steps):  # noqa: F811
    """(reference, etag): a case the agent's page shows as it is now."""
    reference = start_case(customer, steps)
    first = poll(agent, reference)
    assert first.status_code == 200
    return reference, first.headers["ETag"].strip('"')


@pytest.fixture
def flask_requests(app):
    """The requests that went through Flask's request cycle."""
    seen = []

    def record(_sender, **_extra):
        from flask import request

        seen.append(request.path)
    request_started.connect(record, app)
    yield seen
    request_started.disconnect(record, app)


def set_session(client, **values):
    with client.session_transaction() as session:
        session.update(values)


def sign_in_page(response) -> bool:
    return response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_an_unchanged_case_is_answered_before_flask_with_flasks_headers(agent, followed, flask_requests):
    reference, etag = followed
    early = poll(agent, reference, etag)
    assert early.status_code == 304 and early.get_data() == b""
    assert flask_requests == []
    through_flask = agent.get(f"/staff/cases/{reference}/live?from=flask", headers={"If-None-Match": f'"{etag}"'})
    assert through_flask.status_code == 304 and flask_requests == [f"/staff/cases/{reference}/live"]
    assert {k: v for k, v in early.headers.items() if k not in IGNORED} == \
        {k: v for k, v in through_flask.headers.items() if k not in IGNORED}
    assert early.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in early.headers


def test_a_change_is_still_rendered(agent, customer, steps, followed):  # noqa: F811
    reference, etag = followed
    save(customer, steps[1])
    changed = poll(agent, reference, etag)
    assert changed.status_code == 200 and changed.headers["ETag"].strip('"') != etag
    leave_note(agent, reference, "Hello")
    assert "Hello" in live_text(poll(agent, reference, changed.headers["ETag"].strip('"')))


def test_ended_sessions_and_deactivated_accounts_go_to_the_sign_in_page(app, agent, followed):
    reference, etag = followed
    assert poll(agent, reference, etag).status_code == 304
    with app.app_context():
        db.session.execute(update(User).where(User.email == AGENT_EMAIL).values(session_version=User.session_version + 1))
        db.session.commit()
    assert sign_in_page(poll(agent, reference, etag))
    with app.app_context():
        db.session.execute(update(User).where(User.email == AGENT_EMAIL).values(session_version=0, active=False))
        db.session.commit()
    assert sign_in_page(poll(agent, reference, etag))


def test_an_idle_session_is_signed_out_with_the_reason(app, agent, followed):
    reference, etag = followed
    set_session(agent, staff_seen=int(time.time()) - app.config["STAFF_IDLE_MINUTES"] * 60 - 5)
    response = poll(agent, reference, etag)
    assert sign_in_page(response)
    assert "without activity" in live_text(agent.get(response.headers["Location"]))


def test_a_poll_notes_the_activity_in_the_session_as_any_staff_page(app, agent, followed, flask_requests):
    reference, etag = followed
    set_session(agent, staff_seen=int(time.time()) - 20)
    response = poll(agent, reference, etag)
    assert response.status_code == 304 and flask_requests == []
    assert "session=" in response.headers["Set-Cookie"]
    with agent.session_transaction() as session:
        assert abs(session["staff_seen"] - time.time()) < 3
    assert poll(agent, reference, etag).status_code == 304  # the new cookie opens the session too
    assert agent.get("/staff/cases").status_code == 200


def test_a_changed_or_expired_cookie_is_refused(app, agent, followed):
    reference, etag = followed
    assert poll(agent, reference, etag).status_code == 304  # this cookie is known to the worker now
    good = agent.get_cookie("session").value
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    agent.set_cookie("session", forged)
    assert sign_in_page(poll(agent, reference, etag))
    agent.set_cookie("session", good)
    assert poll(agent, reference, etag).status_code == 304
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)  # every cookie older than its lifetime
    assert sign_in_page(poll(agent, reference, etag))


def test_signed_out_visitors_and_other_methods_get_what_flask_answers(app, agent, followed):
    reference, etag = followed
    stranger = app.test_client()
    assert sign_in_page(poll(stranger, reference, etag))
    assert agent.post(f"/staff/cases/{reference}/live", headers={"If-None-Match": f'"{etag}"'}).status_code == 405
    assert poll(agent, "KB-0000-0000", etag).status_code == 404


def test_the_follower_is_noted_by_unchanged_polls(app, agent, followed):
    reference, etag = followed
    with app.app_context():
        db.session.execute(update(CaseFollower).values(last_seen=utcnow() - timedelta(seconds=9)))
        db.session.commit()
    assert poll(agent, reference, etag).status_code == 304
    with app.app_context():
        assert utcnow() - db.session.scalar(select(CaseFollower.last_seen)) < timedelta(seconds=3)
        db.session.execute(db.delete(CaseFollower))  # the first poll of a page: the row is made
        db.session.commit()
    assert poll(agent, reference, etag).status_code == 304
    with app.app_context():
        assert utcnow() - db.session.scalar(select(CaseFollower.last_seen)) < timedelta(seconds=3)


def test_the_language_is_part_of_the_etag(agent, followed):
    reference, etag = followed
    swedish = agent.get(f"/staff/cases/{reference}/live", headers={"If-None-Match": f'"{etag}"',
                                                                     "Accept-Language": "sv"})
    assert swedish.status_code == 200 and "Kundens sida" in live_text(swedish)
    swedish_etag = swedish.headers["ETag"].strip('"')
    assert agent.get(f"/staff/cases/{reference}/live", headers={"If-None-Match": f'"{swedish_etag}"',
                                                                "Accept-Language": "sv"}).status_code == 304
    agent.set_cookie("lang", "en")  # the language the agent chose wins over the browser's
    assert agent.get(f"/staff/cases/{reference}/live", headers={"If-None-Match": f'"{etag}"',
                                                                "Accept-Language": "sv"}).status_code == 304


def test_with_https_on_a_plain_http_poll_is_sent_to_https(app, users, customer, steps):  # noqa: F811
    from app import create_app

    reference = start_case(customer, steps)
    secure = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "TRUSTED_ROOTS_FILE")},
                         "TESTING": True, "RATELIMIT_ENABLED": False, "HTTPS": True})
    with secure.app_context():
        user = db.session.scalar(select(User).where(User.email == AGENT_EMAIL))
    agent = secure.test_client()
    with agent.session_transaction(base_url="https://localhost") as session:  # as the sign-in leaves it
        session.update({"_user_id": user.get_id(), "_fresh": True, "staff_seen": int(time.time())})
    first = agent.get(f"https://localhost/staff/cases/{reference}/live")
    etag = first.headers["ETag"].strip('"')
    secured = agent.get(f"https://localhost/staff/cases/{reference}/live", headers={"If-None-Match": f'"{etag}"'})
    assert secured.status_code == 304 and "Strict-Transport-Security" in secured.headers
    plain = agent.get(f"http://localhost/staff/cases/{reference}/live", headers={"If-None-Match": f'"{etag}"'})
    assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
    with secure.app_context():
        db.engine.dispose()


def test_the_direct_query_reads_what_core_reads(app, agent, customer, steps, followed):  # noqa: F811
    reference, _etag = followed
    for step in steps[1:4]:
        save(customer, step)
    leave_note(agent, reference, "A note")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == AGENT_EMAIL))
        with poll_connection() as connection:
            through_core = live_state(connection, reference, user_id)
        with DirectConnection(db.engine) as connection:
            direct = live_state(connection, reference, user_id)
        assert tuple(direct) == tuple(through_core) and direct._fields == tuple(through_core._fields)
        assert isinstance(direct.updated_at, type(utcnow())) and direct.note_id is not None
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert direct.id == case.id


def test_a_database_that_refuses_the_follower_write_still_answers_304(app, agent, followed):
    from tests.hostile.test_read_only_database import read_only_twin

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the read-only twin opens the same SQLite file read-only (the SQLite pass)")
    reference, etag = followed
    with app.app_context():
        db.session.execute(update(CaseFollower).values(last_seen=utcnow() - timedelta(seconds=9)))
        db.session.commit()
    reader = read_only_twin(app).test_client()
    reader.set_cookie("session", agent.get_cookie("session").value)
    assert poll(reader, reference, etag).status_code == 304


def test_connections_go_back_to_the_pool_with_transactions_on(app, agent, followed):
    """The early poll reads in autocommit on PostgreSQL: every pooled connection must come back out of it,
    or a page's transaction would write half of what it meant to."""
    reference, etag = followed
    assert poll(agent, reference, etag).status_code == 304
    with app.app_context():
        pooled = [db.engine.raw_connection() for _ in range(max(1, db.engine.pool.checkedin()))]
        try:
            for connection in pooled:
                cursor = connection.cursor()
                cursor.execute("UPDATE cases SET organization = 'Changed'")
                connection.rollback()
                cursor.close()
        finally:
            for connection in pooled:
                connection.close()
        assert db.session.scalar(select(Case.organization).where(Case.reference == reference)) == "Contoso Ltd"


def test_the_early_304_is_logged_and_counted_under_the_views_route(app, agent, followed, caplog):
    from tests.operators.test_request_metrics import value

    reference, etag = followed
    series = 'wizard_http_requests_total{method="GET",route="/staff/cases/<reference>/live",status="304"}'
    before = value(app, series)
    with caplog.at_level(logging.INFO, logger="wizard.requests"):
        with poll(agent, reference, etag) as response:
            assert response.status_code == 304
    assert value(app, series) == before + 1
    line = [record for record in caplog.records if record.name == "wizard.requests"][-1]
    assert (line.route, line.status, line.path) == ("/staff/cases/<reference>/live", 304,
                                                    f"/staff/cases/{reference}/live")


@contextmanager
def emptied_database(app, folder):
    """The app's SQLite file emptied (no tables: every query fails) inside the block, then put back."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        pytest.skip("moves the SQLite file away (the SQLite pass)")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with app.app_context():
        db.engine.dispose()
    moved = folder / "moved.sqlite3"
    with open(path, "rb") as source:
        moved.write_bytes(source.read())
    open(path, "wb").close()
    try:
        yield
    finally:
        with app.app_context():
            db.engine.dispose()
        with open(path, "wb") as target:
            target.write(moved.read_bytes())


def test_a_database_that_fails_the_query_gets_the_views_error_page(app, agent, followed, tmp_path):
    reference, etag = followed
    with emptied_database(app, tmp_path):
        response = poll(agent, reference, etag)
        assert response.status_code == 503, response.status_code  # the app's page for a database that fails
    assert poll(agent, reference, etag).status_code == 304
