"""The start page of a visitor without a cookie or a query, answered before Flask.

Such a visitor has no case, no staff sign-in and no chosen language: the page differs only by the
language their browser asks for (and, for HSTS, the scheme). app/main.py already renders it once per
language; this WSGI layer keeps Flask's whole answer (status, every header, body) the first time and
gives it again without Flask's request cycle, which was most of the page's cost (bench/README.md).

Only a 200 without Set-Cookie is kept, at most MAX_PAGES of them; anything with a cookie, a query,
another method or path goes to Flask as before. Templates that reload (development) turn it off.
"""
from __future__ import annotations

from typing import Callable, Iterable

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

MAX_PAGES = 16  # languages x schemes x hosts; a flood of made-up Host headers finds the cache full


def browser_language(accept_language: str | None, languages: list[str], default: str) -> str:
    """The language a visitor without a choice gets: Accept-Language's best match, else the default."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or default


class StartPageCache:
    def __init__(self, wsgi_app: Callable, languages: list[str], default: str):
        self.wsgi_app = wsgi_app
        self.languages = list(languages)
        self.default = default
        self.pages: dict[tuple, tuple[str, list[tuple[str, str]], bytes]] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (environ.get("PATH_INFO") != "/" or environ.get("REQUEST_METHOD") != "GET"
                or environ.get("QUERY_STRING") or "HTTP_COOKIE" in environ):
            return self.wsgi_app(environ, start_response)
        key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
               browser_language(environ.get("HTTP_ACCEPT_LANGUAGE"), self.languages, self.default))
        kept = self.pages.get(key)
        if kept is None:
            return self._answer_and_keep(key, environ, start_response)
        status, headers, body = kept
        environ["wizard.route"] = "/"  # for the request log (app/web/request_log.py): Flask never saw it
        start_response(status, list(headers))
        return [body]

    def _answer_and_keep(self, key: tuple, environ: dict, start_response: Callable) -> Iterable[bytes]:
        answer: dict = {}

        def keep_start(status, headers, exc_info=None):
            answer.update(status=status, headers=list(headers))
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, keep_start)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        cookies = any(name.lower() == "set-cookie" for name, _value in answer.get("headers", []))
        if answer.get("status", "").startswith("200 ") and not cookies and len(self.pages) < MAX_PAGES:
            self.pages[key] = (answer["status"], answer["headers"], body)
        return [body]


def serve_start_page_early(app) -> None:
    """Put the cache in front of ``app`` unless its templates reload."""
    if app.debug or app.jinja_env.auto_reload or app.config.get("TEMPLATES_AUTO_RELOAD"):
        return
    app.wsgi_app = StartPageCache(app.wsgi_app, app.config["LANGUAGES"], app.config["BABEL_DEFAULT_LOCALE"])
