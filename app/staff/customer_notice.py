"""What the customer's pages say of the help desk: who follows the case now, and the agent's note.

base.html asks ``agent_notice()`` on every page. For a customer with a case in this
browser (never for staff) it names the staff following the case (a poll within
FOLLOW_WINDOW_SECONDS, app/staff/presence.py) and shows the notes written for the
customer that no page has shown yet. A note is shown once: the page that showed it marks it
read when it is sent, and the staff case page says when. The wizard pages the customer opens
are recorded as their position, for the staff page to show.
"""
from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.wizard.session import SESSION_KEY

from .presence import CustomerNote, customer_view, mark_read, note_position

# The customer's pages whose name the staff page shows as where the customer is.
PAGES = {"wizard.start": "start", "wizard.certificate": "certificate",
         "wizard.connector_domain": "connector-domain", "wizard.check": "check", "reports.result": "result"}


@dataclass(frozen=True)
class AgentNotice:
    following: str | None       # "Anna from Contoso IT is following this case"
    notes: list[CustomerNote]
    desk: str


def customer_case_id() -> int | None:
    """The case open in this browser, for a customer; staff (who may resume any case) get None."""
    if "_user_id" in session:
        return None
    case_id = session.get(SESSION_KEY)
    return case_id if isinstance(case_id, int) else None


def help_desk_name() -> str:
    return current_app.config.get("HELP_DESK_NAME") or _("the help desk")


def following_line(names: list[str | None], desk: str) -> str | None:
    if not names:
        return None
    named = list(dict.fromkeys(name for name in names if name))
    if not named:
        return _("An agent from %(desk)s is following this case", desk=desk)
    if len(named) == 1:
        return _("%(agent)s from %(desk)s is following this case", agent=named[0], desk=desk)
    # Two messages, not ngettext: the catalog's extraction keeps singular forms only (babel.cfg).
    agents = _(" and ").join(named) if len(named) == 2 else ", ".join(named)
    return _("%(agents)s from %(desk)s are following this case", agents=agents, desk=desk)


def agent_notice() -> AgentNotice | None:
    """This request's notice (read once per request: the page and a cache key may both ask).

    A database that does not answer leaves the notice out rather than break the page, which may be
    the very page saying "your answer was not saved" (base.html shows the notice on every page).
    """
    if "agent_notice" not in g:
        try:
            g.agent_notice = _read_notice()
        except SQLAlchemyError:
            with suppress(SQLAlchemyError):
                db.session.rollback()
            g.agent_notice = None
    return g.agent_notice


def _read_notice() -> AgentNotice | None:
    case_id = customer_case_id()
    if case_id is None:
        return None
    view = customer_view(case_id)
    g.customer_position = view.position  # for _after_customer_page: the page is written only when it changes
    g.shown_customer_notes = [note.id for note in view.notes]
    if not view.followers and not view.notes:
        return None  # most pages: no desk's name to translate
    desk = help_desk_name()
    return AgentNotice(following_line(view.followers, desk), view.notes, desk)


def notice_key() -> tuple:
    """What the notice shows, for the key of a page kept in a cache (the result page): a page
    cached with one notice is never served with another."""
    notice = agent_notice()
    return (notice.following, tuple(note.id for note in notice.notes)) if notice else ()


def _after_customer_page(response: Response) -> Response:
    """Mark the notes a page showed as read, and record the wizard page the customer opened."""
    shown = g.pop("shown_customer_notes", None)
    if response.status_code != 200 or response.mimetype != "text/html":
        return response
    if shown:
        mark_read(shown)
    step = PAGES.get(request.endpoint) or ((request.view_args or {}).get("name")
                                           if request.endpoint == "wizard.step" else None)
    case_id = customer_case_id()
    if step and case_id is not None and request.method == "GET":
        agent_notice()  # read with the notice (once per request); a page without it reads it here
        if "customer_position" in g:  # else the database did not answer the read: nor would it the write
            note_position(case_id, step, g.customer_position)
    return response


def init_customer_notice(app: Flask) -> None:
    app.add_template_global(agent_notice)
    app.after_request(_after_customer_page)
