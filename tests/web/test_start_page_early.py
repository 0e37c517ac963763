"""The start page of a visitor without cookie or query, answered before Flask: the same bytes and
headers Flask gave, in the visitor's browser language, and never for anyone with a cookie or query."""
from __future__ import annotations

from flask import request_started

from app.web.start_page import MAX_PAGES

SWEDISH = {"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"}


class FlaskRequests:
    """How many requests reached Flask (request_started fires for each)."""

    def __init__(self, app):
        self.count = 0
        request_started.connect(self._started, app)

    def _started(self, sender, **extra):
        self.count += 1


def test_a_second_visitor_gets_flasks_own_answer_without_flask(app):
    flask = FlaskRequests(app)
    first = app.test_client().get("/")
    second = app.test_client().get("/")
    assert flask.count == 1
    assert second.status_code == 200 and second.data == first.data
    def kept(response):  # every header but the request id, which is each request's own
        return sorted((name, value) for name, value in response.headers.items() if name != "X-Request-ID")

    assert kept(second) == kept(first) and second.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert second.headers[header]
    assert second.headers["Cache-Control"] == "no-store" and second.headers["Vary"] == "Cookie"
    assert "Set-Cookie" not in second.headers


def test_each_browser_language_gets_its_own_page(app):
    assert "Börja nu" in app.test_client().get("/", headers=SWEDISH).get_data(as_text=True)
    assert "Start now" in app.test_client().get("/").get_data(as_text=True)
    assert "Börja nu" in app.test_client().get("/", headers=SWEDISH).get_data(as_text=True)
    assert "Start now" in app.test_client().get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)


def test_a_cookie_a_query_or_another_method_goes_to_flask(app):
    flask = FlaskRequests(app)
    app.test_client().get("/")
    visitor = app.test_client()
    visitor.get("/?lang=sv")  # sets the language cookie
    assert "Börja nu" in visitor.get("/").get_data(as_text=True)  # the cookie wins over the kept English page
    assert app.test_client().post("/").status_code == 405
    assert flask.count == 4


def test_https_and_http_are_kept_apart(app):
    secure = app.test_client().get("/", base_url="https://localhost")
    plain = app.test_client().get("/")
    again = app.test_client().get("/", base_url="https://localhost")
    assert again.headers.get("Strict-Transport-Security") == secure.headers.get("Strict-Transport-Security")
    assert "Strict-Transport-Security" not in plain.headers


def test_made_up_host_names_cannot_grow_the_cache_without_end(app):
    flask = FlaskRequests(app)
    for number in range(MAX_PAGES + 10):
        assert app.test_client().get("/", headers={"Host": f"h{number}.example"}).status_code == 200
    assert flask.count == MAX_PAGES + 10
    app.test_client().get("/", headers={"Host": "h0.example"})
    assert flask.count == MAX_PAGES + 10  # one of the first is kept
    app.test_client().get("/", headers={"Host": f"h{MAX_PAGES + 5}.example"})
    assert flask.count == MAX_PAGES + 11  # past the limit nothing more is kept
