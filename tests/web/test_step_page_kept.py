"""A step's page is kept per case version (app/wizard/kept.py): a reload neither loads the case nor
renders the form, and everything the page depends on makes a new one: an answer saved (on this
step or another), the language, the query, the case's owner, the retention period; the CSRF token is
always the browser's own."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.store import Case
from app.wizard import session as wizard_session
from tests.conftest import page, submit
from tests.web.test_wizard import walk_to

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def case_loads(monkeypatch) -> list[int]:
    """Every full load of the visitor's case (the case with all its answers)."""
    loads: list[int] = []
    get_case = wizard_session.get_case
    monkeypatch.setattr(wizard_session, "get_case", lambda case_id: loads.append(case_id) or get_case(case_id))
    return loads


@pytest.fixture
def walked(client, hierarchy):
    walk_to(client, hierarchy)
    return client


def text(response) -> str:
    return " ".join(page(response).get_text(" ").split())


def test_a_reload_of_a_step_is_the_kept_page_with_a_token_that_works(walked, case_loads):
    first = walked.get("/wizard/domains")
    loads = len(case_loads)
    again = walked.get("/wizard/domains")

    assert again.status_code == 200 and len(case_loads) == loads  # no case loaded, no form rendered
    assert TOKEN.sub("", again.get_data(as_text=True)) == TOKEN.sub("", first.get_data(as_text=True))
    token = TOKEN.search(again.get_data(as_text=True)).group(1)
    saved = walked.post("/wizard/domains", data={"csrf_token": token, "accepted_domains": "contoso.com"})
    assert saved.status_code == 302


def test_another_browser_of_the_case_gets_its_own_token(app, walked):
    walked.get("/wizard/domains")  # kept
    with app.app_context():
        secret = db.session.scalar(select(Case.secret_token))
    other = app.test_client()
    assert submit(other, f"/resume/{secret}").status_code == 302
    shown = other.get("/wizard/domains").get_data(as_text=True)
    assert "fabrikam.com" in shown
    saved = other.post("/wizard/domains", data={"csrf_token": TOKEN.search(shown).group(1),
                                                "accepted_domains": "contoso.com"})
    assert saved.status_code == 302  # the token is this browser's, not the one the page was kept with


def test_a_saved_answer_shows_on_its_step_and_on_the_steps_that_use_it(walked):
    guess = "the MX endpoint is usually contoso-com.mail.protection.outlook.com"
    assert "fabrikam.com" in walked.get("/wizard/domains").get_data(as_text=True)
    assert guess in text(walked.get("/wizard/server-details"))

    assert submit(walked, "/wizard/domains", {"accepted_domains": "tailspintoys.com"}).status_code == 302

    assert "fabrikam.com" not in walked.get("/wizard/domains").get_data(as_text=True)
    details = text(walked.get("/wizard/server-details"))
    assert guess not in details and "tailspintoys-com.mail.protection.outlook.com" in details


def test_each_language_and_query_gets_its_own_page(walked):
    english = walked.get("/wizard/domains")
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert page(english).select_one("a.back-link")["href"] == "/wizard/scenarios"

    assert '<html lang="sv">' in walked.get("/wizard/domains?lang=sv").get_data(as_text=True)
    # The language cookie that ?lang= set, on the address whose English page is kept:
    assert '<html lang="sv">' in walked.get("/wizard/domains").get_data(as_text=True)
    walked.get("/language/en")
    assert '<html lang="en">' in walked.get("/wizard/domains").get_data(as_text=True)

    returning = walked.get("/wizard/domains?return=check")
    assert page(returning).select_one("a.back-link")["href"] == "/wizard/check"
    assert page(walked.get("/wizard/domains")).select_one("a.back-link")["href"] == "/wizard/scenarios"


def test_an_owner_given_or_gone_changes_whom_the_question_addresses(app, walked):
    """The agent's voice for a case the customer walks alone; the customer's own voice once the help
    desk owns it. A deleted account clears the owner in the database without a new version of the case."""
    assert "customer" in page(walked.get("/wizard/domains")).select_one("h1").get_text().lower()

    def owner(value):
        with app.app_context():
            db.session.execute(update(Case).values(owner_id=value, updated_at=Case.updated_at))
            db.session.commit()

    with app.app_context():
        from app.staff.models import User

        user = User(email="owner@example.com", password_hash="x", role="agent")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    owner(user_id)
    assert "customer" not in page(walked.get("/wizard/domains")).select_one("h1").get_text().lower()
    owner(None)
    assert "customer" in page(walked.get("/wizard/domains")).select_one("h1").get_text().lower()


def test_a_case_past_its_retention_is_not_served_from_the_kept_pages(app, walked):
    assert walked.get("/wizard/domains").status_code == 200  # kept
    app.config["CASE_RETENTION_DAYS"] = 0
    gone = walked.get("/wizard/domains")
    assert gone.status_code == 302 and gone.headers["Location"].endswith("/wizard/start")
