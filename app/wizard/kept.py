"""A step's page kept per case version: a reload, a second tab or the back button shows it without
loading the case or rendering the form again.

A kept page is found by everything the generic step's page shows depends on: the case (id), its
version (``updated_at``, which every change of the case row or its answers moves) and owner (a
deleted staff account clears it without a new version, and it sets whom the questions address),
the step, the query (``?return=check``, ``?lang=``), the language and the help desk's notice. Only
a customer's page is kept (staff, who may open any case, always get theirs rendered), never one
that shows an agent's note (shown once), and only a page that rendered (not a redirect). The CSRF
token is the request's own: the kept copy holds a placeholder instead. In a walk through the
wizard each step's first GET follows a save, so it is rendered and kept; the next GET of that
version is served from here.
"""
from __future__ import annotations

import secrets
from threading import Lock

from cachetools import TTLCache
from flask import g, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from app.staff.customer_notice import agent_notice, customer_case_id, notice_key, this_customer_view
from app.store import Case

from .session import within_retention

_PAGES: TTLCache = TTLCache(maxsize=256, ttl=600)  # a few KiB each: about a MiB per worker at most
_PAGES_LOCK = Lock()
# Where the kept copy had its CSRF token: random per process, so no answer typed into a form can match it.
_TOKEN_PLACEHOLDER = "csrf-" + secrets.token_hex(16)


def kept_page(name: str) -> str | None:
    """The visitor's kept page of step ``name`` for their case's current version, with a fresh CSRF token."""
    view = this_customer_view()  # the case's version, read with the notice: no Case, no ORM session
    if view is None or view.case is None or not within_retention(view.case.updated_at):
        return None
    key = _key(customer_case_id(), view.case.updated_at, view.case.owner_id, name)
    if key is None:
        return None
    with _PAGES_LOCK:
        page = _PAGES.get(key)
    return page.replace(_TOKEN_PLACEHOLDER, generate_csrf()) if page is not None else None


def keep_page(case: Case, name: str, page):
    """Keep ``page`` (the step's rendered GET) for the next request of this version; return it as it is."""
    if request.method != "GET" or not isinstance(page, str) or customer_case_id() != case.id:
        return page
    key = _key(case.id, case.updated_at, case.owner_id, name)
    if key is not None:
        token = g.get("csrf_token")
        with _PAGES_LOCK:
            _PAGES[key] = page.replace(token, _TOKEN_PLACEHOLDER) if token else page
    return page


def _key(case_id: int, updated_at, owner_id, name: str) -> tuple | None:
    notice = agent_notice()
    if notice is not None and notice.notes:
        return None
    return (case_id, updated_at, owner_id, name, request.query_string, str(get_locale()), notice_key())

