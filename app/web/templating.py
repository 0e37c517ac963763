"""Template helpers: visible form fields, language links, dates in the house style, usage names, code blocks."""
from __future__ import annotations

import functools
import re
from contextlib import contextmanager
from datetime import date, datetime

from flask import Flask, current_app, g, session
from flask_babel import force_locale, format_date, format_time, get_locale, get_timezone, gettext
from flask_login import current_user
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape

from app.certs.usages import eku_name

from .i18n import LANGUAGE_NAMES, this_address_without_lang

HIDDEN_TYPES = {"CSRFTokenField", "HiddenField", "SubmitField"}
COMMENT_PREFIXES = ("#", "dnl ")  # PowerShell, shell, Postfix and Exim; sendmail's m4
_WHITESPACE = re.compile(r"(\s+)")
_AFTER_COMMA = re.compile(r"(?<=,)")
# A command line's words: a quoted string is one word with its spaces ('...\TLS 1.2\Client').
_COMMAND_WORDS = re.compile(r"""\s+|(?:'(?:[^']|'')*'|"[^"]*"|\S)+""")


def visible_fields(form) -> list:
    return [field for field in form if field.type not in HIDDEN_TYPES]


def template_if_any(name: str) -> str | None:
    """``name`` if there is such a template, else None: a step's optional intro or text after its form.
    Jinja's ``include ... ignore missing`` looked for a missing file on disk on every page; templates
    do not come and go while the app runs, so each name is looked for once (unless templates reload)."""
    environment = current_app.jinja_env
    if environment.auto_reload:
        return _template_exists(environment, name)
    return _template_known(environment, name)


@functools.lru_cache(maxsize=256)
def _template_known(environment, name: str) -> str | None:
    return _template_exists(environment, name)


def _template_exists(environment, name: str) -> str | None:
    try:
        environment.get_template(name)
    except TemplateNotFound:
        return None
    return name


