"""Template helpers: visible form fields, language links, localized dates."""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import format_date, get_locale

from .i18n import LANGUAGE_NAMES

HIDDEN_TYPES = {"CSRFTokenField", "HiddenField", "SubmitField"}


def visible_fields(form) -> list:
    return [field for field in form if field.type not in HIDDEN_TYPES]


def other_languages() -> list[tuple[str, str]]:
    current = current_locale()
    return [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"] if code != current]


def current_locale() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def register(app: Flask) -> None:
    app.add_template_filter(visible_fields)
    app.add_template_global(other_languages)
    app.add_template_global(current_locale)
    app.add_template_global(format_date)
