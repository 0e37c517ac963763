"""Template helpers: visible form fields, language links, dates in the house style, usage names, code blocks."""
from __future__ import annotations

import re
from datetime import datetime

from babel import Locale
from flask import Flask, current_app
from flask_babel import format_date, format_time, get_locale, get_timezone, gettext
from flask_login import current_user
from markupsafe import Markup, escape

from app.certs.usages import eku_name

from .i18n import LANGUAGE_NAMES, this_address_without_lang

HIDDEN_TYPES = {"CSRFTokenField", "HiddenField", "SubmitField"}
COMMENT_PREFIXES = ("#", "dnl ")  # PowerShell, shell, Postfix and Exim; sendmail's m4
_WHITESPACE = re.compile(r"(\s+)")


def visible_fields(form) -> list:
    return [field for field in form if field.type not in HIDDEN_TYPES]


def other_languages() -> list[tuple[str, str]]:
    current = current_locale()
    return [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"] if code != current]


def current_locale() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def format_moment(moment: datetime) -> str:
    """A point in time for staff: the house date style, the time, and the time zone it is shown in."""
    locale = get_locale() or Locale("en")
    pattern = locale.datetime_formats["medium"]  # how this language joins a date and a time
    return pattern.format(f"{format_time(moment, 'short')} {get_timezone()}", format_date(moment))


def viewer_is_staff() -> bool:
    """Staff see the internal codes behind findings; customers see the words only."""
    return current_user.is_authenticated


def unbroken_hyphens(text: str) -> Markup:
    """Code, escaped, with every word that holds a hyphen in a span paper keeps on one line.

    A line may wrap after a hyphen, and text taken from such a PDF loses the hyphen
    (``-CloudServicesMailEnabled`` became ``CloudServicesMailEnabled``).
    """
    return Markup("").join(
        Markup('<span class="nobreak">%s</span>') % part if "-" in part else escape(part)
        for part in _WHITESPACE.split(text))


def has_commands(text: str) -> bool:
    """Whether a code block holds anything to copy: a block of comments alone does not."""
    return any(line.strip() and not line.lstrip().startswith(COMMENT_PREFIXES) for line in text.splitlines())


def register(app: Flask) -> None:
    app.add_template_filter(visible_fields)
    app.add_template_filter(unbroken_hyphens)
    app.add_template_filter(lambda oid: eku_name(oid, gettext), "eku_name")
    app.add_template_test(has_commands)
    app.add_template_global(other_languages)
    app.add_template_global(current_locale)
    app.add_template_global(format_date)
    app.add_template_global(format_moment)
    app.add_template_global(viewer_is_staff)
    app.add_template_global(this_address_without_lang)