def other_languages() -> list[tuple[str, str]]:
    current = current_locale()
    return [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"] if code != current]


def pdf_in_language(code: str) -> str:
    """The link to the PDF in another language, named in that language ("PDF på svenska")."""
    with force_locale(code):
        return gettext("PDF in English")  # said in the language itself: "PDF på svenska" in Swedish


def current_locale() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


# One date style in every language and on every face: ISO 8601, as the findings, the script and
# the JSON write dates, and as Swedish writes them anyway. Unambiguous for every reader.
DATE_PATTERN, TIME_PATTERN = "yyyy-MM-dd", "HH:mm"


def format_day(value: date | datetime) -> str:
    """A date (a datetime on its day in the shown time zone), in the house style."""
    return format_date(value, DATE_PATTERN)


def format_moment(moment: datetime) -> str:
    """A point in time for staff: the date, the time, and the time zone they are shown in."""
    return f"{format_day(moment)} {format_time(moment, TIME_PATTERN)} {get_timezone()}"


def viewer_is_staff() -> bool:
    """Staff see the internal codes behind findings; customers see the words only. Without a staff
    sign-in in the session there is no user to load (Flask-Login keeps it under _user_id)."""
    if g.get("as_customer"):
        return False
    return "_user_id" in session and current_user.is_authenticated


@contextmanager
def as_customer():
    """Inside the block, render as the customer sees it: what staff send them (the e-mailed plan) is
    the customer's own copy, without internal codes and in the customer's voice."""
    wording = g.pop("wording_role", None)
    g.as_customer = True
    try:
        yield
    finally:
        g.pop("as_customer", None)
        g.pop("wording_role", None)
        if wording is not None:
            g.wording_role = wording


def unbroken_hyphens(text: str) -> Markup:
    """Text, escaped, with every word that holds a hyphen in a span that paper keeps on one line.

    A line may wrap after a hyphen, and text taken from such a PDF loses the hyphen
    (``-CloudServicesMailEnabled`` became ``CloudServicesMailEnabled``).
    """
    return Markup("").join(_word(part) for part in _WHITESPACE.split(text))


# A cmdlet's name in prose (Get-AcceptedDomain): short enough to keep whole at 320 px.
_CMDLET = re.compile(r"^[A-Z][a-z]+-[A-Z][A-Za-z]+$")


def unbroken_cmdlets(text: str) -> Markup:
    """Prose, escaped, where a cmdlet's name never breaks after its hyphen ("Get-/AcceptedDomain")."""
    return _unbroken_cmdlets(str(text))


@functools.lru_cache(maxsize=1024)
def _unbroken_cmdlets(text: str) -> Markup:
    """The same hints in the same language on every step shown: each marked up once per worker."""
    return Markup("").join(Markup('<span class="nowrap">%s</span>') % part if _CMDLET.match(part) else escape(part)
                           for part in re.split(r"([\w-]+)", text))


def _word(word: str) -> Markup:
    if "-" in word:
        return Markup('<span class="nobreak">%s</span>') % word
    if "," in word and not any(quote in word for quote in "'\""):
        # A property list (Name,AddressSpaces,...) may wrap after a comma: PowerShell reads on.
        return Markup("<wbr>").join(escape(part) for part in _AFTER_COMMA.split(word))
    return escape(word)


def code_lines(text: str) -> Markup:
    """Code, escaped, one span per line: on paper a command may wrap but never runs onto the next page."""
    lines = text.split("\n")
    ends = ["\n"] * (len(lines) - 1) + [""]  # inside the span: between block boxes it would be a blank line
    span = Markup('<span class="code-line">%s%s</span>')
    return Markup("").join(span % (_code_line(line), end) for line, end in zip(lines, ends))


def _code_line(line: str) -> Markup:
    """A comment wraps like prose; a command only between its words (never inside a path or a quoted string)."""
    if line.lstrip().startswith(COMMENT_PREFIXES):
        return unbroken_hyphens(line)
    return Markup("").join(escape(word) if word.isspace() else _command_word(word)
                           for word in _COMMAND_WORDS.findall(line))


def _command_word(word: str) -> Markup:
    if "," in word and not any(quote in word for quote in "'\""):
        # A property list (Name,AddressSpaces,...) may wrap after a comma: PowerShell reads on.
        return Markup("<wbr>").join(Markup('<span class="nobreak">%s</span>') % part for part in _AFTER_COMMA.split(word))
    return Markup('<span class="nobreak">%s</span>') % word


# A code block longer than this many printed lines may break across pages: kept whole, it would
# leave most of a page empty. About 100 characters of 8 pt DejaVu Sans Mono fill an A4 line (pdf.css).
LONG_CODE_LINES, CODE_LINE_CHARS = 8, 100


def long_code(text: str) -> bool:
    """Whether a code block prints on more than LONG_CODE_LINES lines, counting the wrapped ones."""
    return sum(1 + len(line) // CODE_LINE_CHARS for line in text.split("\n")) > LONG_CODE_LINES


def has_commands(text: str) -> bool:
    """Whether a code block holds anything to copy: a block of comments alone does not."""
    return any(line.strip() and not line.lstrip().startswith(COMMENT_PREFIXES) for line in text.splitlines())


DRY_RUN_SWITCH = "-WhatIf"


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith(COMMENT_PREFIXES)


def code_parts(text: str) -> list[tuple[str, str]]:
    """A code block cut so that one Copy never takes a dry run and the change together.

    Each command that ends in -WhatIf becomes a part of its own ("dry_run"), with the comments just above
    it; what follows a dry run is the change ("change"); anything before the first dry run stays as it is
    (""). Pasted into PowerShell, a block runs every line: the dry run and the change copied together
    would both run.
    """
    parts: list[tuple[str, list[str]]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if _is_comment(line) or not line.rstrip().endswith(DRY_RUN_SWITCH):
            current.append(line)
            continue
        lead = len(current)
        while lead and _is_comment(current[lead - 1]):
            lead -= 1
        if has_commands("\n".join(current[:lead])):
            parts.append(("change" if parts else "", current[:lead]))
            current = current[lead:]
        parts.append(("dry_run", current + [line]))
        current = []
    if current and (has_commands("\n".join(current)) or not parts):
        parts.append(("change" if parts else "", current))
    elif current:
        kind, lines = parts[-1]
        parts[-1] = (kind, lines + current)
    return [(kind, "\n".join(lines)) for kind, lines in parts]


def register(app: Flask) -> None:
    app.add_template_filter(visible_fields)
    app.add_template_filter(unbroken_hyphens)
    app.add_template_filter(code_lines)
    app.add_template_filter(code_parts)
    app.add_template_filter(unbroken_cmdlets)
    app.add_template_filter(lambda oid: eku_name(oid, gettext), "eku_name")
    app.add_template_test(has_commands)
    app.add_template_test(long_code)
    app.add_template_global(other_languages)
    app.add_template_global(template_if_any)
    app.add_template_global(current_locale)
    app.add_template_global(pdf_in_language)
    app.add_template_global(format_day, "format_date")  # every template's dates in the house style
    app.add_template_global(format_moment)
    app.add_template_global(viewer_is_staff)
    app.add_template_global(this_address_without_lang)
