"""Language: ?lang= on any address, else the cookie the switch link or ?lang= set, else Accept-Language."""
from __future__ import annotations

from functools import cache
from urllib.parse import urlencode, urlsplit

from babel import Locale
from flask import Blueprint, Response, current_app, redirect, request

bp = Blueprint("i18n", __name__)

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"en": "English", "sv": "Svenska"}


def asked_language() -> str | None:
    """?lang=sv: a link a help-desk agent can send, in the customer's language."""
    # Most addresses have no query: MultiDict.get would build and catch a KeyError for each.
    lang = request.args.get("lang") if request.args else None
    return lang if lang in current_app.config["LANGUAGES"] else None


@cache
def parsed_locale(code: str) -> Locale:
    """Flask-Babel parses the selector's answer on every request, unless it is a Locale already."""
    return Locale.parse(code)


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    chosen = asked_language() or request.cookies.get(LANGUAGE_COOKIE)
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return parsed_locale(chosen)


def remember_language(response: Response, code: str) -> Response:
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
        secure=current_app.config["HTTPS"], httponly=True,
    )
    return response


@bp.after_app_request
def keep_asked_language(response: Response) -> Response:
    """A page opened with ?lang= keeps its language for the next pages; a download in another
    language (the PDF "in Svenska" link) does not change the screen's."""
    lang = asked_language()
    if lang and response.mimetype == "text/html" and lang != request.cookies.get(LANGUAGE_COOKIE):
        remember_language(response, lang)
    return response


def this_address_without_lang() -> str:
    """The current path and query without ?lang=, for the switch link (else ?lang= would win again)."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + ("?" + urlencode(args) if args else "")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.get("/language/<code>")
def switch_language(code: str):
    response = redirect(safe_next(request.args.get("next")))
    return remember_language(response, code) if code in current_app.config["LANGUAGES"] else response
