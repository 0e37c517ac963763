"""A customer's kept result page answered before Flask (app/reports/early.py): the same answer as Flask's
(status, body, every header but Date and X-Request-ID), for each part of the page's key a new page when
it changes, and every other request left to Flask."""
from __future__ import annotations

import logging
from datetime import datetime, time, timedelta, timezone

import pytest
from flask import request_started
from sqlalchemy import select, update

from app.extensions import db
from app.staff.models import User
from app.staff.direct_sql import DirectConnection
from app.staff.presence import CaseFollower, customer_view_on
from app.store import Case, utcnow
from tests.certfactory import Hierarchy, make_hierarchy, make_leaf
from tests.conftest import submit
from tests.staff.conftest import AGENT_EMAIL, sign_in, users  # noqa: F401 (a fixture)
from tests.staff.test_follow import leave_note, poll
from tests.staff.test_follow_early import emptied_database, flask_requests  # noqa: F401 (a fixture)
from tests.web.test_reports import result_url  # noqa: F401 (a fixture)
from tests.web.test_result_page_kept import frozen_clocks, reference_of
from tests.web.test_wizard import walk_to

IGNORED = {"Date", "X-Request-ID"}


def answer(response) -> tuple:
    return (response.status, response.get_data(),
            sorted((name, value) for name, value in response.headers.items() if name not in IGNORED))


def flask_then_early(client, url: str, flask_requests: list, **options) -> str:
    """The page through Flask (which keeps it), then the same answer before Flask: the page's text."""
    seen = len(flask_requests)
    through_flask = client.get(url, **options)
    assert through_flask.status_code == 200 and len(flask_requests) == seen + 1
    early = client.get(url, **options)
    assert len(flask_requests) == seen + 1, "answered by Flask, not early"
    assert answer(early) == answer(through_flask)
    return early.text


def early(client, url: str, flask_requests: list, **options) -> str:
    """A page kept already: answered before Flask."""
    seen = len(flask_requests)
    response = client.get(url, **options)
    assert response.status_code == 200 and len(flask_requests) == seen, "answered by Flask"
    return response.text


def through_flask(client, url: str, flask_requests: list, **options):
    seen = len(flask_requests)
    response = client.get(url, **options)
    assert len(flask_requests) == seen + 1, "answered early"
    return response


def change_case(app, url: str, **values) -> None:
    with app.app_context():
        db.session.execute(update(Case).where(Case.reference == reference_of(url)).values(**values))
        db.session.commit()


def test_a_reload_is_flasks_answer_without_flask(client, result_url, flask_requests):  # noqa: F811
    text = flask_then_early(client, result_url, flask_requests)
    assert reference_of(result_url) in text
    early = client.get(result_url)
    assert "Set-Cookie" not in early.headers and early.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in early.headers and early.headers["Vary"] == "Cookie"


def test_a_new_version_of_the_case_is_a_new_page(app, client, result_url, flask_requests):  # noqa: F811
    assert "Fabrikam" not in flask_then_early(client, result_url, flask_requests)
    change_case(app, result_url, organization="Fabrikam", updated_at=utcnow())
    assert "Fabrikam" in flask_then_early(client, result_url, flask_requests)
    change_case(app, result_url, completed_at=utcnow() - timedelta(days=1), updated_at=Case.updated_at)
    through_flask(client, result_url, flask_requests)  # the completion alone is part of the version


def test_an_owner_set_or_gone_without_a_new_version_is_a_new_page(app, client, users, result_url,  # noqa: F811
                                                                  flask_requests):
    unowned = flask_then_early(client, result_url, flask_requests)
    assert f"write to {AGENT_EMAIL}" not in unowned
    with app.app_context():
        agent_id = db.session.scalar(select(User.id).where(User.email == AGENT_EMAIL))
    change_case(app, result_url, owner_id=agent_id, updated_at=Case.updated_at)
    assert f"write to {AGENT_EMAIL}" in flask_then_early(client, result_url, flask_requests)
    change_case(app, result_url, owner_id=None, updated_at=Case.updated_at)
    assert client.get(result_url).text == unowned  # the page kept for that owner (none) again


def test_each_language_has_its_page(client, result_url, flask_requests):  # noqa: F811
    english = flask_then_early(client, result_url, flask_requests)
    swedish = flask_then_early(client, result_url, flask_requests, headers={"Accept-Language": "sv"})
    assert 'lang="sv"' in swedish and 'lang="en"' in english
    client.set_cookie("lang", "en")  # the language chosen wins over the browser's
    assert early(client, result_url, flask_requests, headers={"Accept-Language": "sv"}) == english
    client.set_cookie("lang", "sv")
    assert early(client, result_url, flask_requests) == swedish


