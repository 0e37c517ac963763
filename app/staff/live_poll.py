"""The live poll's 304, answered before Flask's request cycle (issue 28: 50 agents within 5% of a worker).

static/js/follow.js asks GET /staff/cases/<reference>/live every POLL_SECONDS with the ETag it
shows, and nearly every answer is 304 Not Modified. Around that answer Flask's request cycle (the
request context, URL matching, the session and the language, the hooks of the extensions, a
response object) cost more than the poll's own query; under gunicorn, with the worker idle between
polls, every line of code a request runs costs several times what it costs in a loop
(bench/README.md). This layer answers the 304 itself when the view would answer exactly that:

- the session cookie, verified as Flask's session interface verifies it (signature and lifetime; the
  interface keeps what it verified: SigningOnceSessionInterface), names an account, and the session is
  not idle for too long (auth.idle_action);
- the view's own query and checks (follow.polled_state) find the account active at the session's
  version and the case live, and note the follower as the view does;
- the ETag (follow.live_etag, in the language select_locale would choose) is one the script sent.

The answer carries the headers Flask's 304 carries, and the session's new cookie when its activity
time is due (as enforce_idle_timeout and Flask's session interface write it). Anything else (no
cookie, a query string, a plain-http request where HTTPS is on, an ended session, an idle one, a
change, a database error) goes on to Flask, which answers as before: the sign-in page, 404, the new
region, an error page.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie, parse_etags, quote_etag

from app.extensions import db
from app.web.assets import security_headers
from app.web.i18n import LANGUAGE_COOKIE, language_for
from app.web.request_log import ROUTE_KEY

from .auth import LAST_SEEN, NOTE_ACTIVITY, SIGN_OUT, idle_action, session_account
from .direct_sql import DirectConnection
from .follow import LIVE_RULE, live_bp, live_etag, polled_state

ROUTE = live_bp.url_prefix + LIVE_RULE  # the URL rule, as the request log and the metrics name it
PATH = re.compile(re.escape(live_bp.url_prefix) + r"/cases/([^/]+)/live")  # LIVE_RULE's default converter


class VerifiedSessions:
    """The session cookie among a request's cookies, verified by the app's session interface
    (SigningOnceSessionInterface.verified: each value verified once per worker, refused past its lifetime
    as Flask refuses it), and the cookie of a changed session, as Flask's session interface writes them."""

    def __init__(self, app: Flask):
        self.app = app

    def open(self, cookies: dict) -> Mapping | None:
        """The session data (read-only) of a valid session cookie among ``cookies``; None for none or an invalid one."""
        interface = self.app.session_interface
        value = cookies.get(interface.get_cookie_name(self.app))
        return interface.verified(self.app, value) if value else None

    def saved(self, data: dict) -> list[tuple[str, str]]:
        """The Set-Cookie header of a session holding ``data``, as Flask's session interface writes it."""
        interface, response = self.app.session_interface, self.app.response_class()
        session = interface.session_class(data)
        session.modified = True
        interface.save_session(self.app, session, response)
        return [(name, value) for name, value in response.headers.items() if name == "Set-Cookie"]


class EarlyAnswer:
    """A WSGI layer in front of Flask for one route: a GET of ``path`` without a query, carrying every header
    in ``needs``, is given to ``answer``; what it returns (status, headers, body) is sent and logged and
    counted under ``route`` (app/web/request_log.py), and None sends the request on to Flask as before."""

    path: re.Pattern
    route: str
    needs: tuple[str, ...] = ("HTTP_COOKIE",)

    def __init__(self, app: Flask, wsgi_app: Callable):
        self.app = app
        self.wsgi_app = wsgi_app
        self.headers: list[tuple[str, str]] | None = None  # read from the app at the first answer: all hooks in
        self.sessions = VerifiedSessions(app)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = self.path.fullmatch(environ.get("PATH_INFO", ""))
        if (match is not None and environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING")
                and all(name in environ for name in self.needs)):
            answer = self.answer(environ, match.group(1))
            if answer is not None:
                environ[ROUTE_KEY] = self.route
                status, headers, body = answer
                start_response(status, headers)
                return body
        return self.wsgi_app(environ, start_response)

    def answer(self, environ: dict, argument: str) -> tuple[str, list[tuple[str, str]], list[bytes]] | None:
        raise NotImplementedError


class EarlyNotModified(EarlyAnswer):
    path, route = PATH, ROUTE
    needs = ("HTTP_COOKIE", "HTTP_IF_NONE_MATCH")

    def answer(self, environ: dict, reference: str):
        headers = self.not_modified(environ, reference)
        return None if headers is None else ("304 NOT MODIFIED", headers, [])

    def not_modified(self, environ: dict, reference: str) -> list[tuple[str, str]] | None:
        """The headers of the 304 the view would answer, the session's new cookie included when its activity
        time is due (as enforce_idle_timeout writes it); None when the view would answer anything else."""
        app = self.app
        if app.config["HTTPS"] and environ.get("wsgi.url_scheme") != "https":
            return None  # Flask-Talisman sends it to https first (create_app: force_https=HTTPS)
        cookies = parse_cookie(environ)
        session = self.sessions.open(cookies)
        account = session_account(session.get("_user_id")) if session is not None else None
        if account is None:
            return None
        now = int(time.time())
        with app.app_context():
            action = idle_action(session.get(LAST_SEEN), now)
            if action == SIGN_OUT:
                return None
            try:
                with DirectConnection(db.engine) as connection:
                    state = polled_state(connection, reference, account)
            except (SQLAlchemyError, db.engine.dialect.loaded_dbapi.Error):
                return None  # the view tries again through Core; its error page says what failed
            if isinstance(state, str):
                return None  # signed out or no such case: Flask's answer
            etag = live_etag(state, language_for(None, cookies.get(LANGUAGE_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE")))
        if etag not in parse_etags(environ["HTTP_IF_NONE_MATCH"]):
            return None
        headers = [*self.fixed_headers(), ("ETag", quote_etag(etag))]
        if action == NOTE_ACTIVITY:
            headers += self.sessions.saved({**session, LAST_SEEN: now})
        return headers

    def fixed_headers(self) -> list[tuple[str, str]]:
        """What Flask's 304 of this view carries besides its ETag: the security headers every answer gets,
        no-store (app/__init__.py) and Vary: Cookie (the session was read)."""
        if self.headers is None:
            self.headers = [*security_headers(self.app), ("Cache-Control", "no-store"), ("Vary", "Cookie")]
        return self.headers


def answer_unchanged_polls_early(app: Flask) -> None:
    app.wsgi_app = EarlyNotModified(app, app.wsgi_app)
