"""Staff sign-in: every staff URL needs it, admin pages need the admin role, limits, idle timeout, CLI."""
from __future__ import annotations

import time

import pytest

from app import create_app
from app.extensions import db, limiter
from app.staff import cli as staff_cli
from app.staff.auth import PUBLIC_ENDPOINTS
from app.staff.models import User, find_user
from tests.conftest import page
from tests.staff.conftest import ADMIN_EMAIL, AGENT_EMAIL, PASSWORD, add_user, sign_in

ADMIN_ONLY = {"staff.audit_log"}


def staff_urls(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every staff route but the sign-in page."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/staff") or rule.endpoint in PUBLIC_ENDPOINTS:
                continue
            url = rule.rule.replace("<reference>", "KB-0000-0000")
            method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
            found.append((rule.endpoint, method, url))
    return found


def csrf_token(client) -> str:
    return page(client.get("/staff/sign-in")).find("input", attrs={"name": "csrf_token"})["value"]


def test_there_are_staff_urls_to_check(app):
    endpoints = {endpoint for endpoint, _m, _u in staff_urls(app)}
    assert {"staff.cases", "staff.case", "staff.add_note", "staff.audit_log", "staff.sign_out"} <= endpoints


def test_every_staff_url_sends_an_anonymous_visitor_to_sign_in(app, client):
    token = csrf_token(client)
    for endpoint, method, url in staff_urls(app):
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        if endpoint == "staff.sign_out":
            assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
            token = csrf_token(client)  # signing out cleared the session
            continue
        assert response.status_code == 302, (url, response.status_code)
        assert response.headers["Location"].startswith("/staff/sign-in?next="), url


def test_an_agent_cannot_reach_admin_pages(app, agent, admin):
    for endpoint, _method, url in staff_urls(app):
        if endpoint in ADMIN_ONLY:
            refused = agent.get(url)
            assert refused.status_code == 403, url
            assert page(refused).h1.get_text() == "You do not have access to this page"
            assert admin.get(url).status_code == 200, url


def test_sign_in_goes_to_the_case_list_and_sign_out_ends_it(app, users, client):
    response = sign_in(client)
    assert response.headers["Location"] == "/staff/cases"
    assert client.get("/staff/cases").status_code == 200
    assert "Staff workspace" in page(client.get("/")).get_text()
    form = page(client.get("/staff/cases")).find("form", action="/staff/sign-out")
    response = client.post("/staff/sign-out", data={"csrf_token": form.find("input")["value"]})
    assert response.headers["Location"] == "/staff/sign-in"
    assert "You have signed out." in page(client.get("/staff/sign-in")).get_text()
    assert client.get("/staff/cases").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(users, client):
    assert sign_in(client, url="/staff/sign-in?next=/staff/audit").headers["Location"] == "/staff/audit"
    other = client.application.test_client()
    assert sign_in(other, url="/staff/sign-in?next=//evil.example/").headers["Location"] == "/"


@pytest.mark.parametrize("email,password", [(AGENT_EMAIL, "wrong password"), ("nobody@example.com", PASSWORD)])
def test_wrong_credentials_say_what_to_do_without_telling_which(users, client, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 200
    soup = page(response)
    assert soup.title.get_text().startswith("Error: ")
    assert soup.select_one(".error-summary-title").get_text() == "There is a problem"
    assert soup.select_one(".error-summary-list a")["href"] == "#email"
    assert "email address or password is not right" in soup.select_one(".error-summary-list").get_text()


def test_an_inactive_account_cannot_sign_in(app, client):
    with app.app_context():
        add_user("gone@helpdesk.example", active=False)
    assert sign_in(client, "gone@helpdesk.example").status_code == 200


def test_a_deactivated_account_loses_its_session(app, agent):
    with app.app_context():
        find_user(AGENT_EMAIL).active = False
        db.session.commit()
    assert agent.get("/staff/cases").status_code == 302


def test_idle_staff_are_signed_out_with_a_message(app, agent):
    with agent.session_transaction() as session:
        session["staff_seen"] = int(time.time()) - app.config["STAFF_IDLE_MINUTES"] * 60 - 5
    response = agent.get("/staff/cases")
    assert response.headers["Location"].startswith("/staff/sign-in")
    text = page(agent.get(response.headers["Location"])).get_text(" ")
    assert "signed out after 30 minutes without activity" in text


def test_activity_keeps_the_session(app, agent):
    with agent.session_transaction() as session:
        session["staff_seen"] = int(time.time()) - app.config["STAFF_IDLE_MINUTES"] * 60 + 30
    assert agent.get("/staff/cases").status_code == 200


def test_passwords_are_stored_as_scrypt_hashes(app, users):
    with app.app_context():
        user = find_user(ADMIN_EMAIL)
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


@pytest.fixture
def limited_app(app):
    """The sign-in limit needs the limiter on, which the shared fixture turns off."""
    limited = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "TRUSTED_ROOTS_FILE")},
                          "TESTING": True, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    limited.test_client_class = app.test_client_class
    yield limited
    limiter.reset()


def test_failed_sign_ins_from_one_address_make_it_wait(limited_app, users):
    client = limited_app.test_client()
    for _attempt in range(5):
        assert sign_in(client, AGENT_EMAIL, "wrong password").status_code == 200
    response = sign_in(client, AGENT_EMAIL, PASSWORD)  # from this address even the right password waits now
    assert response.status_code == 429
    soup = page(response)
    assert soup.h1.get_text() == "Too many sign-in attempts"
    assert "Wait 1 minute" in soup.get_text(), soup.main.get_text(" ", strip=True)
    assert 0 < int(response.headers["Retry-After"]) <= 62


def test_sign_in_attempts_are_limited_per_address(limited_app, users):
    client = limited_app.test_client()
    for number in range(5):
        assert sign_in(client, f"guess{number}@example.com", "wrong password").status_code == 200
    assert sign_in(client, "guess9@example.com", "wrong password").status_code == 429


def test_successful_sign_ins_do_not_count(limited_app, users):
    for _attempt in range(7):
        client = limited_app.test_client()
        assert sign_in(client, AGENT_EMAIL, PASSWORD).status_code == 302


def test_create_user_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "New.Agent@Helpdesk.example", "--role", "admin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output
    with app.app_context():
        user = find_user("new.agent@helpdesk.example")
        assert user.role == "admin" and user.check_password("a long enough password")


def test_create_user_prompts_twice_at_a_terminal(app, monkeypatch):
    monkeypatch.setattr(staff_cli, "_stdin_is_tty", lambda: True)
    result = app.test_cli_runner().invoke(args=["create-user", "tty@helpdesk.example"],
                                          input="first password 1\nsecond password\nfirst password 1\nfirst password 1\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output.lower()
    with app.app_context():
        assert find_user("tty@helpdesk.example").role == "agent"


@pytest.mark.parametrize("args,stdin,message", [
    (["create-user", "x@helpdesk.example"], "short\n", "at least 12"),
    (["create-user", "not-an-email"], "a long enough password\n", "not an email"),
    (["create-user", "x@helpdesk.example", "--role", "root"], "a long enough password\n", "root"),
    (["create-user", "x@helpdesk.example", "--password", "a long enough password"], "", "no such option"),
])
def test_create_user_refuses_bad_input(app, args, stdin, message):
    result = app.test_cli_runner().invoke(args=args, input=stdin)
    assert result.exit_code != 0 and message in result.output.lower()
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_create_user_refuses_an_existing_account(app, users):
    result = app.test_cli_runner().invoke(args=["create-user", AGENT_EMAIL], input="a long enough password\n")
    assert result.exit_code != 0 and "already exists" in result.output