def test_the_help_desks_notice_is_always_flasks(app, client, users, result_url, flask_requests):  # noqa: F811
    plain = flask_then_early(client, result_url, flask_requests)
    reference = reference_of(result_url)
    agent = app.test_client()
    assert sign_in(agent).status_code == 302
    assert poll(agent, reference).status_code == 200  # the agent follows the case now
    for _ in range(2):
        assert "is following this case" in through_flask(client, result_url, flask_requests).text
    leave_note(agent, reference, "Call me at ten")
    assert "Call me at ten" in through_flask(client, result_url, flask_requests).text
    assert "Call me at ten" not in through_flask(client, result_url, flask_requests).text  # shown once
    with app.app_context():
        db.session.execute(db.delete(CaseFollower))
        db.session.commit()
    assert early(client, result_url, flask_requests) == plain  # nobody follows, no note: the first page


def test_a_page_left_to_flask_reads_the_notice_once(app, client, users, result_url, flask_requests,  # noqa: F811
                                                    monkeypatch):
    from app.staff import customer_notice

    reads = []
    monkeypatch.setattr(customer_notice, "customer_view", lambda case_id: reads.append(case_id))
    flask_then_early(client, result_url, flask_requests)
    agent = app.test_client()
    assert sign_in(agent).status_code == 302
    assert poll(agent, reference_of(result_url)).status_code == 200
    assert "is following this case" in through_flask(client, result_url, flask_requests).text
    assert reads == []  # the view the early layer read, not a second query


def test_staff_viewing_the_page_always_get_flasks(app, client, users, result_url, flask_requests):  # noqa: F811
    customer_page = flask_then_early(client, result_url, flask_requests)
    with client.session_transaction() as session:
        case_id = session["case_id"]
    staff = app.test_client()
    assert sign_in(staff).status_code == 302
    with staff.session_transaction() as session:
        session["case_id"] = case_id  # the customer's case, open in a staff session
    for _ in range(2):
        assert "Staff workspace" in through_flask(staff, result_url, flask_requests).text
    assert client.get(result_url).text == customer_page


def test_each_address_has_its_page(client, result_url, flask_requests):  # noqa: F811
    assert "http://localhost/resume/" in flask_then_early(client, result_url, flask_requests)
    other_host = flask_then_early(client, result_url, flask_requests, headers={"Host": "localhost:8080"})
    assert "http://localhost:8080/resume/" in other_host
    assert "https://localhost/resume/" in flask_then_early(client, result_url, flask_requests,
                                                           base_url="https://localhost")


def test_the_settings_the_page_shows_make_a_new_page(app, client, result_url, flask_requests):  # noqa: F811
    assert 'hreflang="sv"' in flask_then_early(client, result_url, flask_requests)
    app.config["LANGUAGES"] = ("en",)
    assert 'hreflang="sv"' not in flask_then_early(client, result_url, flask_requests)
    app.config["HELP_DESK_NAME"] = "Contoso IT"
    through_flask(client, result_url, flask_requests)


def test_the_clock_makes_a_new_page_at_the_hour_the_days_left_drop(client, monkeypatch, flask_requests):
    noon = datetime.combine(utcnow().date(), time(12))
    hierarchy = make_hierarchy()
    leaf = make_leaf(hierarchy.intermediate, "mail.contoso.com", sans=["mail.contoso.com", "contoso.com"],
                     not_after=(noon + timedelta(days=30, hours=1)).replace(tzinfo=timezone.utc))
    walk_to(client, Hierarchy(hierarchy.root, hierarchy.intermediate, leaf))
    url = submit(client, "/wizard/check", {}).headers["Location"]

    frozen_clocks(monkeypatch, noon)
    assert "(30 days left)" in flask_then_early(client, url, flask_requests)
    frozen_clocks(monkeypatch, noon + timedelta(hours=2))
    assert "(29 days left)" in flask_then_early(client, url, flask_requests)
    frozen_clocks(monkeypatch, noon + timedelta(days=1))  # another day: "Made on" changes
    through_flask(client, url, flask_requests)


