"""The house itself: health check, error pages, headers everywhere, language, config."""
from __future__ import annotations

import io

import pytest

from app import create_app
from app.config import load_config
from app.extensions import db
from app.store import Case
from tests.conftest import page, submit
from tests.web.test_wizard import START

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def assert_security_headers(response) -> None:
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_healthz_answers_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_healthz_fails_when_the_database_is_gone(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing-dir/none.sqlite3"})
    assert app.test_client().get("/healthz").status_code == 503


def test_not_found_page_in_the_apps_look_with_headers(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert page(response).h1.get_text() == "Page not found"
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/wizard/certificate", "/wizard/certificate?return=check", "/renewal"])
def test_upload_over_the_limit_gets_413_naming_the_limit_and_the_way_back(client, path):
    submit(client, "/wizard/start", START)
    token = page(client.get(path)).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(path, data={
        "csrf_token": token, "certificate_file": (io.BytesIO(b"0" * (2 * 1024 * 1024)), "big.pfx")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    soup = page(response)
    assert "1 MiB" in soup.get_text() and "1.0 MiB" not in soup.get_text()
    back = soup.find("a", string="Go back and choose a smaller file")
    assert back is not None and back["href"] == path
    assert client.get(back["href"]).status_code == 200
    assert_security_headers(response)


def test_a_page_asked_for_with_get_offers_no_way_back_to_a_form(client):
    assert not page(client.get("/no-such-page")).find("a", string="Go back to the form")


def test_an_expired_form_links_back_to_itself(client):
    response = client.post("/wizard/start?return=check", data=START)
    assert response.status_code == 400
    assert page(response).find("a", string="Go back to the form")["href"] == "/wizard/start?return=check"


def test_the_icon_is_linked_and_served_at_the_root_too(client):
    """Browsers ask /favicon.ico for a PDF or JSON they show; every page links the SVG."""
    icon = page(client.get("/")).find("link", rel="icon")["href"]
    assert client.get(icon).status_code == 200
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_post_without_csrf_token_is_refused_with_an_explanation(client):
    response = client.post("/wizard/start", data=START)
    assert response.status_code == 400
    soup = page(response)
    assert soup.h1.get_text() == "This form has expired"
    assert_security_headers(response)


def test_language_switch_sets_cookie_and_html_lang(client):
    response = client.get("/language/sv?next=/wizard/start")
    assert response.status_code == 302 and response.headers["Location"] == "/wizard/start"
    assert page(client.get("/wizard/start")).html["lang"] == "sv"


def test_language_switch_never_redirects_off_site(client):
    assert client.get("/language/sv?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/language/sv?next=https://evil.example/").headers["Location"] == "/"


def test_lang_in_the_address_works_on_any_page_and_is_kept(client):
    """A help-desk agent can send a customer a Swedish link."""
    for path in ("/", "/wizard/start", "/diagnose", "/resume", "/no-such-page"):
        assert page(client.get(path + "?lang=sv")).html["lang"] == "sv", path
    assert page(client.get("/renewal")).html["lang"] == "sv"  # the cookie keeps it
    assert page(client.get("/renewal?lang=en")).html["lang"] == "en"
    assert page(client.get("/")).html["lang"] == "en"


def test_lang_in_the_address_ignores_unknown_languages(client):
    response = client.get("/?lang=xx", headers={"Accept-Language": "sv"})
    assert page(response).html["lang"] == "sv" and "lang=" not in response.headers.get("Set-Cookie", "")


def test_a_download_in_another_language_keeps_the_screens_language(client, hierarchy):
    from tests.web.test_wizard import walk_to
    walk_to(client, hierarchy)
    result = submit(client, "/wizard/check", {}).headers["Location"]
    assert page(client.get(result + "?lang=sv")).html["lang"] == "sv"
    assert client.get(result + "/report.pdf?lang=en").headers.get("Set-Cookie") is None
    assert page(client.get(result)).html["lang"] == "sv"


def test_the_language_switch_drops_lang_from_the_address_it_returns_to(client):
    soup = page(client.get("/diagnose?lang=sv&x=1"))
    switch = soup.find("a", hreflang="en")["href"]
    assert "lang%3Dsv" not in switch and "next=/diagnose?x%3D1" in switch.replace("%2F", "/")
    assert page(client.get(client.get(switch).headers["Location"])).html["lang"] == "en"


def test_accept_language_picks_swedish(client):
    assert page(client.get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9"})).html["lang"] == "sv"


def test_session_cookie_is_httponly_and_lax(client):
    response = submit(client, "/wizard/start", START)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"})


def test_use_the_mx_guess_button(client, app):
    submit(client, "/wizard/start", START)
    submit(client, "/wizard/scenarios", {"scenarios": ["ndr"]})
    submit(client, "/wizard/domains", {"accepted_domains": "contoso.com"})
    submit(client, "/wizard/connector", {"kind": "none"})
    submit(client, "/wizard/server", {"kind": "postfix"})
    soup = page(client.get("/wizard/server-details"))
    assert soup.find("button", attrs={"name": "use_guess"}).get_text() == "Use contoso-com.mail.protection.outlook.com"
    response = submit(client, "/wizard/server-details", {"fqdn": "mx1.contoso.com", "mx_endpoint": "", "use_guess": "1"})
    # Issue 24, item 12: the guess is filled in and called a guess, not saved as confirmed.
    assert response.status_code == 200
    filled = page(response)
    assert filled.find("input", attrs={"name": "mx_endpoint"})["value"] == "contoso-com.mail.protection.outlook.com"
    assert "It is only a guess" in filled.select_one("[role=status]").get_text()
    with app.app_context():
        assert "server-details" not in db.session.scalars(db.select(Case)).one().answers
    response = submit(client, "/wizard/server-details", {"fqdn": "mx1.contoso.com",
                                                         "mx_endpoint": "contoso-com.mail.protection.outlook.com"})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert case.answers["server-details"]["mx_endpoint"] == "contoso-com.mail.protection.outlook.com"


def test_unexpected_errors_get_the_apps_500_page_with_headers(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert page(response).h1.get_text() == "Sorry, something went wrong"
    assert "kaput" not in response.get_data(as_text=True)
    assert_security_headers(response)


def test_development_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first, second = load_config(str(tmp_path)), load_config(str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/cases.sqlite3"
    assert first["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_session_cookie_is_secure_behind_https(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "HTTPS": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    token = page(client.get("https://localhost/wizard/start")).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("https://localhost/wizard/start", data={**START, "csrf_token": token},
                           headers={"Referer": "https://localhost/wizard/start"})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]
