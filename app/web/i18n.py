"""Language: ?lang= on any address, else the cookie the switch link or ?lang= set, else Accept-Language."""
from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import urlencode, urlsplit

from babel import Locale
from babel.support import NullTranslations
from flask import Blueprint, Flask, Response, current_app, g, redirect, request
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from .start_page import browser_language

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
    return parsed_locale(language_for(asked_language(), request.cookies.get(LANGUAGE_COOKIE),
                                      request.headers.get("Accept-Language")))


def language_for(asked: str | None, cookie: str | None, accept_language: str | None, settings=None) -> str:
    """The language of a request: ?lang= (``asked``), else the language cookie, else the browser's (outside
    Flask's request too: the staff poll's early answer, app/staff/live_poll.py, needs it for its ETag; the
    result page's, app/reports/early.py, outside the app's context too, with its ``settings``)."""
    settings = current_app.config if settings is None else settings
    languages = settings["LANGUAGES"]
    chosen = asked or cookie
    if chosen not in languages:
        chosen = _browser_language(accept_language, tuple(languages), settings["BABEL_DEFAULT_LOCALE"])
    return chosen


@lru_cache(maxsize=64)  # a browser sends the same header every time; parsing it was most of choosing the language
def _browser_language(accept_language: str | None, languages: tuple[str, ...], default: str) -> str:
    return browser_language(accept_language, list(languages), default)


def remember_language(response: Response, code: str) -> Response:
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
        secure=current_app.config["HTTPS"], httponly=True,
    )
    return response


def catalog() -> NullTranslations:
    """Flask-Babel's catalog for this request's language, looked up once per request and language
    (force_locale and refresh switch it, as they switch the locale)."""
    locale = get_locale()
    catalogs = g.setdefault("catalogs", {})
    if locale not in catalogs:
        catalogs[locale] = get_translations()
    return catalogs[locale]


@pass_context
def template_gettext(context, string: str, **variables) -> str:
    """Jinja's _() and gettext(), as its i18n extension's "newstyle" calls behave (escaping
    included), but Flask-Babel's callables found the catalog anew for every string: a third
    of the start page's time (bench/README.md)."""
    return _formatted(context, catalog().ugettext(string), variables)


@pass_context
def template_ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _formatted(context, catalog().ungettext(singular, plural, num), variables)


def _formatted(context, text: str, variables: dict) -> str:
    if context.eval_ctx.autoescape:
        # Our own catalog's text, marked safe as Jinja's gettext marks it; the values are escaped by %.
        text = Markup(text)  # nosec B704
    return text % variables if variables or "%" in text else text  # without either, % changes nothing


def install_template_translations(app: Flask) -> None:
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)


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
    """Only a path on this site: never an open redirect, never a header split by a line break."""
    if not target or len(target) > 2000:
        return "/"
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"  # CR/LF would be a 500 in the Location header; a backslash is a slash to browsers
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@bp.get("/language/<code>")
def switch_language(code: str):
    response = redirect(safe_next(request.args.get("next")))
    return remember_language(response, code) if code in current_app.config["LANGUAGES"] else response
