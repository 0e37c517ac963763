"""A customer's kept result page, answered before Flask's request cycle (issue 26 item 10).

A reload of one's own result page is served from the page kept for the case's version
(app/reports/kept.py, views.result) without rendering anything; what was left was Flask's request
cycle around it (the request and app contexts, URL matching, the session, the language, the
extensions' hooks, a response object), most of the request. Under gunicorn, with the worker idle between
requests, every line a request runs costs several times what it costs in a loop (bench/README.md).
This layer gives the kept page itself when the view would give exactly that page, and nothing else:

- a GET of /cases/<reference> without a query, on https where HTTPS is on, whose session cookie
  (verified as Flask verifies it: VerifiedSessions, app/staff/live_poll.py) holds a customer's case
  and nothing else (no staff sign-in, no message to flash), and that Flask would not write again;
- the view's own query (the help desk's notice with the case's version, app/staff/presence.py), run
  on a pooled DBAPI connection (app/staff/direct_sql.py), finds the case live with that reference,
  no note for the customer to show and mark read, nobody following (the notice's words are
  translated by Flask-Babel) and the customer's page already recorded as the result page;
- a page is kept under the view's own key (views.page_key: version, owner, language as
  select_locale chooses it, address, viewer, day, notice, settings) and still good at this moment.

The answer carries the headers Flask's answer of this view carries (the security headers, no-store,
Vary: Cookie); no Set-Cookie, as the view sends none there. Anything else goes on to Flask, which
answers as before: a page to render or keep, a notice, a position to record, 404, an error page.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import SecurityError
from werkzeug.http import parse_cookie
from werkzeug.wsgi import get_host

from app.extensions import db
from app.staff.customer_notice import PAGES, READ_EARLY, own_case_version
from app.staff.direct_sql import DirectConnection
from app.staff.live_poll import EarlyAnswer
from app.staff.presence import customer_view_on
from app.web.assets import security_headers
from app.web.i18n import LANGUAGE_COOKIE, language_for, parsed_locale
from app.wizard.session import SESSION_KEY

from . import plan
from .views import page_key

ROUTE = "/cases/<reference>"  # views.result's URL rule, as the request log and the metrics name it
PATH = re.compile(r"/cases/([^/]+)")  # its default converter
POSITION = PAGES["reports.result"]  # the customer's page the view records
# What a customer's session holds (the case, the cookie's lifetime, the CSRF secret, Flask-Login's freshness once a
# page asked who the visitor is): a session holding anything else (a staff sign-in, a flashed message, Flask-Login's
# remember flag) is Flask's to answer, and maybe to change.
CUSTOMER_KEYS = frozenset({SESSION_KEY, "_permanent", "csrf_token", "_fresh"})
MAX_COOKIES = 256  # Cookie headers whose parse is kept (a browser sends the same one every time)


class Address(NamedTuple):
    """The parts of the address the page key holds, as Flask's request has them."""
    scheme: str
    host: str
    root_path: str
    path: str
    query_string: bytes


def address_of(environ: dict) -> Address:
    """Without a request object (building one cost a tenth of an early answer): werkzeug's own host, and the
    root and path decoded as its Request decodes them (WSGI's latin-1 strings hold UTF-8 bytes)."""
    root, path = ((environ.get(name) or "").encode("latin1").decode(errors="replace")
                  for name in ("SCRIPT_NAME", "PATH_INFO"))
    return Address(environ.get("wsgi.url_scheme", "http"), get_host(environ), root.rstrip("/"),
                   "/" + path.lstrip("/"), environ.get("QUERY_STRING", "").encode("latin1"))


class EarlyResultPage(EarlyAnswer):
    path, route = PATH, ROUTE

    def __init__(self, app: Flask, wsgi_app: Callable):
        super().__init__(app, wsgi_app)
        self.cookies: dict[str, dict] = {}
        self._engine: Engine | None = None

    def answer(self, environ: dict, reference: str):
        page = self.kept_page(environ, reference)
        if page is None:
            return None
        return "200 OK", [*self.fixed_headers(), ("Content-Length", str(len(page)))], [page]

    def kept_page(self, environ: dict, reference: str) -> bytes | None:
        """The page the view would answer with, kept; None when the view would answer anything else or
        do anything more (render, record, mark read, set a cookie)."""
        app = self.app
        if app.config["HTTPS"] and environ.get("wsgi.url_scheme") != "https":
            return None  # Flask-Talisman sends it to https first (create_app: force_https=HTTPS)
        if app.config.get("TRUSTED_HOSTS"):
            return None  # Flask's request checks the host against them
        cookies = self.parsed_cookies(environ)
        session = self.sessions.open(cookies)
        if session is None or not CUSTOMER_KEYS.issuperset(session):
            return None  # no valid session (Flask's 404); staff (pages of their own), a message to flash, ...
        case_id = session.get(SESSION_KEY)  # as customer_notice.customer_case_id
        if not isinstance(case_id, int) or (session.get("_permanent") and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return None
        # Outside the app's context (pushing and popping it cost a tenth of an early answer): its settings
        # and its engine are passed as they are.
        settings, engine = app.config, self.engine()
        try:
            with DirectConnection(engine) as connection:
                view = customer_view_on(connection, case_id, settings)
        except (SQLAlchemyError, engine.dialect.loaded_dbapi.Error):
            return None  # the view reads it again through Core; its page says what failed
        environ[READ_EARLY] = (case_id, view)  # should Flask answer, the view needs not read it again
        if view.notes or view.followers or view.position != POSITION:
            return None
        version = own_case_version(view, case_id, reference, settings)
        if version is None:
            return None
        language = language_for(None, cookies.get(LANGUAGE_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE"), settings)
        try:
            address = address_of(environ)
        except SecurityError:
            return None  # a Host header Flask refuses: its answer
        now = plan.clock_now()
        key = page_key(version, str(parsed_locale(language)), address, None, now.date(), (), settings)
        return app.extensions["reports.kept"]["pages"].get(key, now)

    def engine(self) -> Engine:
        """The app's engine (Flask-SQLAlchemy makes it once, at init_app), looked up in its context once."""
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def parsed_cookies(self, environ: dict) -> dict:
        """The request's cookies, parsed once per Cookie header (at most MAX_COOKIES kept, then anew)."""
        header = environ["HTTP_COOKIE"]
        cookies = self.cookies.get(header)
        if cookies is None:
            if len(self.cookies) >= MAX_COOKIES:
                self.cookies.clear()
            cookies = self.cookies[header] = parse_cookie(environ)
        return cookies

    def fixed_headers(self) -> list[tuple[str, str]]:
        """What Flask's answer of the view carries besides its length: the type of the page as views.result
        returns it, the security headers every answer gets, no-store (app/__init__.py) and Vary: Cookie (the
        session was read)."""
        if self.headers is None:
            self.headers = [("Content-Type", "text/html; charset=utf-8"), *security_headers(self.app),
                            ("Cache-Control", "no-store"), ("Vary", "Cookie")]
        return self.headers


def answer_kept_pages_early(app: Flask) -> None:
    app.wsgi_app = EarlyResultPage(app, app.wsgi_app)
