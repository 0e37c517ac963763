"""One JSON line per request, a request id on every answer, and the request metrics, as one WSGI layer.

The layer sits outside the start page cache and Flask, so every answer of the app is logged and counted
once, with its status and the time to its last byte. Static files are answered before it (app/web/assets.py):
in production nginx serves and logs them itself, and here a stylesheet costs a fifth of what the line and
the counters would add (`make bench`'s static row fell from 0.99 to 0.80 of bare Flask with them). The route is
Flask's URL rule (``/resume/<token>``), put into the environ when Flask starts the request; the path is
logged with the secret part of every secret link replaced (``redact``). gunicorn's own access log is
off (gunicorn.conf.py): this line replaces it.

X-Request-ID: nginx sets one per request (deploy/nginx.conf, $request_id, 32 hex digits); an incoming id
of 8 to 64 letters, digits, dots, dashes or underscores is kept, anything else replaced by a new one. The
answer carries it back, and every log record made during the request carries it as ``request_id``.
"""
from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote

from flask import Flask, request, request_started
from werkzeug.wsgi import ClosingIterator

from . import metrics

ROUTE_KEY = "wizard.route"
REQUEST_ID_KEY = "wizard.request_id"
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
MAX_LOGGED_PATH = 1000  # characters: a path near gunicorn's 4 KiB request line stays one readable line
UNMATCHED = "unmatched"  # no URL rule: a 404, or a 405 elsewhere

logger = logging.getLogger("wizard.requests")
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Secret links carry their token in the path: a case's resume link, a read-only report link, a calendar feed.
# Anyone who reads the log must not be able to open them.
SECRET_IN_URL = re.compile(r"(/resume/|/cases/[^/\s\"?]+/view/|/calendar/)[^/\s\"?]+|([?&](?:token|secret|key)=)[^&\s\"]+",
                           re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with each secret replaced; looked for after percent-decoding too (up to three times), since
    the app decodes /resume%2F<token> into the same link. A line with a secret is then logged decoded."""
    found = SECRET_IN_URL.sub(lambda m: (m.group(1) or m.group(2)) + "<redacted>", text)
    decoded = text
    for _ in range(3):
        if "%" not in decoded:
            break
        decoded = unquote(decoded)
        redacted = SECRET_IN_URL.sub(lambda m: (m.group(1) or m.group(2)) + "<redacted>", decoded)
        if redacted != decoded:
            return redacted
    return found


def request_id_for(environ: dict) -> str:
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def sent_path(environ: dict) -> str:
    """The path and query as the client sent them (gunicorn's RAW_URI), else as the WSGI server decoded them."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw
    query = environ.get("QUERY_STRING")
    return quote(environ.get("PATH_INFO", "")) + (f"?{query}" if query else "")


class RequestObserver:
    def __init__(self, wsgi_app: Callable, static_prefix: str):
        self.wsgi_app = wsgi_app
        self.static_prefix = static_prefix.rstrip("/") + "/"

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = environ[REQUEST_ID_KEY] = request_id_for(environ)
        current_request_id.set(request_id)
        answer = {"status": 500}  # until the app says otherwise: an exception before start_response

        def start(status: str, headers: list, exc_info=None):
            answer["status"] = int(status[:3])
            headers = [(name, value) for name, value in headers if name.lower() != "x-request-id"]
            headers.append(("X-Request-ID", request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.wsgi_app(environ, start)
        except BaseException:
            self.finish(environ, answer["status"], started)
            raise
        return ClosingIterator(body, lambda: self.finish(environ, answer["status"], started))

    def route(self, environ: dict) -> str:
        if ROUTE_KEY in environ:
            return environ[ROUTE_KEY]
        return "/static/<path:filename>" if environ.get("PATH_INFO", "").startswith(self.static_prefix) else UNMATCHED

    def finish(self, environ: dict, status: int, started: float) -> None:
        seconds = time.perf_counter() - started
        method = environ.get("REQUEST_METHOD", "")
        route = self.route(environ)
        metrics.record_request(method, route, status, seconds)
        if logger.isEnabledFor(logging.INFO):
            logger.info("request", extra={
                "method": method, "route": route, "status": status, "duration_ms": round(seconds * 1000, 1),
                "path": redact(sent_path(environ))[:MAX_LOGGED_PATH], "client": environ.get("REMOTE_ADDR"),
                "referrer": redact(environ.get("HTTP_REFERER", ""))[:MAX_LOGGED_PATH] or None})
        current_request_id.set(None)


def note_route(_app: Flask, **_extra) -> None:
    """Flask matched the URL (or failed to): the rule, for the observer's label and log line."""
    rule = request.url_rule
    request.environ[ROUTE_KEY] = rule.rule if rule is not None else UNMATCHED


def with_request_id(make_record: Callable) -> Callable:
    def record(*args, **kwargs) -> logging.LogRecord:
        made = make_record(*args, **kwargs)
        request_id = current_request_id.get()
        if request_id is not None:
            made.request_id = request_id
        return made
    record.adds_request_id = True
    return record


def observe(app: Flask) -> None:
    """Wrap the app (call last in the factory): request log, request id, request metrics, GET /metrics."""
    metrics.register(app)
    request_started.connect(note_route, app)
    if not getattr(logging.getLogRecordFactory(), "adds_request_id", False):
        logging.setLogRecordFactory(with_request_id(logging.getLogRecordFactory()))
    app.wsgi_app = RequestObserver(app.wsgi_app, app.static_url_path or "/static")
