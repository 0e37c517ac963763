"""Error pages in the app's look, and JSON errors under /api/."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import format_decimal, gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def wants_json() -> bool:
    """The API and the JSON downloads (plan.json, fix.json) answer errors in JSON too: their callers parse it."""
    return request.path.startswith("/api/") or request.path.endswith(".json")


def _limit_text() -> str:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    # The number in the reader's style: "1 MiB", "1.5 MiB" in English, "1,5 MiB" in Swedish.
    return (_("%(size)s KiB", size=limit // 1024) if limit < 1024 * 1024
            else _("%(size)s MiB", size=format_decimal(round(limit / 1024 / 1024, 1))))


def error_messages(status: int) -> tuple[str, str, str]:
    """(code, title, what to do) for each status we show."""
    if status == 404:
        return "not_found", _("Page not found"), _("Check the address, or start again from the home page.")
    if status == 413:
        return "too_large", _("The file is too large"), _(
            "The largest upload we accept is %(limit)s. A certificate file is usually a few kilobytes: "
            "export only the certificate and its chain.", limit=_limit_text())
    if status == 403:
        return "forbidden", _("You do not have access to this page"), _(
            "This page is for help-desk administrators. Ask an administrator if you need it.")
    if status == 405:
        return "method_not_allowed", _("That action is not available here"), _("Go back and use the buttons on the page.")
    if status == 429:
        return "rate_limited", _("Too many attempts"), _("Wait a few minutes, then try again.")
    if status == 400:
        return "bad_request", _("The request could not be understood"), _("Go back, check what you entered and try again.")
    return "server_error", _("Sorry, something went wrong"), _("Try again in a few minutes. Your saved answers are kept.")


def way_back(status: int) -> tuple[str, str] | None:
    """(address, link text) of the form a refused POST came from: the same address, asked for with GET."""
    if request.method != "POST":
        return None
    text = _("Go back and choose a smaller file") if status == 413 else _("Go back to the form")
    return request.full_path.rstrip("?"), text


def render_error(status: int, code: str | None = None, title: str | None = None, advice: str | None = None,
                 back: tuple[str, str] | None = None, resend: list[tuple[str, str]] | None = None):
    """The error page (JSON under /api/); ``back``: (address, link text) of the page to return to;
    ``resend``: the (name, value) fields a button on the page submits to that address again."""
    default_code, default_title, default_advice = error_messages(status)
    code, title, advice = code or default_code, title or default_title, advice or default_advice
    if wants_json():
        return {"error": {"code": code, "message": f"{title}. {advice}"}}, status
    page = render_template("errors/error.html", title=title, advice=advice, status=status,
                           back=back or way_back(status), resend=resend)
    return page, status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(
            400, "csrf", _("This form has expired"),
            _("For your security, forms expire after a while or when cookies are blocked. "
              "Go back, reload the page and submit it again. Your saved answers are kept."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        current_app.logger.exception("Unhandled error on %s %s", request.method, request.endpoint)  # paths hold tokens
        return render_error(InternalServerError.code)