def test_other_requests_go_to_flask(app, client, result_url, flask_requests):  # noqa: F811
    flask_then_early(client, result_url, flask_requests)
    assert through_flask(app.test_client(), result_url, flask_requests).status_code == 404  # no cookie
    forged = app.test_client()
    good = client.get_cookie("session").value
    forged.set_cookie("session", good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert through_flask(forged, result_url, flask_requests).status_code == 404
    assert through_flask(client, result_url + "?print=1", flask_requests).status_code == 200
    assert through_flask(client, "/cases/KB-0000-0000", flask_requests).status_code == 404
    assert client.post(result_url).status_code == 405 and flask_requests[-1] == result_url
    assert early(client, result_url, flask_requests)


def test_a_session_holding_more_than_the_case_goes_to_flask(client, result_url, flask_requests):  # noqa: F811
    page = flask_then_early(client, result_url, flask_requests)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Saved")]  # a message Flask shows, or keeps, and rewrites the session for
    through_flask(client, result_url, flask_requests)
    with client.session_transaction() as session:
        session.pop("_flashes", None)
        session["_remember"] = "clear"  # Flask-Login's flag: its hook answers with cookies
    through_flask(client, result_url, flask_requests)
    with client.session_transaction() as session:
        assert "_remember" not in session  # Flask-Login took it
    assert early(client, result_url, flask_requests) == page


def test_a_customer_elsewhere_in_the_wizard_has_the_result_page_recorded_by_flask(client, result_url,  # noqa: F811
                                                                                   flask_requests):
    page = flask_then_early(client, result_url, flask_requests)
    client.get("/wizard/check")  # the customer's page is now the check page
    assert through_flask(client, result_url, flask_requests).text == page
    assert early(client, result_url, flask_requests) == page


def test_a_case_past_its_retention_is_not_shown(app, client, result_url, flask_requests):  # noqa: F811
    flask_then_early(client, result_url, flask_requests)
    change_case(app, result_url, updated_at=utcnow() - timedelta(days=app.config["CASE_RETENTION_DAYS"] + 1))
    assert through_flask(client, result_url, flask_requests).status_code == 404


def test_with_https_on_plain_http_goes_to_https_and_https_is_answered_early(app, client, result_url,  # noqa: F811
                                                                            flask_requests):
    from app import create_app

    secure = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "TRUSTED_ROOTS_FILE")},
                         "TESTING": True, "RATELIMIT_ENABLED": False, "HTTPS": True})
    seen = []

    def record(_sender, **_extra):
        seen.append(1)
    request_started.connect(record, secure)
    customer = secure.test_client()
    with client.session_transaction() as session:
        case_id = session["case_id"]
    with customer.session_transaction(base_url="https://localhost") as session:
        session.update({"case_id": case_id, "_permanent": True})
    url = "https://localhost" + result_url
    first = customer.get(url)
    early = customer.get(url)
    assert len(seen) == 1 and answer(early) == answer(first) and "Strict-Transport-Security" in early.headers
    plain = customer.get("http://localhost" + result_url)
    assert len(seen) == 2 and plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
    with secure.app_context():
        db.engine.dispose()


def test_the_early_page_is_logged_and_counted_under_the_views_route(app, client, result_url, caplog):  # noqa: F811
    from tests.operators.test_request_metrics import value

    client.get(result_url)
    series = 'wizard_http_requests_total{method="GET",route="/cases/<reference>",status="200"}'
    before = value(app, series)
    with caplog.at_level(logging.INFO, logger="wizard.requests"):
        with client.get(result_url) as response:  # closed as a WSGI server closes it: then counted
            assert response.status_code == 200
    assert value(app, series) == before + 1
    line = [record for record in caplog.records if record.name == "wizard.requests"][-1]
    assert (line.route, line.status, line.path) == ("/cases/<reference>", 200, result_url)


def test_a_database_that_fails_the_query_gets_the_views_error_page(app, client, result_url, tmp_path,  # noqa: F811
                                                                    flask_requests):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        pytest.skip("moves the SQLite file away (the SQLite pass)")
    page = flask_then_early(client, result_url, flask_requests)
    with emptied_database(app, tmp_path):
        assert through_flask(client, result_url, flask_requests).status_code == 503
    assert client.get(result_url).text == page


def test_the_direct_query_reads_what_core_reads(app, client, users, result_url):  # noqa: F811
    reference = reference_of(result_url)
    client.get(result_url)
    agent = app.test_client()
    assert sign_in(agent).status_code == 302
    assert poll(agent, reference).status_code == 200
    leave_note(agent, reference, "A note")
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        with db.engine.connect() as connection:
            through_core = customer_view_on(connection, case_id)
        with DirectConnection(db.engine) as connection:
            direct = customer_view_on(connection, case_id, app.config)
    assert direct == through_core
    assert direct.notes and direct.followers and direct.position == "result" and direct.case.reference == reference
